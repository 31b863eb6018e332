/**
 * A job written by a `JobLogger` in another `deno` process is read here,
 * live, through the handler on a DynamoStore: SSE (with ids, resume and the
 * end) and snapshots see the same entries.
 */

import assert from "node:assert/strict";
import { createLogHandler } from "../mod.ts";
import { startDynalite } from "./support/dynalite.ts";
import { freshTable, spawnWriter, testStore } from "./support/dynamo.ts";
import { serve } from "./support/serve.ts";
import { SseClient } from "./support/sse_client.ts";

Deno.test("a job written by another process streams (SSE) and snapshots from DynamoDB", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  const count = 300;
  await using writer = await spawnWriter(db.endpoint, [table, String(count)]);
  const { jobId } = writer;
  assert.match(jobId, /^[0-9a-f-]{36}$/, `writer said ${jobId}; stderr: ${writer.stderr()}`);
  using store = testStore(db.endpoint, { table, pollMs: 50 });
  const logs = createLogHandler({ prefix: "/log", store, heartbeatMs: 500 });
  await using server = serve(logs);

  // A live stream: opened while the job runs in the other process.
  await using sse = await SseClient.open(`${server.url}/log/${jobId}/stream`);
  const first = await sse.nextEvent();
  assert.deepEqual([first?.id, JSON.parse(first!.data).message], ["0", "entry 0"]);
  const during = await (await fetch(`${server.url}/log/${jobId}`)).json();
  assert.equal(during.done, false);
  assert.equal(during.logs.length, 1);

  await writer.send("go");
  const ids: string[] = [first!.id!];
  const events: Record<string, unknown>[] = [JSON.parse(first!.data)];
  for (let i = 0; i < count + 10; i++) {
    const event = await sse.nextEvent(30_000);
    assert.ok(event, "the stream ended before done");
    const data = JSON.parse(event.data);
    if (data.event === "done") {
      assert.equal(event.id, String(count)); // the job's end: a reconnect with it gets 204
      break;
    }
    ids.push(event.id!);
    events.push(data);
  }
  assert.ok(await sse.ended(30_000));
  assert.equal(await writer.line(), "closed");

  assert.deepEqual(ids, Array.from({ length: count }, (_, i) => String(i)));
  for (let i = 0; i < count; i++) {
    if (i % 7 === 0 && i > 0) assert.deepEqual([events[i].event, events[i].i], ["checkpoint", i]);
    else assert.equal(events[i].message, `entry ${i}`);
  }

  // The snapshot across processes: all of it, then only the new ones after N.
  const snapshot = await (await fetch(`${server.url}/log/${jobId}`)).json();
  assert.deepEqual(snapshot.logs, [...events, { event: "done" }]);
  assert.equal(snapshot.done, true);
  assert.equal(snapshot.next, count);
  const tail = await (await fetch(`${server.url}/log/${jobId}?after=${count - 3}`)).json();
  assert.deepEqual(tail.logs, [...events.slice(-2), { event: "done" }]);

  // Resume after a dropped connection, by Last-Event-ID.
  await using resumed = await SseClient.open(`${server.url}/log/${jobId}/stream`, "249");
  const rest = await resumed.readToEnd();
  assert.deepEqual(rest, [...events.slice(250), { event: "done" }]);
});
