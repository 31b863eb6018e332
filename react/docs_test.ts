import assert from "node:assert/strict";

/**
 * Type-checks code blocks with `deno check`, as a reader would copy them. (The
 * JSDoc examples are type-checked by `deno task check`'s `deno check --doc .`,
 * which reads no Markdown.)
 */
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
