/**
 * Throttling, as DynamoDB answers it (HTTP 400, `x-amzn-ErrorType`,
 * `__type`), from a proxy in front of dynalite: the store retries in one
 * layer (the SDK client it makes sends each request once), with jitter, and
 * stores and reads everything exactly once.
 */

import assert from "node:assert/strict";
import { JobLogger } from "../mod.ts";
import { backoff, READ_ATTEMPTS } from "../dynamo/retry.ts";
import { DynamoStore, type DynamoStoreError } from "../dynamo/mod.ts";
import { startDynalite } from "./support/dynalite.ts";
import { freshTable, rawItems } from "./support/dynamo.ts";
import { startFaultProxy } from "./support/dynamo_fault_proxy.ts";
import { capturingWarnings } from "./support/console.ts";

Deno.test("throttled writes and reads are retried by the store alone, every entry stored once", async () => {
  await using db = await startDynalite();
  await using proxy = startFaultProxy(db.endpoint);
  const table = freshTable();
  const errors: DynamoStoreError[] = [];

  using store = new DynamoStore({
    table,
    endpoint: proxy.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    pollMs: 50,
    onError: (error) => errors.push(error),
  });
  const logger = new JobLogger({ store });
  await capturingWarnings(async () => {
    logger.log("before the throttling");
    await logger.flush();
    proxy.throttle("BatchWriteItem", 3, "ProvisionedThroughputExceededException");
    for (let i = 0; i < 1_000; i++) logger.log(`entry ${i}`);
    await logger.close();
  });
  assert.equal(proxy.throttled.get("BatchWriteItem"), 3);
  // Each store attempt is one HTTP request: the SDK did not retry on its own.
  // (The first flush, 3 throttled attempts, then the one batch of 4 chunks.)
  assert.equal(proxy.seen.get("BatchWriteItem"), 1 + 3 + 1);
  assert.deepEqual(
    errors.map((e) => [(e.cause as Error).name, e.retryable]),
    Array(3).fill(["ProvisionedThroughputExceededException", true]),
  );
  const items = await rawItems(db.endpoint, table, logger.jobId);
  const stored = items.flatMap((item) => (item.e as string[] | undefined) ?? []);
  assert.equal(stored.length, 1_001);
  assert.deepEqual(
    stored.slice(1).map((json) => JSON.parse(json).message),
    Array.from({ length: 1_000 }, (_, i) => `entry ${i}`),
  );

  // Reads: throttled twice, the third attempt answers.
  errors.length = 0;
  proxy.throttle("Query", READ_ATTEMPTS - 1, "ThrottlingException");
  const before = proxy.seen.get("Query") ?? 0;
  using reader = new DynamoStore({
    table,
    endpoint: proxy.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    onError: (error) => errors.push(error),
  });
  const read = await reader.read(logger.jobId, 0);
  assert.equal(read?.entries.length, 1_001);
  assert.equal(read?.done, true);
  assert.equal((proxy.seen.get("Query") ?? 0) - before, READ_ATTEMPTS);
  assert.deepEqual(errors.map((e) => (e.cause as Error).name), [
    "ThrottlingException",
    "ThrottlingException",
  ]);
  // Throttled on every attempt: the read fails with the cause, named.
  proxy.throttle("Query", READ_ATTEMPTS, "ThrottlingException");
  await assert.rejects(reader.read("another-job", 0), /Query on table .* ThrottlingException/);
});

Deno.test("backoff: equal jitter in [c/2, c], c doubling from 100 ms to 5 s", () => {
  for (const [failures, ceiling] of [[1, 100], [2, 200], [4, 800], [7, 5_000], [40, 5_000]]) {
    const waits = Array.from({ length: 200 }, () => backoff(failures));
    assert.ok(waits.every((ms) => ms >= ceiling / 2 && ms <= ceiling), `failures ${failures}`);
    assert.ok(new Set(waits).size > 150, "waits are spread, not equal");
  }
});
