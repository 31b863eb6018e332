/**
 * Koa and Fastify on real Node, as docs/runtimes.md shows them: the examples
 * run with the commands their headers show (`node koa_server.mjs`,
 * `node fastify_server.mjs`, each file alone in its folder) against the npm
 * package built from these sources, and the one-line Koa and Fastify rows of
 * its table are the code of those examples. A reader gets every entry of the
 * example's own job to `done`, a bad `count` is a 400, a reader that leaves
 * ends its stream (no store waiter is left), other paths stay with the
 * framework's own routing, and a handler that throws is an error, not a
 * pass-on.
 */
import assert from "node:assert/strict";
import { runDeno } from "./support/run_command.ts";
import { startServerProcess } from "./support/process_server.ts";
import { SseClient } from "./support/sse_client.ts";
import { nodeBin, ROOT, TOOLS } from "./support/tools.ts";

const doc = await Deno.readTextFile(`${ROOT}/docs/runtimes.md`);

/** The code of the docs/runtimes.md table row for `server` ("Koa", "Fastify route"). */
function tableLine(server: string): string {
  const row = doc.match(new RegExp(`^\\| ${server} +\\| \`(.+)\` +\\|$`, "m"));
  assert.ok(row, `docs/runtimes.md has a table row for ${server}`);
  return row[1];
}

/** Code without its layout: no whitespace, no trailing commas (what `deno fmt` changes). */
function bare(code: string): string {
  return code.replace(/\s+/g, "").replace(/,([)\]}])/g, "$1");
}

const FRAMEWORKS = [
  {
    name: "Koa",
    file: "koa_server.mjs",
    row: "Koa",
    /** Koa's own answer for a path no middleware takes. */
    notFound: { type: /^text\/plain/, body: "Not Found" },
    /** Checks what a reader saw of a job of `count` steps: a rising progress bar, a last line. */
    checkJob(seen: string[], count: number) {
      const bar = seen.filter((item) => item.startsWith("progress "));
      assert.ok(bar.length >= 1, `a progress entry in ${seen}`);
      assert.equal(bar.at(-1), `progress ${count}/${count} steps`);
      const done = bar.map((item) => Number(item.match(/ (\d+)\//)![1]));
      assert.deepEqual(done, [...done].sort((a, b) => a - b), "progress only rises");
      assert.deepEqual(seen.slice(bar.length), [`counted to ${count}`, "done"]);
    },
    /** What the body of a 400 for a bad query says. */
    badQuery: (body: Record<string, string>) => body.error,
  },
  {
    name: "Fastify",
    file: "fastify_server.mjs",
    row: "Fastify route",
    notFound: {
      type: /^application\/json/,
      body: '{"message":"Route GET:/elsewhere not found","error":"Not Found","statusCode":404}',
    },
    checkJob(seen: string[], count: number) {
      const pages = Array.from({ length: count }, (_, i) => `page ${i + 1} of ${count}`);
      assert.deepEqual(seen, [...pages, `read ${count} pages`, "done"]);
    },
    badQuery: (body: Record<string, string>) => body.message,
  },
];

/** An entry as a reader shows it: a line's message, a page or progress event, or "done". */
function shown(data: Record<string, unknown>): string {
  if (data.event === "page") return `page ${data.page} of ${data.of}`;
  if (data.event === "progress") return `progress ${data.done}/${data.total} ${data.label}`;
  return String(data.message ?? data.event);
}

/** Starts a job of `count` steps and reads its stream to "done", each entry as it is shown. */
async function readJob(url: string, count: number): Promise<string[]> {
  const started = await fetch(`${url}/jobs?count=${count}&delayMs=20`, { method: "POST" });
  assert.equal(started.status, 200);
  const { log_job_id } = await started.json();
  await using client = await SseClient.open(`${url}/log/${log_job_id}/stream`);
  const seen: string[] = [];
  // At most a progress entry and a line a step, a last line, and "done".
  for (let i = 0; i < 2 * count + 2; i++) {
    const event = await client.nextEvent(10_000);
    if (event === undefined) break;
    const data = JSON.parse(event.data);
    seen.push(shown(data));
    if (data.event === "done") break;
  }
  return seen;
}

/** The port that tests/support/store_probe.mjs prints, once it has printed it. */
async function probePort(output: () => string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = output().match(/store probe on port (\d+)/)?.[1];
    if (port !== undefined) return Number(port);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the store probe did not start:\n${output()}`);
}

/** How many streams wait on `jobId` in the server's default store. */
async function waiting(port: number, jobId: string): Promise<number> {
  const { stats } = await (await fetch(`http://127.0.0.1:${port}/?job=${jobId}`)).json();
  assert.ok(stats, `the store knows job ${jobId}`);
  return stats.waiting;
}

Deno.test("docs/runtimes.md: the Koa and Fastify examples and table rows, on Node 20, from the npm package", async (t) => {
  const node = await nodeBin();
  // Under tools/ so that koa and fastify resolve from tools/node_modules.
  const dir = `${TOOLS}/.cache/node-frameworks`;
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.mkdir(dir, { recursive: true });
  const args = ["run", "-A", "scripts/build_npm.ts", "--out", `${dir}/node_modules`];
  const build = await runDeno(args);
  assert.ok(build.success, `deno ${args.join(" ")} failed:\n${build.text}`);
  await Deno.writeTextFile(`${dir}/package.json`, '{ "private": true, "type": "module" }');
  // Each example alone in a folder of its own: the file is all it needs beside the packages.
  for (const { file } of FRAMEWORKS) {
    await Deno.mkdir(`${dir}/${file}.d`);
    await Deno.copyFile(`${ROOT}/examples/${file}`, `${dir}/${file}.d/${file}`);
  }
  const probe = `${ROOT}/tests/support/store_probe.mjs`;
  const env = { PORT: "0", HEARTBEAT_MS: "100" };

  for (const { name, file, row, notFound, checkJob, badQuery } of FRAMEWORKS) {
    const cwd = `${dir}/${file}.d`;
    const example = await Deno.readTextFile(`${cwd}/${file}`);

    await t.step(`${name}: the table row is the example's code`, () => {
      const line = tableLine(row);
      assert.ok(bare(example).includes(bare(line)), `examples/${file} does not contain ${line}`);
    });

    await t.step(
      `${name}: node ${file} streams a job to done; a bad count is a 400; other paths stay with ${name}`,
      async () => {
        const install = `npm install streamator ${name.toLowerCase()}`;
        assert.ok(
          doc.includes(`\`node ${file}\`, after \`${install}\`;`),
          `docs/runtimes.md shows \`node ${file}\`, after \`${install}\``,
        );
        await using server = await startServerProcess({ command: node, args: [file], cwd, env });
        checkJob(await readJob(server.url, 3), 3);
        for (const query of ["count=-1", "count=abc", "count=10001", "delayMs=1.5"]) {
          const bad = await fetch(`${server.url}/jobs?${query}`, { method: "POST" });
          assert.equal(bad.status, 400, query);
          assert.match(badQuery(await bad.json()), /count|delayMs/, query);
        }
        const elsewhere = await fetch(`${server.url}/elsewhere`);
        assert.equal(elsewhere.status, 404);
        assert.match(elsewhere.headers.get("content-type") ?? "", notFound.type);
        assert.equal(await elsewhere.text(), notFound.body);
        const unknown = await fetch(`${server.url}/log/no-such-job/stream`);
        assert.equal(unknown.status, 404);
        assert.deepEqual(await unknown.json(), { error: "unknown job" });
      },
    );

    await t.step(
      `${name}: a reader that leaves ends its stream; no store waiter is left`,
      async () => {
        await using server = await startServerProcess({
          command: node,
          args: ["--import", probe, file],
          cwd,
          env,
        });
        const port = await probePort(server.output);
        // A job whose one entry comes long after the test: its stream waits on the store.
        const started = await fetch(`${server.url}/jobs?count=1&delayMs=60000`, { method: "POST" });
        const { log_job_id } = await started.json();
        {
          await using reader = await SseClient.open(`${server.url}/log/${log_job_id}/stream`);
          let item = await reader.next(5_000);
          for (let i = 0; i < 5 && item?.kind !== "comment"; i++) item = await reader.next(5_000);
          assert.deepEqual(item, { kind: "comment", text: "ping" }, "a heartbeat of a live stream");
          assert.equal(await waiting(port, log_job_id), 1);
        }
        for (let i = 0; i < 100 && await waiting(port, log_job_id) !== 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        assert.equal(await waiting(port, log_job_id), 0, "the stream stopped waiting on the store");
        checkJob(await readJob(server.url, 1), 1);
      },
    );
  }

  await t.step("the table rows with a handler that throws: a 500, never a pass-on", async () => {
    // Each row as it is, over a handler that throws on /log/boom and answers null elsewhere.
    await Deno.writeTextFile(
      `${dir}/rows_server.mjs`,
      `import Koa from "koa";
import Fastify from "fastify";
import { toNodeHandler } from "streamator/node";

const nodeLogs = toNodeHandler((request) => {
  if (new URL(request.url).pathname === "/log/boom") throw new Error("boom");
  return null;
});
let port;
if (process.env.FRAMEWORK === "Koa") {
  const app = new Koa();
  app.silent = true;
  ${tableLine("Koa")};
  app.use((ctx) => { ctx.body = "the next middleware"; });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = server.address().port;
} else {
  const fastify = Fastify();
  ${tableLine("Fastify route")};
  await fastify.listen({ port: 0, host: "127.0.0.1" });
  port = fastify.server.address().port;
}
console.log(\`Listening on http://127.0.0.1:\${port}/\`);
`,
    );
    for (const { name, notFound } of FRAMEWORKS) {
      await using server = await startServerProcess({
        command: node,
        args: ["rows_server.mjs"],
        cwd: dir,
        env: { FRAMEWORK: name },
      });
      const boom = await fetch(`${server.url}/log/boom`);
      assert.equal(boom.status, 500, `${name}: ${await boom.text()}`);
      const elsewhere = await fetch(`${server.url}/elsewhere`);
      if (name === "Koa") {
        assert.equal(elsewhere.status, 200);
        assert.equal(await elsewhere.text(), "the next middleware");
      } else {
        assert.equal(elsewhere.status, 404);
        assert.equal(await elsewhere.text(), notFound.body);
      }
    }
  });
});
