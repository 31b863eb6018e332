import assert from "node:assert/strict";
import { createLogHandler, JobLogger } from "../mod.ts";
import type { DynamoStoreError } from "./mod.ts";
import { MAX_CHUNK_ENTRIES } from "./key_schema.ts";
import { startDynalite } from "../tests/support/dynalite.ts";
import { countingClient, freshTable, rawItems, testStore } from "../tests/support/dynamo.ts";
import { serve } from "../tests/support/serve.ts";
import { SseClient } from "../tests/support/sse_client.ts";
import { capturingWarnings } from "../tests/support/console.ts";

Deno.test("round trip: entries and fields come back from DynamoDB as logged", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  using writer = testStore(db.endpoint, { table });
  using reader = testStore(db.endpoint, { table });

  const logger = new JobLogger({ store: writer });
  logger.log("Scraping https://example.com");
  logger.log("Done", "success");
  logger.log("Rate limited", "warning");
  logger.log("Failed to connect", "error");
  logger.emit("page_loaded", { url: "https://example.com/ü/✓", n: 3, nested: { a: [1, null] } });
  logger.log('line one\nline two \u2028 "quoted" 😀');
  await logger.close();

  const result = await reader.read(logger.jobId, 0);
  assert.ok(result);
  const entries = result.entries.map((json) => JSON.parse(json));
  assert.deepEqual(entries.map((e) => [e.event, e.message, e.level]), [
    ["log", "Scraping https://example.com", "info"],
    ["log", "Done", "success"],
    ["log", "Rate limited", "warning"],
    ["log", "Failed to connect", "error"],
    ["page_loaded", undefined, undefined],
    ["log", 'line one\nline two \u2028 "quoted" 😀', "info"],
  ]);
  assert.equal(entries[4].url, "https://example.com/ü/✓");
  assert.deepEqual(entries[4].nested, { a: [1, null] });
  assert.ok(entries.every((e) => typeof e.t === "number" && e.t >= 0));
  assert.equal(result.next, 6);
  assert.equal(result.done, true);

  const part = await reader.read(logger.jobId, 4, 1);
  assert.deepEqual(part?.entries.map((json) => JSON.parse(json).event), ["page_loaded"]);
  assert.equal(part?.next, 5);
  assert.equal(part?.done, false);

  // The handler serves it: snapshot, SSE with ids and the end, resume.
  const logs = createLogHandler({ prefix: "/log", store: reader, heartbeatMs: 200 });
  await using server = serve(logs);
  const snapshot = await (await fetch(`${server.url}/log/${logger.jobId}`)).json();
  assert.deepEqual(snapshot.logs, [...entries, { event: "done" }]);
  assert.deepEqual([snapshot.done, snapshot.next, snapshot.status], [true, 6, "ok"]);
  const from = await (await fetch(`${server.url}/log/${logger.jobId}?from=5`)).json();
  assert.deepEqual(from.logs.map((e: { message?: string }) => e.message ?? "(end)"), [
    entries[5].message,
    "(end)",
  ]);

  await using sse = await SseClient.open(`${server.url}/log/${logger.jobId}/stream`);
  const first = await sse.nextEvent();
  assert.equal(first?.id, "0");
  const rest = await sse.readToEnd();
  assert.deepEqual([JSON.parse(first!.data), ...rest], [...entries, { event: "done" }]);
  assert.ok(await sse.ended());

  await using resumed = await SseClient.open(`${server.url}/log/${logger.jobId}/stream`, "3");
  const resumedEvents = await resumed.readToEnd();
  assert.deepEqual(resumedEvents, [...entries.slice(4), { event: "done" }]);
  // The done event's id is the job's end: an EventSource reconnecting with it is told to stop.
  const afterEnd = await fetch(`${server.url}/log/${logger.jobId}/stream`, {
    headers: { "Last-Event-ID": "6" },
  });
  assert.equal(afterEnd.status, 204);
  await afterEnd.body?.cancel();

  const unknown = await fetch(`${server.url}/log/no-such-job`);
  assert.equal(unknown.status, 404);
  assert.deepEqual(await unknown.json(), { error: "unknown job" });
  const unknownStream = await fetch(`${server.url}/log/no-such-job/stream`);
  assert.equal(unknownStream.status, 404);
  await unknownStream.body?.cancel();
});

Deno.test("the writing process serves a job from memory before its first write lands", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  using store = testStore(db.endpoint, { table, batchMs: 60_000 });
  const logs = createLogHandler({ store, heartbeatMs: 200 });
  const logger = new JobLogger({ store });
  logger.log("queued, not written yet");
  // Nothing is in DynamoDB yet (the batch waits a minute), yet readers here see the entry.
  const response = await logs(new Request(`http://local/log/${logger.jobId}`));
  assert.equal(response?.status, 200);
  const snapshot = await response?.json();
  assert.deepEqual([snapshot.logs.map((e: { message: string }) => e.message), snapshot.done], [
    ["queued, not written yet"],
    false,
  ]);
  // Another process (another store) does not know it yet: not even the table exists.
  using other = testStore(db.endpoint, { table });
  await assert.rejects(other.read(logger.jobId, 0), /Query on table .* the table does not exist/);
  store.dispose();
  await assert.rejects(logger.close(), /disposed/);
});

Deno.test("100,000 entries are stored in full and read back in order", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  using writer = testStore(db.endpoint, { table });
  using reader = testStore(db.endpoint, { table });
  const logger = new JobLogger({ store: writer });
  const total = 100_000;
  for (let i = 0; i < total; i++) {
    logger.log(`entry ${i}`);
    if (i % 10_000 === 9_999) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  // An entry larger than DynamoDB's 400 KB item limit is stored too (in parts).
  const big = "ü".repeat(400_000) + "😀".repeat(100_000);
  logger.log(big, "warning");
  await logger.close();

  const all = await reader.read(logger.jobId, 0);
  assert.ok(all);
  assert.equal(all.entries.length, total + 1);
  assert.equal(all.next, total + 1);
  assert.equal(all.done, true);
  for (let i = 0; i < total; i++) {
    const entry = JSON.parse(all.entries[i]);
    if (entry.message !== `entry ${i}`) assert.fail(`entry ${i} is ${all.entries[i]}`);
  }
  assert.equal(JSON.parse(all.entries[total]).message, big);

  // Read in pages from arbitrary cursors, as the stream does.
  let cursor = 0;
  let pages = 0;
  const seen: string[] = [];
  for (; pages < 1_000; pages++) {
    const page = await reader.read(logger.jobId, cursor, 4_999);
    assert.ok(page);
    seen.push(...page.entries);
    cursor = page.next;
    if (page.done) break;
  }
  assert.equal(seen.length, total + 1);
  assert.equal(JSON.parse(seen[54_321]).message, "entry 54321");
  assert.ok(pages >= 20);
});

Deno.test("every item carries expiresAt = write time + ttlDays, in epoch seconds", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  using store = testStore(db.endpoint, { table, ttlDays: 2 });
  const before = Math.floor(Date.now() / 1000);
  const logger = new JobLogger({ store });
  for (let i = 0; i < 600; i++) logger.log(`entry ${i}`);
  await logger.close();
  const after = Math.ceil(Date.now() / 1000);

  const items = await rawItems(db.endpoint, table, logger.jobId);
  assert.ok(items.length >= 4, `${items.length} items`); // chunks and the meta item
  for (const item of items) {
    const expiresAt = item.expiresAt as number;
    assert.ok(Number.isInteger(expiresAt), `expiresAt ${expiresAt} is not whole seconds`);
    assert.ok(
      expiresAt >= before + 2 * 86_400 && expiresAt <= after + 2 * 86_400,
      `expiresAt ${expiresAt} is not ${before}..${after} + 2 days`,
    );
  }
  const meta = items[items.length - 1];
  assert.equal(meta.done, true);
  assert.equal(meta.next, 600);
  // Chunks hold at most MAX_CHUNK_ENTRIES entries and start at their first id.
  const chunks = items.slice(0, -1);
  assert.ok(chunks.every((c) => (c.e as string[]).length <= MAX_CHUNK_ENTRIES));
  assert.deepEqual(chunks.map((c) => c.seq), [0, 256, 512]);
});

Deno.test("a second writer on the same job id is refused, the first one's log stays intact", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  using first = testStore(db.endpoint, { table });
  const errors: DynamoStoreError[] = [];
  using second = testStore(db.endpoint, { table, onError: (e) => errors.push(e) });
  const a = new JobLogger({ store: first, jobId: "job-1" });
  a.log("from the first writer");
  await a.flush();
  const b = new JobLogger({ store: second, jobId: "job-1" });
  b.log("from the second writer");
  await assert.rejects(
    b.close(),
    /job "job-1" already exists in table .*written by another logger/,
  );
  await a.close();
  // The same id reused later in the first process is refused too: nothing is overwritten.
  const c = new JobLogger({ store: first, jobId: "job-1" });
  c.log("from a reused id");
  await assert.rejects(c.close(), /job "job-1" already exists/);
  const result = await first.read("job-1", 0);
  assert.deepEqual(result?.entries.map((json) => JSON.parse(json).message), [
    "from the first writer",
  ]);
  assert.equal(result?.done, true);
  assert.equal(errors.length, 1);
});

Deno.test("10,000 log() calls cost a handful of DynamoDB requests; a poller reads only new chunks", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  const writes = countingClient(db.endpoint);
  using _writeClient = writes.client;
  using writer = testStore(db.endpoint, {
    table,
    client: writes.client,
  });
  let id = "";
  await capturingWarnings(async () => {
    const logger = new JobLogger({ store: writer });
    id = logger.jobId;
    for (let i = 0; i < 10_000; i++) logger.log(`entry ${i}`);
    await logger.close();
  });
  const perOperation = Object.fromEntries(writes.requests);
  console.log(
    `DynamoDB requests for 10,000 log() calls: ${writes.total()} ${JSON.stringify(perOperation)}`,
  );
  // 40 chunk items of 256 entries: 2 BatchWriteItem, plus the table, meta and close requests.
  assert.equal(writes.requests.get("BatchWriteItem"), 2);
  assert.ok(writes.total() <= 10, `${writes.total()} requests`);

  // On the existing table: DescribeTable, the meta PutItem, 2 BatchWriteItem, the close.
  const again = countingClient(db.endpoint);
  using _againClient = again.client;
  using second = testStore(db.endpoint, { table, client: again.client });
  const logger = new JobLogger({ store: second });
  for (let i = 0; i < 10_000; i++) logger.log(`entry ${i}`);
  await logger.close();
  console.log(
    `DynamoDB requests for 10,000 log() calls on an existing table: ${again.total()} ${
      JSON.stringify(Object.fromEntries(again.requests))
    }`,
  );
  assert.deepEqual(Object.fromEntries(again.requests), {
    DescribeTable: 1,
    PutItem: 1,
    BatchWriteItem: 2,
    UpdateItem: 1,
  });

  const reads = countingClient(db.endpoint);
  using _readClient = reads.client;
  using reader = testStore(db.endpoint, {
    table,
    client: reads.client,
  });
  const logs = createLogHandler({ store: reader });
  const full = await (await logs(new Request(`http://local/log/${id}`)))!.json();
  assert.equal(full.logs.length, 10_001); // and the done event
  const fullItems = reads.queryItems.reduce((a, b) => a + b, 0);
  reads.queryItems.length = 0;
  const tail = await (await logs(new Request(`http://local/log/${id}?from=9990`)))!.json();
  assert.equal(tail.logs.length, 11);
  assert.equal(tail.done, true);
  const tailItems = reads.queryItems.reduce((a, b) => a + b, 0);
  console.log(`items read: whole log ${fullItems}, ?from=9990 ${tailItems}`);
  assert.ok(tailItems <= 3, `?from=9990 read ${tailItems} items`);
  assert.ok(fullItems >= 40);
});
