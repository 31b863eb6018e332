/**
 * Every ts/tsx/js code block of README.md and docs/*.md is run by a test. An
 * HTML comment just before a block says how (unmarked blocks are run):
 *
 * - `<!-- example: PATH [as NAME] -->`: the block is the file PATH, exactly,
 *   except that its relative imports of `mod.ts` (and `dynamo/mod.ts`,
 *   `node/mod.ts`, `cloudflare/mod.ts`, `redis/mod.ts`) are written as the package name (NAME,
 *   default `@streamator/core`, with its subpath). The file
 *   must be listed in {@linkcode EXAMPLES} with the test that runs it.
 * - `<!-- run: FLAGS -->` or no comment: the block is written to a file and run
 *   with `deno run FLAGS` (default `--allow-env --allow-net=127.0.0.1
 *   --allow-read`); it must exit 0. `FLAGS` with `$DYNALITE` runs it against
 *   a fresh dynalite, with the AWS region, credentials and endpoint of
 *   `AWS_ENDPOINT_URL_DYNAMODB` in its environment. The text before the block
 *   must show the command (`deno run FLAGS`, `$DYNALITE` left out).
 * - `<!-- serve: FLAGS -->`: a server. It is run with `deno run FLAGS` and
 *   `PORT=0` in its environment, must say where it listens
 *   (`http://127.0.0.1:PORT`, as `Deno.serve` does), and must answer
 *   `GET /` without a 5xx; then it is stopped. The text before the block must
 *   show the command, as for `run`.
 * - `<!-- check -->`: a fragment that does not run on its own (a React
 *   component): type-checked with `deno check`.
 *
 * The Node examples are run as a user runs them, with the command their
 * header shows, against the npm package built from these sources.
 */
import assert from "node:assert/strict";
import { runDeno } from "./support/run_command.ts";
import { startDynalite } from "./support/dynalite.ts";
import { startServerProcess } from "./support/process_server.ts";
import { SseClient } from "./support/sse_client.ts";
import { nodeBin, ROOT, toolPackage, TOOLS } from "./support/tools.ts";

/** Each example file a doc shows, and the test that runs it. */
const EXAMPLES: Record<string, string> = {
  "examples/deno_serve.ts": "tests/conformance/conformance_test.ts",
  "examples/bun_serve.ts": "tests/conformance/conformance_test.ts",
  "examples/workers.ts": "tests/conformance/conformance_test.ts",
  "examples/node_server.ts": "tests/docs_examples_test.ts, tests/conformance/conformance_test.ts",
  "examples/hono_app.ts": "tests/conformance/conformance_test.ts",
  "examples/nextjs/app/log/[...path]/route.ts": "tests/conformance/nextjs_conformance_test.ts",
  "examples/nextjs/app/jobs/route.ts": "tests/conformance/nextjs_conformance_test.ts",
  "examples/demo_job.ts": "tests/conformance/conformance_test.ts",
  "examples/express_server.mjs": "tests/docs_examples_test.ts",
  "examples/koa_server.mjs": "tests/node_frameworks_test.ts",
  "examples/fastify_server.mjs": "tests/node_frameworks_test.ts",
  "examples/workers_dynamo.ts": "tests/dynamo_workers_test.ts",
  "examples/workers_durable_object.ts": "tests/cloudflare_example_test.ts",
  "examples/workers_queue.ts": "tests/cloudflare_writers_test.ts",
  "examples/complete_job.ts": "tests/jobs_docs_test.ts",
  "examples/server.ts": "tests/install_test.ts",
  "examples/server_node.ts": "tests/install_test.ts",
  "examples/redis_worker.ts": "tests/redis_docs_test.ts",
  "examples/redis_web.ts": "tests/redis_docs_test.ts",
};

const DEFAULT_FLAGS = "--allow-env --allow-net=127.0.0.1 --allow-read";
const LANGS = new Set(["ts", "tsx", "js", "mjs", "jsx"]);

/** One fenced code block of a doc. */
interface Block {
  doc: string;
  line: number;
  lang: string;
  code: string;
  /** The HTML comment just before the block, if any. */
  mark: string | undefined;
  /** The prose between the previous block and this one. */
  before: string;
}

async function docs(): Promise<string[]> {
  const names = ["README.md"];
  for await (const entry of Deno.readDir(`${ROOT}/docs`)) {
    if (entry.name.endsWith(".md")) names.push(`docs/${entry.name}`);
  }
  return names.sort();
}

/** The ts/tsx/js blocks of a markdown file (its info string's first word is the language). */
function blocks(doc: string, text: string): Block[] {
  const found: Block[] = [];
  const fence = /^(`{3,})(\S*)[^\n]*\n([\s\S]*?)\n\1\n/gm;
  let end = 0;
  for (const match of text.matchAll(fence)) {
    const [all, , lang, code] = match;
    const before = text.slice(end, match.index);
    end = match.index + all.length;
    if (!LANGS.has(lang)) continue;
    const mark = before.match(/<!--\s*((?:example|run|serve|check)\b[^>]*?)\s*-->\s*$/)?.[1];
    const line = text.slice(0, match.index).split("\n").length;
    found.push({ doc, line, lang, code, mark, before });
  }
  return found;
}

/** The file PATH as its doc shows it: relative imports of the entries written as the package. */
function asShown(file: string, path: string, name: string): string {
  const react = name === "streamator" ? "streamator-react" : `${name}/react`;
  let shown = file
    .replace(/"(\.\.\/)+mod\.ts"/g, JSON.stringify(name))
    .replace(/"(\.\.\/)+dynamo\/mod\.ts"/g, JSON.stringify(`${name}/dynamo`))
    .replace(/"(\.\.\/)+node\/mod\.ts"/g, JSON.stringify(`${name}/node`))
    .replace(/"(\.\.\/)+cloudflare\/mod\.ts"/g, JSON.stringify(`${name}/cloudflare`))
    .replace(/"(\.\.\/)+redis\/mod\.ts"/g, JSON.stringify(`${name}/redis`))
    .replace(/"(\.\.\/)+react\/mod\.ts"/g, JSON.stringify(react));
  if (path.startsWith("examples/nextjs/")) {
    // The Next.js app's root is examples/nextjs/ here; in an app, demo_job.ts sits at its root.
    shown = shown.replace(/"(\.\.\/)+demo_job\.ts"/g, '"../../demo_job.ts"');
  }
  return shown.trimEnd();
}

const all = (await Promise.all(
  (await docs()).map(async (doc) => blocks(doc, await Deno.readTextFile(`${ROOT}/${doc}`))),
)).flat();

Deno.test("every example block shows its file exactly, and a test runs the file", async () => {
  const shown = all.filter((block) => block.mark?.startsWith("example"));
  assert.ok(shown.length >= 9, `${shown.length} example blocks`);
  for (const block of shown) {
    const [, path, name] = block.mark!.match(/^example:\s+(\S+)(?:\s+as\s+(\S+))?$/) ?? [];
    assert.ok(path, `${block.doc}:${block.line}: malformed mark "${block.mark}"`);
    assert.ok(EXAMPLES[path], `${block.doc}:${block.line}: no test is listed as running ${path}`);
    const file = await Deno.readTextFile(`${ROOT}/${path}`);
    assert.equal(
      block.code,
      asShown(file, path, name ?? "@streamator/core"),
      `${block.doc}:${block.line}: the block differs from ${path}`,
    );
  }
});

Deno.test("every other ts/tsx/js block of the docs runs (or, if marked check, type-checks)", async (t) => {
  const dir = await Deno.makeTempDir({ dir: ROOT, prefix: ".docs-blocks-" });
  try {
    for (const block of all.filter((block) => !block.mark?.startsWith("example"))) {
      const name = `${block.doc}:${block.line}`;
      const file = `${dir}/${block.doc.replace(/\W/g, "_")}_${block.line}.${block.lang}`;
      await Deno.writeTextFile(file, block.code + "\n");
      await t.step(name, async () => {
        if (block.mark?.startsWith("check")) {
          const out = await runDeno(["check", "--config", `${ROOT}/deno.json`, file]);
          assert.ok(out.success, `${name} does not type-check:\n${out.text}`);
          return;
        }
        const serve = block.mark?.match(/^serve:\s*(.*)$/)?.[1];
        const flags = serve ?? block.mark?.match(/^run:\s*(.*)$/)?.[1] ?? DEFAULT_FLAGS;
        const shownFlags = flags.replace(/\s*\$DYNALITE\s*/, " ").trim();
        if (block.mark !== undefined) {
          assert.ok(
            block.before.replace(/\s+/g, " ").includes(`deno run ${shownFlags}`),
            `${name}: the text before the block must show its command, deno run ${shownFlags}`,
          );
        }
        let env: Record<string, string> = {};
        await using dynalite = flags.includes("$DYNALITE") ? await startDynalite() : undefined;
        if (dynalite) {
          env = {
            AWS_REGION: "us-east-1",
            AWS_ACCESS_KEY_ID: "local",
            AWS_SECRET_ACCESS_KEY: "local",
            AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
          };
        }
        const args = ["run", "--config", `${ROOT}/deno.json`, ...shownFlags.split(/\s+/), file];
        if (serve !== undefined) {
          await using server = await startServerProcess({
            command: Deno.execPath(),
            args,
            cwd: ROOT,
            env: { PORT: "0" },
          });
          const response = await fetch(`${server.url}/`);
          await response.body?.cancel();
          assert.ok(response.status < 500, `${name}: GET / answered ${response.status}`);
          return;
        }
        const out = await runDeno(args.filter(Boolean), { env });
        assert.ok(out.success, `${name} failed with deno ${args.join(" ")}:\n${out.text}`);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** What a reader of `GET /log/{id}/stream` gets: each message, then "done". */
async function readJob(url: string, count: number, delayMs = 0): Promise<unknown[]> {
  const started = await fetch(`${url}/jobs?count=${count}&delayMs=${delayMs}`, { method: "POST" });
  const { log_job_id } = await started.json();
  await using client = await SseClient.open(`${url}/log/${log_job_id}/stream`);
  const seen: unknown[] = [];
  for (let i = 0; i <= count; i++) {
    const event = await client.nextEvent(10_000);
    if (event === undefined) break;
    const data = JSON.parse(event.data);
    seen.push(data.message ?? data.event);
    if (data.event === "done") break;
  }
  return seen;
}

Deno.test("the Node examples run with the commands they show, from the npm package", async (t) => {
  const node = await nodeBin();
  // Under tools/ so that express and @hono/node-server resolve from tools/node_modules.
  const dir = `${TOOLS}/.cache/docs-examples`;
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.mkdir(dir, { recursive: true });
  const build = await runDeno([
    "run",
    "-A",
    "scripts/build_npm.ts",
    "--out",
    `${dir}/node_modules`,
  ]);
  assert.ok(build.success, build.text);
  await Deno.writeTextFile(`${dir}/package.json`, '{ "private": true, "type": "module" }');
  const doc = await Deno.readTextFile(`${ROOT}/docs/runtimes.md`);
  // Each file as docs/runtimes.md shows it, importing "streamator".
  for (const path of ["examples/node_server.ts", "examples/demo_job.ts"]) {
    const file = await Deno.readTextFile(`${ROOT}/${path}`);
    await Deno.writeTextFile(`${dir}/${path.slice(9)}`, asShown(file, path, "streamator") + "\n");
  }
  // The Express example alone in its folder: the file is all it needs beside the packages.
  await Deno.mkdir(`${dir}/express`);
  await Deno.copyFile(`${ROOT}/examples/express_server.mjs`, `${dir}/express/express_server.mjs`);
  const tsx = `${toolPackage("tsx")}/dist/cli.mjs`;
  const env = { PORT: "0", HEARTBEAT_MS: "100" };

  await t.step("npx tsx node_server.ts (node:http + toNodeHandler)", async () => {
    assert.match(doc, /`npx tsx node_server\.ts`/);
    await using server = await startServerProcess({
      command: node,
      args: [tsx, "node_server.ts"],
      cwd: dir,
      env,
    });
    assert.deepEqual(await readJob(server.url, 3), [
      "step 1 of 3",
      "step 2 of 3",
      "step 3 of 3",
      "done",
    ]);
  });

  await t.step("node express_server.mjs (Express)", async () => {
    assert.match(doc, /`node express_server\.mjs`, after `npm install streamator express`;/);
    await using server = await startServerProcess({
      command: node,
      args: ["express_server.mjs"],
      cwd: `${dir}/express`,
      env,
    });
    assert.deepEqual(await readJob(server.url, 3, 0), [
      "step 1 of 3",
      "step 2 of 3",
      "step 3 of 3",
      "done",
    ]);
    // A reader that goes away mid-job, then a new one: the server goes on serving, every entry.
    const started = await fetch(`${server.url}/jobs?count=4&delayMs=150`, { method: "POST" });
    const { log_job_id } = await started.json();
    {
      await using early = await SseClient.open(`${server.url}/log/${log_job_id}/stream`);
      assert.equal(JSON.parse((await early.nextEvent(10_000))!.data).message, "step 1 of 4");
    }
    await using late = await SseClient.open(`${server.url}/log/${log_job_id}/stream`);
    const seen: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      const data = JSON.parse((await late.nextEvent(10_000))!.data);
      seen.push(data.message ?? data.event);
      if (data.event === "done") break;
    }
    assert.deepEqual(seen, ["step 1 of 4", "step 2 of 4", "step 3 of 4", "step 4 of 4", "done"]);
    const missing = await fetch(`${server.url}/log/no-such-job/stream`);
    assert.equal(missing.status, 404);
    assert.ok((await missing.json()).error);
  });

  await t.step(
    "Express: a cancel stops the job through log.signal; a bad count is a 400",
    async () => {
      await using server = await startServerProcess({
        command: node,
        args: ["express_server.mjs"],
        cwd: `${dir}/express`,
        env,
      });
      const started = await fetch(`${server.url}/jobs?count=3&delayMs=60000`, { method: "POST" });
      const { log_job_id } = await started.json();
      await using reader = await SseClient.open(`${server.url}/log/${log_job_id}/stream`);
      const cancel = await fetch(`${server.url}/log/${log_job_id}/cancel`, { method: "POST" });
      assert.equal(cancel.status, 202);
      assert.deepEqual(await cancel.json(), { cancelling: true });
      // Long before the first step's minute: the wait on log.signal ends, and so does the job.
      assert.deepEqual(JSON.parse((await reader.nextEvent(5_000))!.data), {
        event: "done",
        status: "cancelled",
      });
      for (
        const query of ["count=-1", "count=abc", "count=10001", "delayMs=1.5", "count=1&count=2"]
      ) {
        const bad = await fetch(`${server.url}/jobs?${query}`, { method: "POST" });
        assert.equal(bad.status, 400, query);
        assert.match((await bad.json()).error, /count must be/, query);
      }
    },
  );
});
