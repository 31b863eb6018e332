/** jsr.json mirrors deno.json's package fields, so either manifest publishes the same package. */
import assert from "node:assert/strict";

const read = async (name: string) =>
  JSON.parse(await Deno.readTextFile(new URL(`../${name}`, import.meta.url)));

Deno.test("jsr.json and deno.json describe the same package", async () => {
  const [deno, jsr] = await Promise.all([read("deno.json"), read("jsr.json")]);
  for (const field of ["name", "version", "license", "exports", "publish"]) {
    assert.deepEqual(jsr[field], deno[field], field);
  }
  assert.equal(deno.name, "@streamator/core");
});

Deno.test("deno.json imports react as any version, the same for react and react/", async () => {
  const { imports } = await read("deno.json");
  // Deno's specifiers take no ">=17" or "||" and JSR refuses "*": "x" is the range every supported
  // major satisfies, so the app's React is the one used (see tests/compat/jsr_react_test.ts).
  assert.equal(imports.react, "npm:react@x");
  assert.equal(imports["react/"], imports.react.replace("npm:", "npm:/") + "/");
});
