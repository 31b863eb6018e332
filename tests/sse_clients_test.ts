/**
 * The stream read by the SSE clients people use, from npm, over real HTTP
 * through a proxy that cuts the connection mid-event three times while the
 * job logs and heartbeats flow: each client ends with exactly the logged
 * sequence, never an empty message, and stops after `done` (a plain
 * `EventSource` that never calls `close()` makes at most one more request,
 * answered 204).
 */
import assert from "node:assert/strict";
import { EventSource } from "eventsource";
import { createEventSource } from "eventsource-client";
import { fetchEventSource } from "@microsoft/fetch-event-source";
import { createLogHandler, JobLogger, MemoryStore } from "../mod.ts";
import { serve } from "./support/serve.ts";
import { FaultProxy, latestRequest } from "./support/fault_proxy.ts";

const ENTRIES = 60;
const CUTS = 3;
const streams = latestRequest(/\/stream/);

/** What one client saw. */
interface Seen {
  /** The data of every message, empty ones included. */
  data: string[];
  /** Stream requests through the proxy when `done` arrived. */
  requestsAtDone: number;
}

/** Runs a job whose stream `client` reads through a cutting proxy; resolves once the client is finished. */
async function throughCuts(
  client: (url: string, seen: Seen, proxy: FaultProxy) => Promise<void>,
): Promise<{ seen: Seen; expected: string[]; proxy: FaultProxy; requests: number }> {
  const store = new MemoryStore();
  await using server = serve(createLogHandler({ store, retryMs: 10, heartbeatMs: 4 }));
  await using proxy = FaultProxy.start(server.url);
  const logger = new JobLogger({ store });
  // Each of the first three stream connections is cut inside the data of an event past its
  // first 250 bytes (head included): a client holds half an event when the connection breaks.
  proxy.cutNext(streams, 250, CUTS, "data: {");
  const seen: Seen = { data: [], requestsAtDone: -1 };
  const reading = client(`${proxy.url}/log/${logger.jobId}/stream`, seen, proxy);
  for (let i = 0; i < ENTRIES; i++) {
    logger.log(`entry ${i}`, i % 9 === 0 ? "warning" : "info");
    if (i % 6 === 5) await new Promise((resolve) => setTimeout(resolve, 10)); // heartbeats flow
  }
  await logger.close();
  await reading;
  const { entries } = (await store.read(logger.jobId, 0))!;
  const requests = proxy.requests.filter((head) => / \/log\/[^ ]*\/stream /.test(head)).length;
  return { seen, expected: [...entries, '{"event":"done"}'], proxy, requests };
}

function streamRequests(proxy: FaultProxy): number {
  return proxy.requests.filter((head) => / \/log\/[^ ]*\/stream /.test(head)).length;
}

/** Resolves when `check` holds, polling every few ms, at most `limit` times. */
async function until(check: () => boolean, what: string, limit = 2_000): Promise<void> {
  for (let i = 0; i < limit && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), `timed out waiting for ${what}`);
}

function assertClean(seen: Seen, expected: string[], requests: number) {
  assert.equal(seen.data.filter((d) => d === "").length, 0, "no empty message");
  assert.deepEqual(seen.data, expected, "exactly the logged sequence, then done");
  assert.ok(requests >= CUTS + 1, `the proxy cut ${CUTS} connections (${requests} requests)`);
}

Deno.test("eventsource (npm): every entry once through cuts; after done one request, answered 204", async () => {
  let source: EventSource | undefined;
  const { seen, expected, requests } = await throughCuts(async (url, seen, proxy) => {
    source = new EventSource(url);
    let closed = false;
    source.onmessage = (event) => {
      seen.data.push(event.data);
      if (JSON.parse(event.data).event === "done") seen.requestsAtDone = streamRequests(proxy);
    };
    source.onerror = () => {
      if (source!.readyState === EventSource.CLOSED) closed = true;
    };
    // It never calls close(): the server's 204 must be what stops it.
    await until(() => closed, "the EventSource to stop by itself");
  });
  assertClean(seen, expected, requests);
  assert.ok(
    requests - seen.requestsAtDone <= 1,
    `${requests - seen.requestsAtDone} requests after done`,
  );
  assert.equal(source!.readyState, EventSource.CLOSED);
});

Deno.test("eventsource-client (npm): every entry once through cuts; stops on the 204 after done", async () => {
  const comments: string[] = [];
  const { seen, expected, requests } = await throughCuts(async (url, seen, proxy) => {
    const source = createEventSource({
      url,
      onComment: (comment) => comments.push(comment),
      onMessage(message) {
        seen.data.push(message.data);
        if (JSON.parse(message.data).event === "done") seen.requestsAtDone = streamRequests(proxy);
      },
    });
    try {
      await until(() => source.readyState === "closed", "eventsource-client to stop by itself");
    } finally {
      source.close();
    }
  });
  assertClean(seen, expected, requests);
  assert.ok(
    requests - seen.requestsAtDone <= 1,
    `${requests - seen.requestsAtDone} requests after done`,
  );
  assert.ok(comments.includes("ping"), "heartbeats went by between the entries");
});

Deno.test("@microsoft/fetch-event-source: no empty message (JSON.parse never throws), every entry once", async () => {
  // It reads `window.setTimeout` / `window.clearTimeout` and `document`'s visibility events, as
  // in a browser; give it those two globals for the test only.
  const g = globalThis as Record<string, unknown>;
  const saved = { window: g.window, document: g.document };
  g.window = { setTimeout, clearTimeout };
  g.document = { hidden: false, addEventListener() {}, removeEventListener() {} };
  try {
    const { seen, expected, requests } = await throughCuts(async (url, seen, proxy) => {
      let done = false;
      const stop = new AbortController();
      await fetchEventSource(url, {
        fetch,
        signal: stop.signal,
        openWhenHidden: true,
        onmessage(message) {
          seen.data.push(message.data);
          const event = JSON.parse(message.data); // what its users write; throws on empty data
          if (event.event === "done") {
            done = true;
            seen.requestsAtDone = streamRequests(proxy);
          }
        },
        onclose() {
          if (!done) throw new Error("closed before done: retry"); // its documented way to retry
        },
        onerror(error) {
          if (error instanceof SyntaxError) throw error; // an empty message: fail, do not retry
        },
      });
    });
    assertClean(seen, expected, requests);
    assert.equal(requests, seen.requestsAtDone, "no request after done");
  } finally {
    g.window = saved.window;
    g.document = saved.document;
  }
});

Deno.test("eventsource (npm) on a job with no entries: done, then one request answered 204, then it stops", async () => {
  const store = new MemoryStore();
  const handler = createLogHandler({ store, retryMs: 10 });
  const statuses: number[] = [];
  await using server = serve(async (request) => {
    const response = await handler(request);
    if (response !== null) statuses.push(response.status);
    return response;
  });
  const logger = new JobLogger({ store });
  await logger.close();
  const source = new EventSource(`${server.url}/log/${logger.jobId}/stream`);
  const data: string[] = [];
  let closed = false;
  source.onmessage = (event) => data.push(event.data);
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) closed = true;
  };
  try {
    await until(() => closed, "the EventSource to stop by itself");
  } finally {
    source.close();
  }
  assert.deepEqual(data, ['{"event":"done"}']);
  assert.deepEqual(statuses, [200, 204]);
});
