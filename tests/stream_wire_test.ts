/**
 * The stream's bytes over real HTTP: the `retry:` line and heartbeats inside
 * event blocks (never a block without data), `done` with the job's end as
 * its id, 204 after it, cursors past the end, and heartbeats that read
 * nothing from the store.
 */
import assert from "node:assert/strict";
import { createLogHandler, JobLogger, MemoryStore } from "../mod.ts";
import { serve } from "./support/serve.ts";
import { messages, streamJob } from "./support/log_job.ts";
import { SseClient } from "./support/sse_client.ts";

/** How long a stream that should end (or show what a test waits for) may take: a hang fails. */
const BOUND_MS = 10_000;

/** A finished job's whole response body, as text. */
async function body(url: string, headers: HeadersInit = {}): Promise<string> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(BOUND_MS) });
  assert.equal(response.status, 200);
  return await response.text();
}

/** Reads a live stream's raw text until `until` says it has enough (bounded), then drops it. */
async function rawUntil(url: string, until: (text: string) => boolean): Promise<string> {
  const controller = new AbortController();
  const response = await fetch(url, {
    signal: AbortSignal.any([controller.signal, AbortSignal.timeout(BOUND_MS)]),
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  try {
    for (let i = 0; i < 10_000 && !until(text); i++) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
    }
  } finally {
    controller.abort();
    await reader.cancel().catch(() => {});
  }
  return text;
}

/** Every block (up to a blank line) holds a data line: no parser ever sees an empty message. */
function assertEveryBlockHasData(text: string): void {
  const blocks = text.split("\n\n");
  blocks.pop(); // what follows the last blank line is not a block yet
  for (const block of blocks) {
    assert.ok(
      block.split("\n").some((line) => line.startsWith("data:")),
      `a block with no data: ${JSON.stringify(block)}`,
    );
  }
}

Deno.test("the stream: retry in the first event's block, id + data per entry, done with the end as id", async () => {
  const { server, logger, url } = streamJob();
  await using _ = server;
  logger.log("one");
  logger.log("two", "success");
  await using client = await SseClient.open(url);
  assert.deepEqual(await client.next(), { kind: "retry", ms: 1000 });
  const first = await client.next();
  assert.equal(first?.kind === "event" && first.id, "0");
  assert.deepEqual(JSON.parse(first?.kind === "event" ? first.data : ""), {
    event: "log",
    message: "one",
    level: "info",
    t: JSON.parse(first?.kind === "event" ? first.data : "").t,
  });
  await logger.close();
  const rest = await client.readToEnd();
  assert.deepEqual(rest.map((e) => e.event), ["log", "done"]);
  assert.equal(rest[0].level, "success");
  assert.equal(client.lastEventId, "2", "done carries the job's end: the id after the last entry");
  assert.equal(await client.ended(), true);

  const text = await body(url);
  const [a, b] = text.split("\n\n").map((block) => block.match(/"t":([\d.]+)/)?.[1]);
  assert.equal(
    text,
    `retry: 1000\ndata: {"event":"log","message":"one","level":"info","t":${a}}\nid: 0\n\n` +
      `data: {"event":"log","message":"two","level":"success","t":${b}}\nid: 1\n\n` +
      `data: {"event":"done"}\nid: 2\n\n`,
  );
});

Deno.test("a reconnect after done gets 204 No Content, so EventSource stops; also with no entries", async () => {
  const { server, logger, url, store } = streamJob();
  await using _ = server;
  logger.log("only");
  await logger.close();
  assert.match(await body(url), /data: \{"event":"done"\}\nid: 1\n\n$/);
  for (const cursor of ["1", "2", "999"]) {
    const again = await fetch(url, { headers: { "Last-Event-ID": cursor } });
    assert.equal(again.status, 204, `Last-Event-ID: ${cursor}`);
    assert.equal(await again.text(), "");
  }
  const query = await fetch(`${url}?lastEventId=1`);
  assert.equal(query.status, 204);
  await query.body?.cancel();
  // A client cut before done (it has the last entry, not the end) still gets done.
  assert.equal(
    await body(url, { "Last-Event-ID": "0" }),
    'retry: 1000\ndata: {"event":"done"}\nid: 1\n\n',
  );

  const empty = new JobLogger({ store });
  await empty.close();
  const emptyUrl = `${server.url}/log/${empty.jobId}/stream`;
  assert.equal(await body(emptyUrl), 'retry: 1000\ndata: {"event":"done"}\nid: 0\n\n');
  const reconnect = await fetch(emptyUrl, { headers: { "Last-Event-ID": "0" } });
  assert.equal(reconnect.status, 204);
  await reconnect.body?.cancel();
});

Deno.test("a cursor past the end of a running job is 400; an empty Last-Event-ID is ignored", async () => {
  const { server, logger, url } = streamJob();
  await using _ = server;
  for (let i = 0; i < 3; i++) logger.log(`m${i}`);
  const past = await fetch(url, { headers: { "Last-Event-ID": "3" } });
  assert.equal(past.status, 400);
  assert.deepEqual(await past.json(), {
    error: "the last event id 3 is past the end of the job's log; its next entry id is 3",
  });
  const query = await fetch(`${url}?lastEventId=7`);
  assert.equal(query.status, 400);
  await query.body?.cancel();
  // Some clients send an empty header before their first event: the query still counts.
  await using client = await SseClient.open(`${url}?lastEventId=1`, "");
  await logger.close();
  assert.deepEqual(messages(await client.readToEnd()), ["m2"]);
});

Deno.test("heartbeats are comment lines between events, never a block without data", async () => {
  const { server, logger, url } = streamJob({ heartbeatMs: 30 });
  await using _ = server;
  const quiet = await rawUntil(url, (text) => text.split(": ping\n").length > 2);
  assert.equal(quiet, "retry: 1000\n: ping\n: ping\n", "no blank line: nothing to dispatch");
  setTimeout(() => logger.log("after the pings"), 100);
  const text = await rawUntil(url, (text) => text.includes("\n\n"));
  assert.match(
    text,
    /^retry: 1000\n(: ping\n)+data: \{"event":"log","message":"after the pings"[^\n]+\nid: 0\n\n/,
  );
  assertEveryBlockHasData(text);
  const more = await rawUntil(url, (text) => text.split(": ping\n").length > 2);
  assert.match(more, /^retry: 1000\ndata: [^\n]*\nid: 0\n\n: ping\n: ping\n$/);
  await logger.close();
});

Deno.test("a store failing mid-stream costs heartbeats, not entries", async () => {
  let failing = false;
  class FlakyStore extends MemoryStore {
    override read(jobId: string, cursor: number, limit?: number) {
      return failing ? Promise.reject(new Error("store down")) : super.read(jobId, cursor, limit);
    }
  }
  const store = new FlakyStore();
  await using server = serve(createLogHandler({ store, heartbeatMs: 20 }));
  const logger = new JobLogger({ store });
  logger.log("before");
  const url = `${server.url}/log/${logger.jobId}/stream`;
  const controller = new AbortController();
  const response = await fetch(url, {
    signal: AbortSignal.any([controller.signal, AbortSignal.timeout(BOUND_MS)]),
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const readUntil = async (until: () => boolean) => {
    for (let i = 0; i < 1_000 && !until(); i++) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
    }
  };
  try {
    await readUntil(() => text.includes("\n\n"));
    failing = true;
    logger.log("during");
    const mark = text.length;
    await readUntil(() => text.slice(mark).split(": ping\n").length > 2);
    assert.equal(text.slice(mark), ": ping\n: ping\n", "only heartbeats while the store fails");
    failing = false;
    logger.log("after");
    await logger.close();
    await readUntil(() => text.includes('"event":"done"'));
    const events = text.split("\n\n").flatMap((block) =>
      block.split("\n").filter((line) => line.startsWith("data: ")).map((line) =>
        JSON.parse(line.slice(6))
      )
    );
    assert.deepEqual(messages(events), ["before", "during", "after"]);
    assertEveryBlockHasData(text);
  } finally {
    controller.abort();
    await reader.cancel().catch(() => {});
  }
});

Deno.test("a heartbeat with nothing new reads nothing from the store", async () => {
  let reads = 0;
  class CountingStore extends MemoryStore {
    override read(jobId: string, cursor: number, limit?: number) {
      reads++;
      return super.read(jobId, cursor, limit);
    }
  }
  const store = new CountingStore();
  await using server = serve(createLogHandler({ store, heartbeatMs: 10 }));
  const logger = new JobLogger({ store });
  logger.log("one");
  const url = `${server.url}/log/${logger.jobId}/stream`;
  const text = await rawUntil(url, (text) => text.split(": ping\n").length > 6);
  assert.match(text, /^retry: 1000\ndata: [^\n]+\nid: 0\n\n(: ping\n){6}$/);
  assert.equal(reads, 1, "one read for the entry, none for the six heartbeats");
  await logger.close();
});

Deno.test("a reader that comes back after the job's retention is told what it missed", async () => {
  const store = new MemoryStore({ retentionMs: 30 });
  await using server = serve(createLogHandler({ store }));
  const logger = new JobLogger({ store });
  for (let i = 0; i < 10; i++) logger.log(`m${i}`);
  const url = `${server.url}/log/${logger.jobId}/stream`;
  const first = await SseClient.open(url);
  assert.deepEqual(messages(await first.take(4)), ["m0", "m1", "m2", "m3"]);
  await first.cancel();
  await logger.close();
  await new Promise((resolve) => setTimeout(resolve, 60));
  await using late = await SseClient.open(url, "3");
  assert.deepEqual(await late.readToEnd(), [{ event: "missed", count: 6 }, { event: "done" }]);
  assert.equal(late.lastEventId, "10");
  const gone = await fetch(url, { headers: { "Last-Event-ID": "10" } });
  assert.equal(gone.status, 204);
});
