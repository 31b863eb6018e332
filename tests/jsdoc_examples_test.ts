/**
 * Every `@example` of the public API runs, and asserts what it shows:
 * `deno test --doc` over the modules of each folder below, with the DynamoDB
 * examples pointed at a local dynalite through the standard AWS environment
 * (as a user's would be at AWS), and the Redis examples at a local
 * redis-server through `REDIS_URL`. `deno check --doc` only type-checks them.
 */
import assert from "node:assert/strict";
import { dynaliteEnv, startDynalite } from "./support/dynalite.ts";
import { startRedis } from "./support/redis.ts";
import { runDeno } from "./support/run_command.ts";

const ROOT = new URL("../", import.meta.url);

/** The folders (or files) whose JSDoc examples run: a new entry point is one line here. */
const SOURCES = [
  "mod.ts",
  "server/",
  "dynamo/",
  "redis/",
  "node/",
  "client/",
  "react/",
  "react/viewer/",
  // Worker modules: here they run as far as they can without workerd (a missing binding's
  // error); tests/cloudflare_example_test.ts serves the same Worker in workerd.
  "cloudflare/",
];

/**
 * Modules of `SOURCES` whose examples are type-checked only (by `deno check
 * --doc` in `deno task check`), not run: each is a component built on a hook
 * (`useLogStream`, `useJob`) whose stream opens in an effect, in a browser.
 * Rendered to a string on a server, such a component shows only its first
 * state, before any request, so running it here would check nothing the
 * example shows. What these hooks do is tested in a DOM by
 * react/use_log_stream_test.tsx, react/use_job_test.tsx and tests/e2e/.
 */
const TYPE_CHECKED_ONLY = ["react/mod.ts", "react/use_job.ts", "react/use_log_stream.ts"];

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
      if (TYPE_CHECKED_ONLY.includes(path)) continue;
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
  await using redis = await startRedis();
  const { code, text: output } = await runDeno(
    [
      "test",
      "--doc",
      "--allow-net=127.0.0.1",
      "--allow-read",
      "--allow-env",
      "--allow-sys",
      ...files,
    ],
    { env: { ...dynaliteEnv(dynalite.endpoint), REDIS_URL: redis.url }, timeoutMs: 300_000 },
  );
  assert.equal(code, 0, output);
  // One test per example: none was skipped.
  assert.match(output, new RegExp(`ok \\| ${examples} passed \\| 0 failed`), output);
});

/**
 * Examples that cannot assert what they show: a Worker's module, whose
 * requests only workerd can make (tests/cloudflare_example_test.ts serves it).
 */
const SHOWN_ELSEWHERE = ["cloudflare/durable_object_store.ts"];

Deno.test("every example that runs asserts what it shows", async () => {
  const { files } = await modulesWithExamples();
  const silent: string[] = [];
  for (const path of files) {
    if (SHOWN_ELSEWHERE.includes(path)) continue;
    const text = await Deno.readTextFile(new URL(path, ROOT));
    for (const match of text.matchAll(/@example[^\n]*\n \* ```\w+\n((?: \*[^\n]*\n)*?) \* ```/g)) {
      if (!match[1].includes("assert")) {
        silent.push(`${path}:${text.slice(0, match.index).split("\n").length}`);
      }
    }
  }
  assert.deepEqual(silent, [], "examples with no assertion");
});
