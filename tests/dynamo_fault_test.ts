/**
 * DynamoDB failing mid-job (connections cut after the write, dropped,
 * refused) through a loopback proxy: log() never throws or blocks, the
 * entries wait in memory, and once DynamoDB is back every entry is stored
 * once, in order.
 */

import assert from "node:assert/strict";
import { JobLogger } from "../mod.ts";
import type { DynamoStoreError } from "../dynamo/mod.ts";
import { startDynalite } from "./support/dynalite.ts";
import { countingClient, freshTable, rawItems, testStore } from "./support/dynamo.ts";
import { FaultProxy, type ProxyMode } from "./support/fault_proxy.ts";
import { capturingWarnings } from "./support/console.ts";

/** The faults the writer goes through, in this order, mid-job. */
const FAULTS: ProxyMode[] = ["cut", "stall", "refuse", "drop"];

/** Waits until `check()` holds, polling; throws after `timeoutMs`. */
async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 100_000; i++) {
    if (check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

Deno.test("cut, stalled, dropped and refused connections mid-job: every entry stored once, in order", async () => {
  await using db = await startDynalite();
  await using proxy = FaultProxy.start(db.port);
  const table = freshTable();
  const counted = countingClient(proxy.url, 500);
  using _client = counted.client;
  const errors: DynamoStoreError[] = [];
  using writer = testStore(proxy.url, {
    table,
    client: counted.client,
    batchMs: 10,
    failAfterMs: 120_000,
    onError: (error) => errors.push(error),
  });
  using reader = testStore(db.endpoint, { table });

  let jobId = "";
  let next = 0;
  const warnings = await capturingWarnings(async () => {
    const logger = new JobLogger({ store: writer });
    jobId = logger.jobId;
    const burst = async (count: number) => {
      for (let i = 0; i < count; i++) {
        logger.log(`entry ${next++}`); // never throws, never waits
        if (i % 25 === 24) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };

    await burst(200);
    await logger.flush();
    assert.equal(errors.length, 0);

    for (const mode of FAULTS) {
      const before = errors.length;
      await proxy.setMode(mode);
      await burst(200);
      await until(() => errors.length > before, `a write to fail with the proxy in "${mode}"`);
      assert.ok(writer.unstored > 0, `entries wait in memory while "${mode}"`);
    }
    assert.ok(proxy.answersCut > 0, "some writes reached DynamoDB but their answer was cut");

    await proxy.setMode("pass");
    await burst(200);
    await logger.close();
  });

  const total = 200 * (FAULTS.length + 2); // a burst before, during each fault, and after
  assert.equal(next, total);
  assert.equal(writer.unstored, 0);
  const result = await reader.read(jobId, 0);
  assert.ok(result);
  assert.equal(result.done, true);
  assert.deepEqual(
    result.entries.map((json) => JSON.parse(json).message),
    Array.from({ length: total }, (_, i) => `entry ${i}`),
  );
  // Stored once: the chunk items hold each entry once, none twice.
  const items = await rawItems(db.endpoint, table, jobId);
  const stored = items.flatMap((item) => (item.e as string[] | undefined) ?? []);
  assert.equal(stored.length, total);
  assert.equal(new Set(stored).size, total);

  // onError saw each failure; the console got a single warning for the outage.
  assert.ok(errors.every((e) => e.retryable), errors.map((e) => e.message).join("\n"));
  const outage = warnings.filter((w) => w.includes("kept in memory and retried"));
  assert.equal(outage.length, 1, warnings.join("\n"));
  console.log(
    `fault test: ${errors.length} failed writes, ${proxy.answersCut} answers cut, ` +
      `${counted.total()} DynamoDB requests in all`,
  );
});

Deno.test("flush() rejects with the cause after failAfterMs; the entries are stored once DynamoDB is back", async () => {
  await using db = await startDynalite();
  await using proxy = FaultProxy.start(db.port);
  const table = freshTable();
  const errors: DynamoStoreError[] = [];
  using writer = testStore(proxy.url, {
    table,
    batchMs: 10,
    failAfterMs: 300,
    requestTimeoutMs: 1_000,
    onError: (error) => errors.push(error),
  });
  using reader = testStore(db.endpoint, { table });

  await capturingWarnings(async () => {
    const logger = new JobLogger({ store: writer });
    logger.log("before the outage");
    await logger.flush();

    await proxy.setMode("stall"); // requests time out (requestTimeoutMs)
    logger.log("during the outage");
    await assert.rejects(logger.flush(), (error: unknown) => {
      assert.equal((error as Error).name, "DynamoStoreError");
      assert.match((error as Error).message, /BatchWriteItem on table "logs-.*" failed: .*time/i);
      assert.ok((error as Error).cause, "the SDK's error is the cause");
      return true;
    });
    assert.equal(writer.unstored, 1);
    assert.equal((await reader.read(logger.jobId, 0))?.entries.length, 1);

    await proxy.setMode("refuse");
    const failures = errors.length;
    await until(() => errors.length > failures, "a refused write");
    await proxy.setMode("pass");
    logger.log("after the outage");
    await logger.close();
    const result = await reader.read(logger.jobId, 0);
    assert.deepEqual(result?.entries.map((json) => JSON.parse(json).message), [
      "before the outage",
      "during the outage",
      "after the outage",
    ]);
    assert.equal(result?.done, true);
  });
  assert.ok(errors.length >= 1);
});
