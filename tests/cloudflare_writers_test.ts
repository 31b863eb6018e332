/**
 * The Durable Object store with each kind of job writer a Worker has besides
 * a request's `ctx.waitUntil()` (tests/cloudflare_store_test.ts covers that
 * one): a Queue consumer, another Durable Object, and a Workflow step, in
 * workerd through miniflare (`tools/serve_job_log_workers.mjs`, the Worker
 * tests/support/job_writers_worker.ts). Readers stream each job over real
 * HTTP from requests to a second Worker bound to the same namespace.
 */
import assert from "node:assert/strict";
import { bundle } from "./support/bundle.ts";
import { startServerProcess } from "./support/process_server.ts";
import { SseClient } from "./support/sse_client.ts";
import { nodeBin, ROOT } from "./support/tools.ts";

/** The Worker that runs the jobs and the one that only reads. */
interface Writers extends AsyncDisposable {
  url: string;
  reader: string;
  /** What workerd has printed so far (the Workers' `console.error`, among others). */
  output(): string;
}

/** Serves `entry` (with the writers `kinds` it has) and a Worker that reads its jobs. */
async function startWriters(
  entry = "tests/support/job_writers_entry.mjs",
  kinds = "queue,object,workflow",
): Promise<Writers> {
  const name = entry.replace(/^.*\/|\.\w+$/g, "");
  const worker = await bundle(entry, `writers_${name}`, "worker");
  const reader = await bundle("tests/support/job_log_reader.ts", "job_writers_reader", "worker");
  const server = await startServerProcess({
    command: await nodeBin(),
    args: ["tools/serve_job_log_workers.mjs", worker, reader],
    cwd: ROOT,
    env: {
      PORT: "0",
      WORKER_BINDINGS: JSON.stringify({ HEARTBEAT_MS: "200" }),
      JOB_WRITERS: kinds,
    },
    ready: /reader http:\/\/127\.0\.0\.1:\d+/,
  });
  return {
    url: server.url,
    reader: server.output().match(/reader (http:\/\/127\.0\.0\.1:\d+)/)![1],
    output: () => server.output(),
    [Symbol.asyncDispose]: () => server[Symbol.asyncDispose](),
  };
}

/** Starts a job with one kind of writer (`/queue`, `/object`, `/workflow`); its id. */
async function start(writers: Writers, route: string, query: string): Promise<string> {
  const response = await fetch(`${writers.url}${route}?${query}`, { method: "POST" });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return JSON.parse(text).log_job_id;
}

/** The events of the job's whole stream, without their times. */
async function streamToEnd(url: string): Promise<Record<string, unknown>[]> {
  await using client = await SseClient.open(url);
  const events = await client.readToEnd(100_000, 10_000);
  return events.map(({ t: _t, ...rest }) => rest);
}

const entries = (count: number) => Array.from({ length: count }, (_, i) => `entry ${i + 1}`);
const messages = (events: Record<string, unknown>[]) =>
  events.filter((e) => e.event === "log").map((e) => String(e.message));

/**
 * The job's entries, in order (after `queued`, logged by the request that
 * sent a job to a queue or a Workflow), and the requests its writer reported
 * before closing.
 */
function split(events: Record<string, unknown>[], queued: boolean) {
  let logged = messages(events);
  if (queued) {
    assert.equal(logged[0], "queued");
    logged = logged.slice(1);
  }
  const report = logged.at(-1) ?? "";
  assert.match(report, /^requests \d+$/);
  return { logged: logged.slice(0, -1), requests: Number(report.slice("requests ".length)) };
}

Deno.test("Durable Object store in workerd: Queue consumers, Durable Objects and Workflow steps write jobs", async (t) => {
  await using writers = await startWriters();

  for (
    const [route, name] of [["/queue", "a Queue consumer"], ["/object", "another Durable Object"]]
  ) {
    await t.step(`${name}: 10,000 log() calls in a burst, about ten requests`, async () => {
      const jobId = await start(writers, route, "count=10000");
      const events = await streamToEnd(`${writers.reader}/log/${jobId}/stream`);
      const { logged, requests } = split(events, route !== "/object");
      assert.deepEqual(logged, entries(10_000));
      assert.deepEqual(events.at(-1), { event: "done" });
      assert.ok(requests <= 100, `${requests} requests`);
    });

    await t.step(`${name}: 10,000 log() calls spread out, at most 100 requests`, async () => {
      // 100 entries, then a 1 ms pause, 100 times.
      const jobId = await start(writers, route, "count=10000&per=100&everyMs=1");
      const events = await streamToEnd(`${writers.reader}/log/${jobId}/stream`);
      const { logged, requests } = split(events, route !== "/object");
      assert.deepEqual(logged, entries(10_000));
      assert.deepEqual(events.at(-1), { event: "done" });
      assert.ok(requests <= 100, `${requests} requests`);
    });
  }

  await t.step("another Durable Object: readers get each entry while the job runs", async () => {
    const jobId = await start(writers, "/object", "count=30&per=1&everyMs=20");
    await using live = await SseClient.open(`${writers.reader}/log/${jobId}/stream`);
    const first = await live.nextEvent(5_000);
    assert.equal(JSON.parse(first!.data).message, "entry 1");
    const snapshot = await (await fetch(`${writers.url}/log/${jobId}`)).json();
    assert.equal(snapshot.done, false, "the job had ended before its first entry was read");
    const rest = (await live.readToEnd(1_000, 10_000)).map(({ t: _t, ...e }) => e);
    assert.deepEqual(split(rest, false).logged, entries(30).slice(1));
    assert.deepEqual(rest.at(-1), { event: "done" });
  });

  await t.step("a Queue consumer's job that throws inside run() ends with the error", async () => {
    const jobId = await start(writers, "/queue", "count=10&fail=error&failAfter=4");
    const events = await streamToEnd(`${writers.reader}/log/${jobId}/stream`);
    assert.deepEqual(messages(events), ["queued", ...entries(4)]);
    assert.deepEqual(events.at(-1), { event: "done", status: "error", message: "disk full" });
  });

  await t.step("a Workflow step: every entry, then done", async () => {
    const jobId = await start(writers, "/workflow", "count=1000&per=100&everyMs=1");
    const events = await streamToEnd(`${writers.reader}/log/${jobId}/stream`);
    const { logged, requests } = split(events, true);
    assert.deepEqual(logged, entries(1_000));
    assert.deepEqual(events.at(-1), { event: "done" });
    assert.ok(requests <= 100, `${requests} requests`);
  });

  await t.step(
    "the object: a second writer takes a running job over, none an ended one",
    async () => {
      const write = async (jobId: string, body: unknown) => {
        const response = await fetch(`${writers.url}/raw/${jobId}/write`, {
          method: "POST",
          body: JSON.stringify(body),
        });
        return { status: response.status, body: await response.json() };
      };
      const create = { leaseMs: 60_000, retentionMs: 60_000, maxEntries: 100 };
      const running = `raw-${crypto.randomUUID()}`;
      await write(running, { create, writer: "a", first: 0, entries: ["a0", "a1"] });
      // b numbers its entries from 0; they follow a's. Its first batch sent again adds nothing.
      const taken = await write(running, { create, writer: "b", first: 0, entries: ["b0"] });
      assert.deepEqual(taken, {
        status: 200,
        body: { known: true, next: 3, done: false, cancel: false },
      });
      await write(running, { create, writer: "b", first: 0, entries: ["b0"] });
      await write(running, { writer: "b", first: 1, entries: ["b1"] });
      const stale = await write(running, { writer: "a", first: 2, entries: ["a2"] });
      assert.deepEqual(stale, {
        status: 409,
        body: { error: "another writer has taken the job over" },
      });
      const read = await (await fetch(`${writers.url}/raw/${running}/read?cursor=0`)).json();
      assert.deepEqual(read.entries, ["a0", "a1", "b0", "b1"]);

      const ended = `raw-${crypto.randomUUID()}`;
      const close = { status: "ok" };
      await write(ended, { create, writer: "a", first: 0, entries: ["a0"], close });
      const late = await write(ended, { create, writer: "b", first: 0, entries: ["b0"] });
      assert.deepEqual(late, {
        status: 409,
        body: { error: "the job ended (ok) before this writer's first write" },
      });
      // The writer that ended it, sending its last batch again, hears the job is done.
      const resent = await write(ended, { create, writer: "a", first: 0, entries: ["a0"], close });
      assert.deepEqual(resent, {
        status: 200,
        body: { known: true, next: 1, done: true, cancel: false },
      });
    },
  );

  await t.step(
    "a Queue consumer that dies without close(): each delivery's entries, then lost",
    async () => {
      const jobId = await start(writers, "/queue", "fail=crash&failAfter=3&leaseMs=600");
      const events = await streamToEnd(`${writers.reader}/log/${jobId}/stream`);
      // miniflare delivers the message again (maxRetries 1): the second attempt writes the same job,
      // and its entries follow the first attempt's, none taken for a retry of the first's batches.
      assert.deepEqual(messages(events), [
        "queued",
        "attempt 1",
        ...entries(3),
        "attempt 2",
        ...entries(3),
      ]);
      assert.deepEqual(events.at(-1), {
        event: "done",
        status: "lost",
        message: "the job's writer sent nothing for 600 ms and the job was ended",
      });
    },
  );

  // Last: the queue delivers one message at a time, and this consumer waits before it writes.
  await t.step("a Queue consumer that starts after the job's lease ran out is told", async () => {
    const jobId = await start(writers, "/queue", "leaseMs=300&startAfterMs=800&count=2");
    const events = await streamToEnd(`${writers.reader}/log/${jobId}/stream`);
    assert.deepEqual(messages(events), ["queued"]);
    assert.equal(events.at(-1)?.status, "lost");
    // Its writer's error reaches onError (console.error by default), and run() rejects.
    // (The worker prints what run() rejects with.)
    const told = `run() rejected: streamator: job ${jobId} could not be written to its ` +
      `Durable Object: the job's Durable Object answered 409: ` +
      `{"error":"the job ended (lost) before this writer's first write"}`;
    let output = "";
    for (let i = 0; i < 100 && !output.includes(told); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      output = writers.output();
    }
    assert.ok(output.includes(told), output.slice(-2_000));
  });
});

Deno.test("docs/runtimes.md: examples/workers_queue.ts, a job run by a Queue consumer", async () => {
  await using writers = await startWriters("examples/workers_queue.ts", "queue");
  const response = await fetch(`${writers.url}/jobs`, { method: "POST" });
  assert.equal(response.status, 200);
  const { log_job_id: jobId } = await response.json();
  const events = await streamToEnd(`${writers.reader}/log/${jobId}/stream`);
  assert.deepEqual(events, [
    { event: "log", message: "Queued", level: "info" },
    { event: "log", message: "step 1 of 5", level: "info" },
    { event: "log", message: "step 2 of 5", level: "info" },
    { event: "log", message: "step 3 of 5", level: "info" },
    { event: "log", message: "step 4 of 5", level: "info" },
    { event: "log", message: "step 5 of 5", level: "success" },
    { event: "done" },
  ]);
});

Deno.test("docs/runtimes.md: the queue's wrangler.toml binds what the example and the tests use", async () => {
  const doc = await Deno.readTextFile(`${ROOT}/docs/runtimes.md`);
  const toml = [...doc.matchAll(/```toml\n([\s\S]*?)\n```/g)].map((m) => m[1])
    .find((block) => block.includes("[[queues.producers]]"));
  assert.ok(toml !== undefined, "no toml block with [[queues.producers]] in docs/runtimes.md");
  const example = await Deno.readTextFile(`${ROOT}/examples/workers_queue.ts`);
  assert.match(example, /^ {2}JOB_QUEUE: \{ send/m);
  const served = await Deno.readTextFile(`${ROOT}/tools/serve_job_log_workers.mjs`);
  assert.ok(served.includes('JOB_QUEUE: { queueName: "log-jobs" }'));
  assert.match(toml, /\[\[queues\.producers\]\]\nqueue = "log-jobs"\nbinding = "JOB_QUEUE"/);
  assert.match(toml, /\[\[queues\.consumers\]\]\nqueue = "log-jobs"/);
});
