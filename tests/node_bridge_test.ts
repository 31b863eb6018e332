/**
 * The handler behind a minimal Node `http` bridge (node:http), which turns a
 * closed socket into an aborted `request.signal` and never cancels the body
 * itself, as many hand-written bridges do: the stream must stop on the signal
 * alone, leaving no store waiter and no timer behind.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createLogHandler, JobLogger, type LogHandler, MemoryStore } from "../mod.ts";
import { countingTimers } from "./support/timers.ts";
import { connectAndLeave } from "./support/connect_and_leave.ts";

const CYCLES = 200;

/** A bridge: Node request in, Web `Request` (with a signal aborted on close) to the handler, body out. */
function bridge(handler: LogHandler) {
  const readers = new Set<ReadableStreamDefaultReader<Uint8Array>>();
  const server = http.createServer(async (req, res) => {
    const aborter = new AbortController();
    res.on("close", () => aborter.abort());
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      signal: aborter.signal,
    });
    const response = (await handler(request)) ?? new Response("not found", { status: 404 });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body === null) return res.end();
    const reader = response.body.getReader();
    readers.add(reader);
    for (let i = 0; i < 1_000_000; i++) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.destroyed) res.write(value);
    }
    readers.delete(reader);
    res.end();
  });
  return {
    async listen(): Promise<number> {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return (server.address() as AddressInfo).port;
    },
    /** Streams still being read by the bridge. */
    get open() {
      return readers.size;
    },
    async close() {
      for (const reader of readers) await reader.cancel().catch(() => {});
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function until(check: () => boolean, limit = 2_000): Promise<void> {
  for (let i = 0; i < limit && !check(); i++) await new Promise((r) => setTimeout(r, 2));
}

Deno.test(`a Node bridge that aborts request.signal: ${CYCLES} connect/disconnect cycles leave 0 waiters and 0 timers`, async () => {
  const store = new MemoryStore();
  const logger = new JobLogger({ store });
  logger.log("hello");
  const server = bridge(createLogHandler({ store, heartbeatMs: 60_000 }));
  const port = await server.listen();
  try {
    await countingTimers(async (pendingTimers, startedTimers) => {
      for (let i = 0; i < CYCLES; i++) {
        await connectAndLeave(port, `/log/${logger.jobId}/stream`);
      }
      await until(() => store.stats(logger.jobId)?.waiting === 0 && server.open === 0);
      assert.equal(store.stats(logger.jobId)?.waiting, 0, "store waiters left");
      assert.equal(server.open, 0, "streams the bridge still reads");
      assert.ok(startedTimers() >= CYCLES, "each stream started its heartbeat timer");
      assert.equal(pendingTimers(), 0, "heartbeat timers left");
    });
  } finally {
    await server.close();
    await logger.close();
  }
});

Deno.test("the same bridge with a handler that ignores the signal leaks every stream (the test can fail)", async () => {
  const store = new MemoryStore();
  const logger = new JobLogger({ store });
  logger.log("hello");
  const handler = createLogHandler({ store, heartbeatMs: 60_000 });
  // The request as a handler that drops the signal would see it.
  const withoutSignal: LogHandler = (request) =>
    handler(new Request(request.url, { headers: request.headers }));
  const server = bridge(withoutSignal);
  const port = await server.listen();
  try {
    for (let i = 0; i < 5; i++) await connectAndLeave(port, `/log/${logger.jobId}/stream`);
    await until(() => store.stats(logger.jobId)?.waiting === 5);
    assert.equal(store.stats(logger.jobId)?.waiting, 5);
    assert.equal(server.open, 5);
  } finally {
    await server.close(); // cancels what leaked
    await logger.close();
  }
});
