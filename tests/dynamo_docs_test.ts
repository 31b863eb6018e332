import assert from "node:assert/strict";

Deno.test("the code examples of docs/dynamo.md type-check against the real API", async () => {
  const doc = new URL("../docs/dynamo.md", import.meta.url).pathname;
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--doc-only", doc],
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(stderr);
  assert.equal(code, 0, text);
  // There are examples to check (deno prints nothing when its type-check cache is warm).
  const blocks = (await Deno.readTextFile(doc)).match(/^```ts$/gm) ?? [];
  assert.ok(blocks.length >= 3, `${blocks.length} ts blocks`);
});
