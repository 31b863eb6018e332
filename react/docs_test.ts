import assert from "node:assert/strict";

/** Type-checks code blocks with `deno check`, as a reader would copy them. */
async function check(args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["check", ...args],
    cwd: new URL("..", import.meta.url),
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
}

Deno.test("the examples in docs/react.md type-check", async () => {
  await check(["--doc-only", "docs/react.md"]);
});

Deno.test("the JSDoc examples of @streamator/core/react type-check", async () => {
  await check(["--doc", "react/mod.ts"]);
});
