import assert from "node:assert/strict";

/** Type-checks the code blocks of README.md (among them the LogViewer example), as a reader would copy them. */
Deno.test("the examples in README.md type-check", async () => {
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--doc-only", "README.md"],
    cwd: new URL("..", import.meta.url),
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
});
