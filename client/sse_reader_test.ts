/** The SSE body reader over real HTTP: events in order with their ids, heartbeats, the end, and aborts. */
import assert from "node:assert/strict";
import { serve } from "../tests/support/serve.ts";
import { createSseParser } from "./sse_parser.ts";
import { readSse } from "./sse_reader.ts";

/** An event-stream body sent in these pieces; it stays open after them unless `close`. */
function pieces(parts: string[], close: boolean) {
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const part of parts) {
        controller.enqueue(new TextEncoder().encode(part));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (close) controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return {
    response: () => new Response(body, { headers: { "Content-Type": "text/event-stream" } }),
    cancelled: () => cancelled,
  };
}

Deno.test("readSse: each event's data in order with its id, across pieces; true once each says the end", async () => {
  const body = pieces([
    'id: 1\ndata: {"message":"a"',
    "}\n\nid: 2\ndata: b\n",
    "\n",
    "data: end\n\n",
  ], false);
  await using server = serve(body.response);
  const controller = new AbortController();
  const response = await fetch(server.url, { signal: controller.signal });
  const parser = createSseParser();
  const seen: string[] = [];
  let chunks = 0;
  const ended = await readSse(
    response,
    parser,
    (data) => {
      seen.push(`${parser.id}:${data}`);
      return data === "end";
    },
    () => chunks++,
    controller.signal,
  );
  assert.equal(ended, true);
  assert.deepEqual(seen, ['1:{"message":"a"}', "2:b", "2:end"]);
  assert.ok(chunks >= 1);
  controller.abort();
});

Deno.test("readSse: a heartbeat alone counts as a chunk; a body that ends without the end is false", async () => {
  await using server = serve(pieces([": heartbeat\n\n"], true).response);
  const signal = new AbortController().signal;
  let chunks = 0;
  const events: string[] = [];
  const result = await readSse(
    await fetch(server.url),
    createSseParser(),
    (data) => {
      events.push(data);
      return false;
    },
    () => chunks++,
    signal,
  );
  assert.equal(result, false);
  assert.deepEqual(events, []);
  assert.ok(chunks >= 1, "the heartbeat told the caller the connection works");
});

Deno.test("readSse: nothing is read after the signal aborts, even with a fetch that ignores it", async () => {
  // The server sends "a", waits until the reader was aborted, then sends "b" and "c".
  const { promise: aborted, resolve: release } = Promise.withResolvers<void>();
  await using server = serve(() =>
    new Response(
      new ReadableStream({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode("data: a\n\n"));
          await aborted;
          controller.enqueue(new TextEncoder().encode("data: b\n\ndata: c\n\n"));
          controller.close();
        },
      }),
      { headers: { "Content-Type": "text/event-stream" } },
    )
  );
  const controller = new AbortController();
  const seen: string[] = [];
  // fetch without the signal: only the reader can stop.
  const reading = readSse(
    await fetch(server.url),
    createSseParser(),
    (data) => {
      seen.push(data);
      setTimeout(() => {
        controller.abort();
        release();
      });
      return false;
    },
    () => {},
    controller.signal,
  );
  assert.equal(await reading, false);
  assert.deepEqual(seen, ["a"]);
});

Deno.test("readSse: a chunk of megabytes is decoded and parsed 64 KB at a time, characters cut between pieces intact", async () => {
  // One network chunk of about 2 MB (as a page that fell behind a burst gets), with
  // characters of 2, 3 and 4 bytes, so that piece boundaries fall inside some of them.
  const texts = Array.from({ length: 20_000 }, (_, i) => `entry ${i} é€😀 ${"x".repeat(i % 97)}`);
  const bytes = new TextEncoder().encode(texts.map((t) => `data: ${t}\n\n`).join(""));
  assert.ok(bytes.length > 1_500_000, `${bytes.length} bytes`);
  const response = new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    }),
  );
  const parser = createSseParser();
  // The most text parsed at once: what one step of the reader holds the thread for.
  let largest = 0;
  const push = parser.push;
  parser.push = (text) => {
    largest = Math.max(largest, text.length);
    push(text);
  };
  const seen: string[] = [];
  const ended = await readSse(
    response,
    parser,
    (data) => {
      seen.push(data);
      return false;
    },
    () => {},
    new AbortController().signal,
  );
  assert.equal(ended, false);
  assert.deepEqual(seen, texts);
  assert.ok(largest <= 64 * 1024, `${largest} characters parsed at once`);
});
