/**
 * The DynamoDB store's read path on Cloudflare Workers: a job written here by
 * a `JobLogger` on a `DynamoStore` (real dynalite) is read over HTTP from
 * `examples/workers_dynamo.ts` running in workerd (miniflare), live: the SSE
 * stream to `done` with every entry once and in order, resume with
 * `Last-Event-ID`, and snapshots with `?after=`. The Worker runs with no
 * compatibility flag: bundled for the browser platform, the AWS SDK uses `fetch`.
 */
import assert from "node:assert/strict";
import { JobLogger } from "../mod.ts";
import { bundle } from "./support/bundle.ts";
import { startDynalite } from "./support/dynalite.ts";
import { freshTable, testStore } from "./support/dynamo.ts";
import { startServerProcess } from "./support/process_server.ts";
import { SseClient } from "./support/sse_client.ts";
import { nodeBin, ROOT } from "./support/tools.ts";

const COUNT = 40;

/** What the job logs as entry `i`: a checkpoint event every 7th, else a line. */
function logEntry(logger: JobLogger, i: number) {
  if (i % 7 === 6) logger.emit("checkpoint", { i, of: COUNT });
  else logger.log(`entry ${i}`, i % 5 === 4 ? "success" : "info");
}

/** The entry a reader must see for `i`, without its time. */
function expected(i: number): Record<string, unknown> {
  return i % 7 === 6
    ? { event: "checkpoint", i, of: COUNT }
    : { event: "log", message: `entry ${i}`, level: i % 5 === 4 ? "success" : "info" };
}

const untimed = (entries: Record<string, unknown>[]) =>
  entries.map(({ t, ...rest }) => {
    assert.equal(typeof t, "number");
    return rest;
  });

Deno.test("workerd reads a DynamoDB job: SSE to done, resume, snapshots (examples/workers_dynamo.ts)", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  await using writer = testStore(db.endpoint, { table });
  const logger = new JobLogger({ store: writer });
  logEntry(logger, 0);
  await logger.flush(); // the table and the job exist before the Worker reads

  const script = await bundle("examples/workers_dynamo.ts", "workers_dynamo", "worker");
  await using worker = await startServerProcess({
    command: await nodeBin(),
    args: ["tools/serve_worker.mjs", script],
    cwd: ROOT,
    env: {
      PORT: "0",
      HEARTBEAT_MS: "100",
      WORKER_BINDINGS: JSON.stringify({
        DYNAMO_TABLE: table,
        DYNAMO_ENDPOINT: db.endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
      }),
    },
  });
  const base = `${worker.url}/log/${logger.jobId}`;

  // A live reader, opened while the job is still running.
  await using live = await SseClient.open(`${base}/stream`);
  assert.match(live.response.headers.get("Content-Type") ?? "", /^text\/event-stream/);
  const first = await live.nextEvent(10_000);
  assert.equal(first?.id, "0");
  assert.deepEqual(untimed([JSON.parse(first!.data)]), [expected(0)]);

  // The rest of the job, logged over time, then closed.
  for (let i = 1; i < COUNT; i++) {
    logEntry(logger, i);
    if (i % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await logger.close();

  const ids: (string | undefined)[] = ["0"];
  const events: Record<string, unknown>[] = [JSON.parse(first!.data)];
  for (let i = 0; i <= COUNT; i++) {
    const event = await live.nextEvent(10_000);
    if (event === undefined) break;
    ids.push(event.id);
    events.push(JSON.parse(event.data));
    if (events.at(-1)!.event === "done") break;
  }
  assert.deepEqual(events.at(-1), { event: "done" });
  assert.deepEqual(ids, [...Array.from({ length: COUNT }, (_, i) => String(i)), String(COUNT)]);
  const entries = events.slice(0, -1);
  assert.deepEqual(untimed(entries), Array.from({ length: COUNT }, (_, i) => expected(i)));
  assert.ok(await live.ended(), "the stream did not end after done");

  // Resume after entry 24, by header and by query.
  await using resumed = await SseClient.open(`${base}/stream`, "24");
  assert.deepEqual(await resumed.readToEnd(COUNT + 2, 10_000), [
    ...entries.slice(25),
    { event: "done" },
  ]);
  await using byQuery = await SseClient.open(`${base}/stream?lastEventId=${COUNT - 2}`);
  assert.deepEqual(await byQuery.readToEnd(COUNT + 2, 10_000), [
    entries[COUNT - 1],
    { event: "done" },
  ]);

  // Snapshots: the same entries, from `after` on.
  const end = { event: "done" };
  const all = await (await fetch(`${base}?from=0`)).json();
  assert.deepEqual(all, { logs: [...entries, end], done: true, next: COUNT, status: "ok" });
  const tail = await (await fetch(`${base}?after=30`)).json();
  assert.deepEqual(tail, {
    logs: [...entries.slice(31), end],
    done: true,
    next: COUNT,
    status: "ok",
  });

  // A job the table does not have is a JSON 404, as on every runtime.
  const missing = await fetch(`${worker.url}/log/no-such-job?from=0`);
  assert.equal(missing.status, 404);
  assert.equal(typeof (await missing.json()).error, "string");
});
