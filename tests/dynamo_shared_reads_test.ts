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

Deno.test("a reader far behind pages through history on its own; the tail stays at the end", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  using writer = testStore(db.endpoint, { table });
  using reader = testStore(db.endpoint, { table, pollMs: POLL_MS });
  await using server = serve(createLogHandler({ prefix: "/log", store: reader, heartbeatMs: 500 }));
  const logger = new JobLogger({ store: writer });
  const pad = "x".repeat(1_000); // 1,500 entries of 1 KB: more than one 1 MB Query page
  await capturingWarnings(async () => {
    for (let i = 0; i < 1_500; i++) logger.log(`entry ${i} ${pad}`);
    await logger.flush();
  });
  const url = `${server.url}/log/${logger.jobId}/stream`;
  // The first reader starts at 0 and takes one event: it is far behind, and stays there for now.
  await using history = await SseClient.open(url);
  assert.equal(JSON.parse((await history.nextEvent())!.data).message, `entry 0 ${pad}`);
  // A reader at the end is served by the shared tail, which began at the job's end.
  await using tail = await SseClient.open(url, "1498");
  assert.equal((await tail.nextEvent())?.id, "1499");
  logger.log("entry 1500");
  assert.equal(JSON.parse((await tail.nextEvent(10_000))!.data).message, "entry 1500");
  await logger.close();
  assert.deepEqual((await tail.readToEnd(10, 10_000)).map((e) => e.event), ["done"]);
  // The first reader gets everything, in order, once, then the end.
  const rest = await history.readToEnd(10_000, 15_000);
  assert.deepEqual(
    rest.map((e) => String(e.message ?? e.event).split(" ").slice(0, 2).join(" ")),
    [...Array.from({ length: 1_500 }, (_, i) => `entry ${i + 1}`), "done"],
  );
});
