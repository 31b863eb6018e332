/**
 * Shared reads: in one process, every reader of a job is served by one
 * polling loop, so the Query count follows the poll interval, not the number
 * of readers; readers in the writer's process never query; an idle poll
 * returns only the meta item.
 */

import assert from "node:assert/strict";
import { createLogHandler, JobLogger } from "../mod.ts";
import { startDynalite } from "./support/dynalite.ts";
import { countingClient, freshTable, testStore } from "./support/dynamo.ts";
import { serve } from "./support/serve.ts";
import { SseClient } from "./support/sse_client.ts";
import { capturingWarnings } from "./support/console.ts";

const POLL_MS = 100;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("20 SSE readers in another process cost one Query per poll; the writer's readers none", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  const writes = countingClient(db.endpoint);
  using _w = writes.client;
  using writer = testStore(db.endpoint, { table, client: writes.client, pollMs: POLL_MS });
  const reads = countingClient(db.endpoint);
  using _r = reads.client;
  using reader = testStore(db.endpoint, { table, client: reads.client, pollMs: POLL_MS });
  await using far = serve(createLogHandler({ prefix: "/log", store: reader, heartbeatMs: 1_000 }));
  await using near = serve(createLogHandler({ prefix: "/log", store: writer, heartbeatMs: 1_000 }));

  const logger = new JobLogger({ store: writer });
  await capturingWarnings(async () => {
    logger.log("entry 0");
    await logger.flush();
  });
  const path = `/log/${logger.jobId}/stream`;
  const remote = await Promise.all(
    Array.from({ length: 20 }, () => SseClient.open(far.url + path)),
  );
  const local = await Promise.all(Array.from({ length: 5 }, () => SseClient.open(near.url + path)));
  const start = performance.now();
  const queriesBefore = reads.requests.get("Query") ?? 0;
  try {
    for (let burst = 1; burst <= 10; burst++) {
      for (let i = 0; i < 10; i++) logger.log(`entry ${burst * 10 + i - 9}`);
      await pause(POLL_MS);
    }
    await logger.close();
    const expected = Array.from({ length: 101 }, (_, i) => `entry ${i}`);
    for (const sse of [...remote, ...local]) {
      const events = await sse.readToEnd(1_000, 15_000);
      assert.deepEqual(events.map((e) => e.message ?? e.event), [...expected, "done"]);
    }
    const elapsed = performance.now() - start;
    const queries = (reads.requests.get("Query") ?? 0) - queriesBefore;
    const polls = Math.ceil(elapsed / POLL_MS);
    console.log(`20 remote readers: ${queries} Queries in ${polls} poll intervals`);
    // One loop for all 20: never more than one Query per interval (+1 for the first read).
    assert.ok(queries <= polls + 1, `${queries} Queries for ${polls} poll intervals`);
    // The writer's own readers were served from its memory.
    assert.equal(writes.requests.get("Query") ?? 0, 0);
  } finally {
    for (const sse of [...remote, ...local]) await sse.cancel();
  }
});

Deno.test("an idle reader: one Query per poll, each returning only the meta item", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  using writer = testStore(db.endpoint, { table, leaseMs: 60_000 });
  const reads = countingClient(db.endpoint);
  using _r = reads.client;
  using reader = testStore(db.endpoint, { table, client: reads.client, pollMs: POLL_MS });
  await using server = serve(createLogHandler({ prefix: "/log", store: reader, heartbeatMs: 250 }));
  const logger = new JobLogger({ store: writer });
  await capturingWarnings(async () => {
    for (let i = 0; i < 300; i++) logger.log(`entry ${i}`); // two chunks: 0 and 256
    await logger.flush();
  });
  await using sse = await SseClient.open(`${server.url}/log/${logger.jobId}/stream`);
  assert.equal((await sse.take(300, 10_000)).length, 300);
  const start = performance.now();
  reads.queryItems.length = 0;
  // Idle now: each poll returns the meta item alone.
  await pause(1_000);
  const elapsed = performance.now() - start;
  assert.ok(reads.queryItems.length >= 1);
  assert.ok(reads.queryItems.length <= Math.ceil(elapsed / POLL_MS) + 1);
  assert.deepEqual(
    new Set(reads.queryItems),
    new Set([1]),
    `an idle poll reads no chunk: ${reads.queryItems}`,
  );
  console.log(`idle: ${reads.queryItems.length} Queries in ${Math.round(elapsed)} ms`);
  await logger.close();
  assert.equal((await sse.readToEnd())[0].event, "done");
});

Deno.test("a reader far behind pages through history on its own; the tail keeps its place", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  using writer = testStore(db.endpoint, { table });
  using reader = testStore(db.endpoint, { table, pollMs: POLL_MS });
  await using server = serve(createLogHandler({ prefix: "/log", store: reader, heartbeatMs: 500 }));
  const logger = new JobLogger({ store: writer });
  await capturingWarnings(async () => {
    for (let i = 0; i < 3_000; i++) logger.log(`entry ${i}`);
    await logger.flush();
  });
  // A reader at the end starts the shared tail there.
  await using tail = await SseClient.open(`${server.url}/log/${logger.jobId}/stream`, "2998");
  assert.equal((await tail.nextEvent())?.id, "2999");
  // One from the start reads the history in pages, while the tail goes on.
  await using history = await SseClient.open(`${server.url}/log/${logger.jobId}/stream`);
  logger.log("entry 3000");
  assert.equal(JSON.parse((await tail.nextEvent(10_000))!.data).message, "entry 3000");
  await logger.close();
  const all = await history.readToEnd(10_000, 15_000);
  assert.deepEqual(
    all.map((e) => e.message ?? e.event),
    [...Array.from({ length: 3001 }, (_, i) => `entry ${i}`), "done"],
  );
});
