/**
 * The job routes over real HTTP on a DynamoDB store, with the job in another
 * process: its result (`GET {prefix}/{jobId}/result`), a cancel
 * (`POST {prefix}/{jobId}/cancel`) that reaches `logger.signal` there, and
 * the outcome in the stream's end and the snapshot.
 */

import assert from "node:assert/strict";
import { createLogHandler } from "../mod.ts";
import { startDynalite } from "./support/dynalite.ts";
import { freshTable, startWriter, testStore } from "./support/dynamo.ts";
import { bigResult } from "./support/dynamo_writer.ts";
import { serve } from "./support/serve.ts";
import { SseClient } from "./support/sse_client.ts";

Deno.test("result and cancel routes reach a job in another process through DynamoDB", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  await using writer = await startWriter(db.endpoint, table, 100);
  using store = testStore(db.endpoint, { table, pollMs: 50 });
  await using server = serve(createLogHandler({ prefix: "/log", store, heartbeatMs: 500 }));
  const job = `${server.url}/log/${writer.jobId}`;
  await using sse = await SseClient.open(`${job}/stream`);
  assert.equal(JSON.parse((await sse.nextEvent(10_000))!.data).message, "entry 0");

  // Running, no result yet.
  const pending = await fetch(`${job}/result`);
  assert.deepEqual([pending.status, await pending.json()], [202, { done: false }]);

  // A cancel here reaches the job's logger.signal there (with its next lease renewal).
  const cancel = await fetch(`${job}/cancel`, { method: "POST" });
  assert.deepEqual([cancel.status, await cancel.json()], [202, { cancelling: true }]);
  assert.equal(await writer.line(), "cancelled");

  // The job stores a 700 KB result, then closes: as cancelled, since a cancel came.
  await writer.send("result 700000");
  assert.equal(await writer.line(), "result set");
  const result = await fetch(`${job}/result`);
  assert.equal(result.status, 200);
  assert.deepEqual(await result.json(), bigResult(700_000));
  await writer.send("close");
  assert.equal(await writer.line(), "closed");

  const end = await sse.readToEnd(100, 15_000);
  assert.deepEqual(end.at(-1), { event: "done", status: "cancelled" });
  const snapshot = await (await fetch(job)).json();
  assert.deepEqual([snapshot.done, snapshot.status], [true, "cancelled"]);
  // Read again after the end: the same result; a cancel now changes nothing.
  assert.deepEqual(await (await fetch(`${job}/result`)).json(), bigResult(700_000));
  const late = await fetch(`${job}/cancel`, { method: "POST" });
  assert.deepEqual([late.status, await late.json()], [200, { done: true, status: "cancelled" }]);

  // Unknown jobs are 404 on both routes.
  for (const [path, method] of [["result", "GET"], ["cancel", "POST"]]) {
    const response = await fetch(`${server.url}/log/no-such-job/${path}`, { method });
    assert.equal(response.status, 404, path);
    await response.body?.cancel();
  }
});
