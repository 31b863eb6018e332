/**
 * `logger.progress()` over real HTTP: a tight loop of calls reaches a reader
 * as a few entries ending on the exact last value, in order with the log
 * lines around it; a late reader (SSE or snapshot) gets the newest progress
 * even when the store dropped it; bad arguments are TypeErrors.
 */
import assert from "node:assert/strict";
import { JobLogger, MemoryStore } from "../mod.ts";
import { setup, streamJob } from "./support/log_job.ts";
import { SseClient } from "./support/sse_client.ts";

type Entry = Record<string, unknown>;
const progressOf = (events: Entry[]) => events.filter((e) => e.event === "progress");

Deno.test("10,000 progress() calls in a tight loop reach an SSE reader as a few entries, the last exact", async () => {
  const { server, logger, url } = streamJob();
  await using _ = server;
  await using stream = await SseClient.open(url);
  logger.log("start");
  const started = performance.now();
  for (let i = 1; i <= 10_000; i++) logger.progress(i, 10_000, "rows");
  const loopMs = performance.now() - started;
  // The next log line comes after the newest progress, as it was made.
  logger.log("rows read");
  await logger.close();
  const events = await stream.readToEnd(1_000, 5_000);
  const progress = progressOf(events);
  // One entry per 250 ms the loop ran, plus the first and the last.
  const bound = 2 + Math.ceil(loopMs / 250);
  assert.ok(progress.length <= bound, `${progress.length} entries for ${loopMs} ms of calls`);
  assert.ok(progress.length <= 10, `${progress.length} entries`);
  assert.deepEqual(
    { ...progress.at(-1), t: 0 },
    { event: "progress", done: 10_000, total: 10_000, label: "rows", t: 0 },
  );
  assert.deepEqual(
    events.map((e) => e.event === "log" ? e.message : e.event).filter((e) => e !== "progress"),
    ["start", "rows read", "done"],
  );
  const order = events.map((e) => e.event === "log" ? e.message : e.event);
  assert.equal(order.lastIndexOf("progress"), order.indexOf("rows read") - 1);
});

Deno.test("progress calls spread over time are written a few a second, each the newest value", async () => {
  const { server, logger, url } = streamJob();
  await using _ = server;
  await using stream = await SseClient.open(url);
  const started = performance.now();
  let i = 0;
  // About 1.2 s of calls, 2 ms apart.
  while (performance.now() - started < 1_200 && i < 10_000) {
    logger.progress(++i);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const ms = performance.now() - started;
  await logger.close();
  const progress = progressOf(await stream.readToEnd(1_000, 5_000));
  assert.ok(progress.length >= 3, `${progress.length} entries`);
  assert.ok(progress.length <= 2 + Math.ceil(ms / 250), `${progress.length} in ${ms} ms`);
  const values = progress.map((e) => e.done as number);
  assert.deepEqual(values, [...values].sort((a, b) => a - b), "in order");
  assert.equal(values.at(-1), i);
  assert.ok(!("total" in progress[0]) && !("label" in progress[0]));
});

Deno.test("a late reader gets the newest progress after the store dropped it: snapshot and SSE", async () => {
  const { server, logger, store } = streamJob({ maxEntries: 10 });
  await using _ = server;
  logger.progress(7, 40, "pages");
  for (let i = 0; i < 50; i++) logger.log(`line ${i}`);
  assert.equal(store.stats(logger.jobId)!.entries, 10, "the progress entry is gone from the ring");
  const base = `${server.url}/log/${logger.jobId}`;
  const snapshot = await (await fetch(base)).json();
  assert.equal(snapshot.missed, 41);
  assert.ok(!snapshot.logs.some((e: Entry) => e.event === "progress"));
  assert.deepEqual({ ...snapshot.progress, t: 0 }, {
    event: "progress",
    done: 7,
    total: 40,
    label: "pages",
    t: 0,
  });
  // A reader that has the progress entry already is not sent it again.
  const newer = await (await fetch(`${base}?from=45`)).json();
  assert.equal(newer.progress, undefined);

  await using stream = await SseClient.open(`${base}/stream`);
  const [missed, progress, first] = await stream.take(3);
  assert.deepEqual(missed, { event: "missed", count: 41 });
  assert.equal(progress.event, "progress");
  assert.equal(progress.done, 7);
  assert.equal(first.message, "line 40");
});

Deno.test("the snapshot's progress is the newest among its entries; none before the first", async () => {
  const { server, logger } = setup();
  await using _ = server;
  const base = `${server.url}/log/${logger.jobId}`;
  logger.log("a");
  assert.equal((await (await fetch(base)).json()).progress, undefined);
  logger.progress(1, 3);
  logger.log("b"); // writes progress 1 first
  logger.progress(2, 3);
  await logger.close(); // writes progress 2 first
  const snapshot = await (await fetch(base)).json();
  assert.deepEqual(
    snapshot.logs.map((e: Entry) => e.event === "progress" ? e.done : e.event),
    ["log", 1, "log", 2, "done"],
  );
  assert.equal(snapshot.progress.done, 2);
  assert.equal(snapshot.progress.total, 3);
});

Deno.test("progress(): bad arguments are TypeErrors naming them; progress is reserved for emit()", () => {
  const logger = new JobLogger({ store: new MemoryStore() });
  const cases: [unknown[], RegExp][] = [
    [[-1], /done must be a finite number, 0 or more; got -1/],
    [[NaN], /done must be a finite number, 0 or more; got NaN/],
    [["3"], /done must be a finite number, 0 or more; got "3"/],
    [[1, 0], /total must be a finite number above 0, or undefined; got 0/],
    [[1, Infinity], /total must be a finite number above 0, or undefined; got Infinity/],
    [[1, 2, 3], /label must be a string, or undefined; got number/],
  ];
  for (const [args, message] of cases) {
    assert.throws(
      () => (logger.progress as (...a: unknown[]) => void)(...args),
      (e: unknown) => e instanceof TypeError && message.test(e.message),
      String(args),
    );
  }
  assert.throws(
    () =>
      // @ts-expect-error: the types refuse it too; progress() writes these entries
      logger.emit("progress", { done: 1 }),
    /event "progress" is reserved by the stream/,
  );
  assert.throws(
    // @ts-expect-error: done is a number
    () => logger.progress("3"),
    /done must be a finite number/,
  );
  logger.close();
});

Deno.test("progress() after close() is ignored with the one warning", async () => {
  const store = new MemoryStore();
  const logger = new JobLogger({ store });
  logger.progress(1, 2);
  await logger.close();
  const warn = console.warn;
  const said: unknown[] = [];
  console.warn = (...args) => said.push(args.join(" "));
  try {
    logger.progress(2, 2);
    logger.progress(2, 2);
  } finally {
    console.warn = warn;
  }
  assert.equal(said.length, 1);
  assert.match(String(said[0]), /progress\(\) after close\(\) are ignored/);
  const read = await store.read(logger.jobId, 0);
  assert.equal(read!.entries.length, 1);
});

Deno.test("flush() writes a waiting progress value at once", async () => {
  const store = new MemoryStore();
  const logger = new JobLogger({ store });
  logger.progress(1, 3);
  logger.progress(2, 3); // waits for its turn
  const before = await store.read(logger.jobId, 0);
  assert.equal(before!.entries.length, 1);
  await logger.flush();
  const after = await store.read(logger.jobId, 0);
  assert.equal(after!.entries.length, 2);
  assert.equal(JSON.parse(after!.entries[1]).done, 2);
  await logger.close();
  assert.equal((await store.read(logger.jobId, 0))!.entries.length, 2, "nothing left to write");
});
