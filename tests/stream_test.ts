/** The SSE route over real HTTP: what a browser's EventSource would read. */
import assert from "node:assert/strict";
import { createLogHandler } from "../mod.ts";
import { messages, streamJob } from "./support/log_job.ts";
import { SseClient } from "./support/sse_client.ts";

Deno.test("headers keep proxies and compression from buffering; none HTTP/2 forbids", async () => {
  const { server, logger, url } = streamJob();
  await using _ = server;
  await using client = await SseClient.open(url);
  const h = client.response.headers;
  assert.equal(h.get("content-type"), "text/event-stream; charset=utf-8");
  assert.equal(h.get("cache-control"), "no-cache, no-transform");
  assert.equal(h.get("x-accel-buffering"), "no");
  // The HTTP/1.1 server adds its own framing; the handler's response itself
  // carries no connection-specific header, so it is valid over HTTP/2 too.
  const handler = createLogHandler({ store: logger.store });
  const response = await handler(new Request(url));
  for (const banned of ["connection", "keep-alive", "transfer-encoding", "upgrade"]) {
    assert.equal(response?.headers.has(banned), false, banned);
  }
  await response?.body?.cancel();
  await logger.close();
});

Deno.test("two subscribers and a late one see identical sequences", async () => {
  const { server, logger, url } = streamJob();
  await using _ = server;
  await using a = await SseClient.open(url);
  await using b = await SseClient.open(url);
  for (let i = 0; i < 50; i++) logger.log(`line ${i}`, i % 7 === 0 ? "warning" : "info");
  await using late = await SseClient.open(url);
  for (let i = 50; i < 100; i++) logger.emit("step", { i });
  await logger.close();
  const [ea, eb, el] = await Promise.all([a.readToEnd(), b.readToEnd(), late.readToEnd()]);
  assert.equal(ea.length, 101);
  assert.deepEqual(eb, ea);
  assert.deepEqual(el, ea);
  assert.deepEqual(messages(ea), Array.from({ length: 50 }, (_, i) => `line ${i}`));
});

Deno.test("a connection cut mid-stream and resumed with Last-Event-ID loses and repeats nothing", async () => {
  const { server, logger, url } = streamJob();
  await using _ = server;
  for (let i = 0; i < 30; i++) logger.log(`m${i}`);
  const first = await SseClient.open(url);
  const before = await first.take(12);
  const lastId = first.lastEventId;
  await first.cancel();
  assert.equal(lastId, "11");
  for (let i = 30; i < 40; i++) logger.log(`m${i}`);
  await using resumed = await SseClient.open(url, lastId);
  await logger.close();
  const after = await resumed.readToEnd();
  assert.deepEqual(
    messages([...before, ...after]),
    Array.from({ length: 40 }, (_, i) => `m${i}`),
  );
});

Deno.test("resume works with ?lastEventId= for clients that cannot set headers", async () => {
  const { server, logger, url } = streamJob();
  await using _ = server;
  for (let i = 0; i < 5; i++) logger.log(`m${i}`);
  await logger.close();
  await using client = await SseClient.open(`${url}?lastEventId=2`);
  assert.deepEqual(messages(await client.readToEnd()), ["m3", "m4"]);
});

Deno.test("an aborted client releases its subscription at once", async () => {
  const { server, logger, url, store } = streamJob();
  await using _ = server;
  logger.log("hello");
  const client = await SseClient.open(url);
  await client.take(1);
  for (let i = 0; i < 200 && store.stats(logger.jobId)?.waiting !== 1; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.equal(store.stats(logger.jobId)?.waiting, 1, "the open stream waits for the next entry");
  await client.cancel();
  for (let i = 0; i < 200 && store.stats(logger.jobId)?.waiting !== 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.equal(store.stats(logger.jobId)?.waiting, 0);
  await logger.close();
});

Deno.test("the end closes every open stream", async () => {
  const { server, logger, url } = streamJob();
  await using _ = server;
  const clients = await Promise.all(Array.from({ length: 5 }, () => SseClient.open(url)));
  logger.log("only");
  await logger.close();
  for (const client of clients) {
    const events = await client.readToEnd();
    assert.deepEqual(events.map((e) => e.event), ["log", "done"]);
    assert.equal(await client.ended(), true);
  }
});

Deno.test("a reader behind the entry cap gets a missed event, never a silent gap", async () => {
  const { server, logger, url } = streamJob({ maxEntries: 10 });
  await using _ = server;
  for (let i = 0; i < 25; i++) logger.log(`m${i}`);
  await logger.close();
  await using client = await SseClient.open(url);
  const events = await client.readToEnd();
  assert.deepEqual(events[0], { event: "missed", count: 15 });
  assert.deepEqual(messages(events), Array.from({ length: 10 }, (_, i) => `m${i + 15}`));
  assert.equal(client.lastEventId, "25");
});

Deno.test("a job never closed ends for its readers after the idle time, as lost", async () => {
  const { server, logger, url } = streamJob({ idleMs: 50, heartbeatMs: 20 });
  await using _ = server;
  logger.log("then silence");
  await using client = await SseClient.open(url);
  const events = await client.readToEnd(10, 2_000);
  assert.deepEqual(events.map((e) => e.event), ["log", "done"]);
  assert.deepEqual(events[1], {
    event: "done",
    status: "lost",
    message: "the job logged nothing for 50 ms and was ended",
  });
});

Deno.test("fields JSON cannot encode reach the client encoded safely", async () => {
  const { server, logger, url } = streamJob();
  await using _ = server;
  const cyclic: Record<string, unknown> = { label: "c" };
  cyclic.self = cyclic;
  logger.emit("odd", { big: 2n ** 70n, cyclic, fn: () => 1, text: "two\nlines" });
  logger.log("still streaming");
  await logger.close();
  await using client = await SseClient.open(url);
  const [odd, next] = await client.readToEnd();
  assert.deepEqual({ ...odd, t: 0 }, {
    event: "odd",
    big: "1180591620717411303424",
    cyclic: { label: "c", self: "[Circular]" },
    text: "two\nlines",
    t: 0,
  });
  assert.equal(next.message, "still streaming");
});
