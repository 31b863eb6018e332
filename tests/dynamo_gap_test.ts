/**
 * A chunk that is gone (deleted, or expired by TTL) under a live SSE reader:
 * the reader is told how many entries it missed and goes on, never stalls.
 * The writer is another process; the reader's requests go through a proxy
 * that holds them while the chunk is deleted, so the reader cannot have read
 * it first.
 */

import assert from "node:assert/strict";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createLogHandler } from "../mod.ts";
import { dynaliteClient, startDynalite } from "./support/dynalite.ts";
import { freshTable, rawItems, startWriter, testStore } from "./support/dynamo.ts";
import { startFaultProxy } from "./support/dynamo_fault_proxy.ts";
import { serve } from "./support/serve.ts";
import { SseClient } from "./support/sse_client.ts";

Deno.test("a deleted chunk under a live reader is reported as missed with its count", async () => {
  await using db = await startDynalite();
  await using proxy = startFaultProxy(db.endpoint);
  const table = freshTable();
  await using writer = await startWriter(db.endpoint, table, 100);
  using store = testStore(proxy.endpoint, { table, pollMs: 50 });
  const logs = createLogHandler({ prefix: "/log", store, heartbeatMs: 300 });
  await using server = serve(logs);
  await using sse = await SseClient.open(`${server.url}/log/${writer.jobId}/stream`);
  assert.equal(JSON.parse((await sse.nextEvent(10_000))!.data).message, "entry 0");

  proxy.hold(); // the reader's next queries wait here
  await writer.send("log 1 11");
  assert.equal(await writer.line(), "stored 11");
  await writer.send("log 11 21");
  assert.equal(await writer.line(), "stored 21");
  const chunks = (await rawItems(db.endpoint, table, writer.jobId)).map((item) => item.seq);
  assert.deepEqual(chunks.slice(0, 3), [0, 1, 11]);
  const direct = DynamoDBDocumentClient.from(new DynamoDBClient(dynaliteClient(db.endpoint)));
  await direct.send(new DeleteCommand({ TableName: table, Key: { jobId: writer.jobId, seq: 1 } }));
  direct.destroy();
  proxy.release();

  // Entries 1 to 10 are gone: the reader hears so (the count from the chunk keys), then goes on.
  const missed = await sse.nextEvent(15_000);
  assert.deepEqual(JSON.parse(missed!.data), { event: "missed", count: 10 });
  const rest = await sse.take(10, 15_000);
  assert.deepEqual(
    rest.map((e) => e.message),
    Array.from({ length: 10 }, (_, i) => `entry ${i + 11}`),
  );
  // And stays live: later entries and the end still arrive.
  await writer.send("log 21 23");
  assert.equal(await writer.line(), "stored 23");
  await writer.send("close ok");
  assert.equal(await writer.line(), "closed");
  const end = await sse.readToEnd(100, 15_000);
  assert.deepEqual(end.map((e) => e.message ?? e.event), ["entry 21", "entry 22", "done"]);

  // A reader that comes later, from the start, hears the same.
  await using late = await SseClient.open(`${server.url}/log/${writer.jobId}/stream`);
  const all = await late.readToEnd(100, 15_000);
  assert.deepEqual(all[1], { event: "missed", count: 10 });
  assert.equal(all.length, 1 + 1 + 12 + 1);
});
