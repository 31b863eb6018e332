/**
 * Every `@example` of the public API runs, and asserts what it shows:
 * `deno test --doc` over the modules of each folder below, with the DynamoDB
 * examples pointed at a local dynalite through the standard AWS environment
 * (as a user's would be at AWS). `deno check --doc` only type-checks them.
 */
import assert from "node:assert/strict";
import { dynaliteEnv, startDynalite } from "./support/dynalite.ts";

const ROOT = new URL("../", import.meta.url);

/** The folders (or files) whose JSDoc examples run: a new entry point is one line here. */
const SOURCES = [
  "mod.ts",
  "server/",
  "dynamo/",
  "node/",
  "client/",
];

/** The non-test TypeScript modules of `SOURCES` that have an example, and how many examples. */
async function modulesWithExamples(): Promise<{ files: string[]; examples: number }> {
  const files: string[] = [];
  let examples = 0;
  for (const source of SOURCES) {
    const paths = source.endsWith("/")
      ? (await Array.fromAsync(Deno.readDir(new URL(source, ROOT))))
        .filter((entry) => entry.isFile && /(?<!_test)\.tsx?$/.test(entry.name))
        .map((entry) => source + entry.name)
      : [source];
    for (const path of paths.sort()) {
      const count = (await Deno.readTextFile(new URL(path, ROOT))).match(/@example/g)?.length ?? 0;
      if (count === 0) continue;
      files.push(path);
      examples += count;
    }
  }
  return { files, examples };
}

Deno.test("every JSDoc example of the public modules runs and its assertions hold", async () => {
  const { files, examples } = await modulesWithExamples();
  assert.ok(examples >= 20, `${examples} examples`);
  await using dynalite = await startDynalite();
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "test",
      "--doc",
      "--allow-net=127.0.0.1",
      "--allow-read",
      "--allow-env",
      "--allow-sys",
      ...files,
    ],
    cwd: ROOT.pathname,
    env: { ...dynaliteEnv(dynalite.endpoint), NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const output = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  assert.equal(code, 0, output);
  // One test per example: none was skipped.
  assert.match(output, new RegExp(`ok \\| ${examples} passed \\| 0 failed`), output);
});
