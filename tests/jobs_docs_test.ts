/**
 * The code of README's "A complete job" and of docs/jobs.md: the README's
 * server is examples/complete_job.ts, run here over real HTTP (start,
 * stream, cancel, result); docs/jobs.md's `ts` blocks run as written, and
 * every block type-checks.
 */
import assert from "node:assert/strict";
import { runDeno } from "./support/run_command.ts";
import { app } from "../examples/complete_job.ts";
import { JobLogger, MemoryStore } from "../mod.ts";
import { serve } from "./support/serve.ts";
import { SseClient } from "./support/sse_client.ts";
import { ROOT } from "./support/tools.ts";

const FENCE = /^```(tsx?)\n([\s\S]*?)\n```$/gm;

async function readmeSection(): Promise<string> {
  const readme = await Deno.readTextFile(`${ROOT}/README.md`);
  const start = readme.indexOf("\n## A complete job\n");
  assert.ok(start >= 0, 'README.md has no "## A complete job" section');
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

Deno.test("README's complete job shows examples/complete_job.ts as it is", async () => {
  const section = await readmeSection();
  const shown = section.match(
    /<!-- example: examples\/complete_job\.ts -->\s*```ts\n([\s\S]*?)\n```\n/,
  );
  assert.ok(shown, "no block marked examples/complete_job.ts");
  const file = await Deno.readTextFile(`${ROOT}/examples/complete_job.ts`);
  assert.equal(shown[1], file.replace('"../mod.ts"', '"@streamator/core"').trimEnd());
});

Deno.test("README's complete job and docs/jobs.md type-check", async () => {
  // The README section alone, in a file inside the repository so its imports resolve.
  const copy = `${ROOT}/.complete_job_section_check.md`;
  await Deno.writeTextFile(copy, await readmeSection());
  try {
    const { code, stderr } = await runDeno(["check", "--doc-only", copy, "docs/jobs.md"]);
    assert.equal(code, 0, stderr);
  } finally {
    await Deno.remove(copy);
  }
  const blocks = (await Deno.readTextFile(`${ROOT}/docs/jobs.md`)).match(FENCE) ?? [];
  assert.ok(blocks.length >= 5, `${blocks.length} blocks`);
});

Deno.test("docs/jobs.md's server examples run and print what their comments say", async () => {
  const doc = await Deno.readTextFile(`${ROOT}/docs/jobs.md`);
  const blocks = [...doc.matchAll(FENCE)].filter((m) => m[1] === "ts").map((m) => m[2]);
  assert.equal(blocks.length, 4);
  for (const [i, code] of blocks.entries()) {
    const file = `${ROOT}/.jobs_doc_block_${i}.ts`;
    await Deno.writeTextFile(file, code);
    try {
      const { code: exit, stdout, stderr } = await runDeno(["run", "--allow-net=127.0.0.1", file]);
      assert.equal(exit, 0, `block ${i}:\n${code}\n${stderr}`);
      const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) =>
        m[1].replace(/^"(.*)"$/, "$1")
      );
      assert.deepEqual(stdout.trim().split("\n").filter(Boolean), expected, `block ${i}`);
    } finally {
      await Deno.remove(file);
    }
  }
});

/** Pages for the job to fetch: `/a` (4 bytes), `/missing` (404), `/slow` (answers when released). */
function pages() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  let slowAsked!: () => void;
  const slowStarted = new Promise<void>((resolve) => slowAsked = resolve);
  const server = serve(async (request) => {
    const path = new URL(request.url).pathname;
    if (path === "/a") return new Response("aaaa");
    if (path === "/slow") {
      slowAsked();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([released, new Promise((r) => timer = setTimeout(r, 20_000))]);
      clearTimeout(timer);
      return new Response("late");
    }
    return new Response("no", { status: 404 });
  });
  return {
    url: server.url,
    slowStarted,
    async [Symbol.asyncDispose]() {
      release();
      await server[Symbol.asyncDispose]();
    },
  };
}

Deno.test("the complete job over HTTP: start, stream, result; a cancel; a failure", async () => {
  await using site = pages();
  await using server = serve(app);
  const start = async (urls: unknown) => {
    const response = await fetch(`${server.url}/jobs`, {
      method: "POST",
      body: JSON.stringify({ urls }),
    });
    return { status: response.status, body: await response.json() };
  };

  const ok = await start([`${site.url}/a`, `${site.url}/a`]);
  assert.equal(ok.status, 201);
  await using stream = await SseClient.open(`${server.url}/log/${ok.body.jobId}/stream`);
  const events = await stream.readToEnd(100, 10_000);
  assert.deepEqual(events.map((e) => e.event), [
    "log",
    "page_loaded",
    "log",
    "page_loaded",
    "log",
    "done",
  ]);
  assert.deepEqual(events.at(-1), { event: "done" });
  const result = await fetch(`${server.url}/log/${ok.body.jobId}/result`);
  assert.equal(result.status, 200);
  assert.deepEqual(await result.json(), {
    pages: [{ url: `${site.url}/a`, bytes: 4 }, { url: `${site.url}/a`, bytes: 4 }],
  });

  const slow = await start([`${site.url}/a`, `${site.url}/slow`]);
  await using slowStream = await SseClient.open(`${server.url}/log/${slow.body.jobId}/stream`);
  await site.slowStarted;
  const cancel = await fetch(`${server.url}/log/${slow.body.jobId}/cancel`, { method: "POST" });
  assert.equal(cancel.status, 202);
  await cancel.body?.cancel();
  const cancelled = await slowStream.readToEnd(100, 10_000);
  assert.deepEqual(cancelled.at(-1), { event: "done", status: "cancelled" });
  assert.equal(cancelled.at(-2)?.message, `Fetching ${site.url}/slow`);
  assert.equal((await fetch(`${server.url}/log/${slow.body.jobId}/result`)).status, 204);

  const failing = await start([`${site.url}/missing`]);
  await using failStream = await SseClient.open(`${server.url}/log/${failing.body.jobId}/stream`);
  assert.deepEqual((await failStream.readToEnd(100, 10_000)).at(-1), {
    event: "done",
    status: "error",
    message: `${site.url}/missing answered 404`,
  });

  assert.deepEqual(await start("not a list"), {
    status: 400,
    body: { error: "urls must be a list of URLs" },
  });
});

Deno.test("docs/jobs.md: only an outcome's message is cut at 2,000 characters; log() keeps its whole", async () => {
  const doc = await Deno.readTextFile(`${ROOT}/docs/jobs.md`);
  assert.match(
    doc.replace(/\s+/g, " "),
    /is cut to 2,000, ending with `…`; `log\(\)` messages are kept whole/,
  );
  const store = new MemoryStore();
  const logger = new JobLogger({ store });
  const long = "x".repeat(3_000);
  logger.log(long);
  await logger.fail(new Error(long));
  const { entries, outcome } = (await store.read(logger.jobId, 0))!;
  assert.equal(JSON.parse(entries[0]).message, long);
  assert.equal(outcome?.status, "error");
  assert.equal(outcome?.message?.length, 2_000);
  assert.ok(outcome?.message?.endsWith("x…"));
});
