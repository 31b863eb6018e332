/**
 * Progress through the DynamoDB store (dynalite), over real HTTP: a tight
 * loop of `progress()` calls is a few stored entries, and a reader that
 * comes late, over SSE or the snapshot, gets the newest value.
 */
import assert from "node:assert/strict";
import { createLogHandler, JobLogger } from "../mod.ts";
import { startDynalite } from "./support/dynalite.ts";
import { freshTable, testStore } from "./support/dynamo.ts";
import { serve } from "./support/serve.ts";
import { SseClient } from "./support/sse_client.ts";

Deno.test("DynamoDB store: 10,000 progress() calls are a few entries; a late reader gets the newest", async () => {
  await using db = await startDynalite();
  using store = testStore(db.endpoint, { table: freshTable(), pollMs: 50 });
  await using server = serve(createLogHandler({ store, heartbeatMs: 500 }));
  const logger = new JobLogger({ store });
  logger.log("start");
  for (let i = 1; i <= 10_000; i++) logger.progress(i, 10_000, "rows");
  logger.log("rows read");
  await logger.close();

  const base = `${server.url}/log/${logger.jobId}`;
  const snapshot = await (await fetch(base)).json();
  const progress = snapshot.logs.filter((e: { event: string }) => e.event === "progress");
  assert.ok(progress.length <= 3, `${progress.length} progress entries stored`);
  assert.equal(snapshot.progress.done, 10_000);
  assert.equal(snapshot.progress.label, "rows");

  await using stream = await SseClient.open(`${base}/stream`);
  const events = await stream.readToEnd(100, 10_000);
  const last = events.filter((e) => e.event === "progress").at(-1)!;
  assert.deepEqual([last.done, last.total], [10_000, 10_000]);
  assert.deepEqual(events.map((e) => e.event === "log" ? e.message : e.event).at(-2), "rows read");
});
