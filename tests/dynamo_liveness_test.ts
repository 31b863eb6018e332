/**
 * The whole job across processes on DynamoDB: a writer killed mid-job is
 * reported as lost to readers in another process; its outcome, result and
 * a cancel cross processes; an idle job is ended.
 */

import assert from "node:assert/strict";
import { createLogHandler, JobLogger, type Store } from "../mod.ts";
import { startDynalite } from "./support/dynalite.ts";
import { freshTable, startWriter, testStore } from "./support/dynamo.ts";
import { bigResult } from "./support/dynamo_writer.ts";
import { serve } from "./support/serve.ts";
import { SseClient } from "./support/sse_client.ts";

/** Reads a job until it is done (waiting for the store's news in between), then reads it from 0. */
async function readEnd(store: Store, jobId: string) {
  for (let i = 0; i < 200; i++) {
    const result = await store.read(jobId, 0);
    if (result === undefined || result.done) return result;
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), 1_000);
    await store.wait(jobId, result.next, stop.signal);
    clearTimeout(timer);
  }
  throw new Error(`job ${jobId} did not end`);
}

Deno.test("a SIGKILLed writer: SSE readers in another process end with status lost", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  await using writer = await startWriter(db.endpoint, table, 500);
  using store = testStore(db.endpoint, { table, pollMs: 50 });
  const logs = createLogHandler({ prefix: "/log", store, heartbeatMs: 500 });
  await using server = serve(logs);
  const url = `${server.url}/log/${writer.jobId}/stream`;
  const readers = await Promise.all([1, 2, 3].map(() => SseClient.open(url)));
  try {
    for (const reader of readers) {
      assert.equal(JSON.parse((await reader.nextEvent(10_000))!.data).message, "entry 0");
    }
    await writer.send("log 1 20");
    assert.equal(await writer.line(), "stored 20");
    await writer.kill(); // no close, no last lease renewal

    for (const reader of readers) {
      // Within the grace period (3 × 500 ms lease) each stream ends; the bound here only fails a hang.
      const events = await reader.readToEnd(1_000, 15_000);
      const done = events.at(-1)!;
      assert.equal(done.event, "done");
      assert.deepEqual(
        events.slice(0, -1).map((e) => e.message),
        Array.from({ length: 19 }, (_, i) => `entry ${i + 1}`),
      );
      assert.equal(done.status, "lost");
      assert.match(String(done.message), /stopped renewing its lease/);
    }
    // Any process, and the snapshot, say the same.
    const read = await store.read(writer.jobId, 20);
    assert.deepEqual([read?.done, read?.outcome?.status], [true, "lost"]);
    assert.match(read?.outcome?.message ?? "", /stopped renewing its lease/);
    using other = testStore(db.endpoint, { table });
    const fresh = await other.read(writer.jobId, 0);
    assert.deepEqual([fresh?.entries.length, fresh?.done, fresh?.outcome?.status], [
      20,
      true,
      "lost",
    ]);
    const snapshot = await (await fetch(`${server.url}/log/${writer.jobId}`)).json();
    assert.deepEqual([snapshot.done, snapshot.next, snapshot.status], [true, 20, "lost"]);
    assert.equal(snapshot.logs.at(-1).status, "lost");
    assert.deepEqual(await other.readResult(writer.jobId), { json: undefined, done: true });
  } finally {
    for (const reader of readers) await reader.cancel();
  }
});

Deno.test("outcome, a large result and a cancel cross processes", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  await using writer = await startWriter(db.endpoint, table, 500);
  using other = testStore(db.endpoint, { table, pollMs: 50 });

  assert.deepEqual(await other.readResult(writer.jobId), { json: undefined, done: false });
  // A cancel sent here reaches the writer with its next lease renewal.
  assert.equal(await other.cancel(writer.jobId), true);
  assert.equal(await writer.line(), "cancelled");

  // A result of 700 KB goes into its own items and comes back whole, then replaced.
  await writer.send("result 700000");
  assert.equal(await writer.line(), "result set");
  const big = await other.readResult(writer.jobId);
  assert.deepEqual(JSON.parse(big!.json!), bigResult(700_000));
  assert.equal(big!.done, false);
  await writer.send("result 100");
  assert.equal(await writer.line(), "result set");
  assert.deepEqual(JSON.parse((await other.readResult(writer.jobId))!.json!), bigResult(100));
  // Log reads never see result items.
  assert.deepEqual((await other.read(writer.jobId, 0))?.entries.length, 1);

  await writer.send("close cancelled stopped by the user");
  assert.equal(await writer.line(), "closed");
  const end = await readEnd(other, writer.jobId);
  assert.deepEqual([end?.done, end?.outcome], [true, {
    status: "cancelled",
    message: "stopped by the user",
  }]);
  const result = await other.readResult(writer.jobId);
  assert.deepEqual([JSON.parse(result!.json!), result!.done], [bigResult(100), true]);
  // A cancel after the end changes nothing; unknown jobs are unknown.
  assert.equal(await other.cancel(writer.jobId), true);
  assert.equal((await other.read(writer.jobId, 0))?.outcome?.status, "cancelled");
  assert.equal(await other.cancel("no-such-job"), false);
  assert.equal(await other.readResult("no-such-job"), undefined);
  await assert.rejects(other.setResult("no-such-job", "1"), /has no job "no-such-job"/);
});

Deno.test("each outcome is stored with the job; an idle job ends with status lost", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  // A lease far longer than idleMs: the job must end for being idle, however slow the machine.
  using writer = testStore(db.endpoint, { table, leaseMs: 2_000, idleMs: 150 });
  using reader = testStore(db.endpoint, { table });
  for (
    const outcome of [{ status: "ok" }, { status: "error", message: "quota exceeded" }] as const
  ) {
    const logger = new JobLogger({ store: writer });
    logger.log("working");
    await writer.close(logger.jobId, outcome);
    assert.deepEqual((await reader.read(logger.jobId, 0))?.outcome, outcome);
  }
  assert.throws(
    () => writer.close("x", { status: "fine" as "ok" }),
    /DynamoStore.close: outcome.status must be one of "ok", "error", "cancelled", "lost"; got "fine"/,
  );

  // Nothing logged for idleMs: the writer ends the job, readers anywhere see why.
  const idle = new JobLogger({ store: writer });
  idle.log("then nothing");
  await idle.flush();
  const result = await readEnd(reader, idle.jobId);
  assert.equal(result?.done, true);
  assert.equal(result?.outcome?.status, "lost");
  assert.match(result?.outcome?.message ?? "", /the job logged nothing for 150 ms and was ended/);
  await idle.close();
});
