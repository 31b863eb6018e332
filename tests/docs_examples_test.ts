/**
 * The runtime examples in docs/runtimes.md are the files the conformance
 * suite runs: each code block marked `<!-- example: PATH as NAME -->` must be
 * that file, with its relative import of `mod.ts` written as the package name.
 * (The blocks are fenced `ts ignore`: their package names do not resolve
 * inside this repository, and this test, not `deno check`, vouches for them.)
 */
import assert from "node:assert/strict";
import { ROOT } from "./support/tools.ts";

const MARK = /<!-- example: (\S+) as (\S+) -->\s*(`{3,})ts ignore\n([\s\S]*?)\n\3\n/g;

Deno.test("docs/runtimes.md shows each example file exactly as the tests run it", async () => {
  const doc = await Deno.readTextFile(`${ROOT}/docs/runtimes.md`);
  const shown = [...doc.matchAll(MARK)];
  const paths = shown.map((match) => match[1]);
  assert.deepEqual(paths.toSorted(), [
    "examples/bun_serve.ts",
    "examples/demo_job.ts",
    "examples/deno_serve.ts",
    "examples/hono_app.ts",
    "examples/nextjs/app/jobs/route.ts",
    "examples/nextjs/app/log/[...path]/route.ts",
    "examples/node_server.ts",
    "examples/workers.ts",
  ]);
  for (const [, path, name, , code] of shown) {
    const file = await Deno.readTextFile(`${ROOT}/${path}`);
    const expected = file.replace(/"(\.\.\/)+mod\.ts"/g, JSON.stringify(name)).trimEnd();
    assert.equal(code, expected, `the block for ${path} differs from the file`);
  }
});
