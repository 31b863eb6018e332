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

Deno.test("docs/dynamo.md shows examples/workers_dynamo.ts, the Worker the tests run", async () => {
  const root = new URL("../", import.meta.url);
  const doc = await Deno.readTextFile(new URL("docs/dynamo.md", root));
  const shown = doc.match(
    /<!-- example: examples\/workers_dynamo\.ts -->\s*```ts\n([\s\S]*?)\n```\n/,
  );
  assert.ok(shown, "docs/dynamo.md has no block marked examples/workers_dynamo.ts");
  const file = await Deno.readTextFile(new URL("examples/workers_dynamo.ts", root));
  const expected = file
    .replace('"../mod.ts"', '"@streamator/core"')
    .replace('"../dynamo/mod.ts"', '"@streamator/core/dynamo"')
    .trimEnd();
  assert.equal(shown[1], expected);
});
