/**
 * `toNodeHandler` (`@streamator/core/node`) on real `node:http` and Express 5
 * servers: the `eventsource` npm client reads a job through a proxy that cuts
 * the connection mid-event, a `null` answer passes on to `next()` (404
 * without one), a client that reads nothing holds the stream back instead of
 * buffering it, and 1,000 clients that connect and leave leave no store
 * waiter, timer or connection behind.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { EventSource } from "eventsource";
import { createLogHandler, JobLogger, type LogHandler, MemoryStore } from "../mod.ts";
import { type NodeHandler, toNodeHandler } from "../node/mod.ts";
import { FaultProxy, latestRequest } from "./support/fault_proxy.ts";
import { countingTimers } from "./support/timers.ts";
import { connectAndLeave } from "./support/connect_and_leave.ts";

/** A listening Node server; `await using` closes it and its connections. */
interface NodeServer extends AsyncDisposable {
  url: string;
  server: http.Server;
  /** Open connections, as the server counts them. */
  connections(): Promise<number>;
}

async function listen(server: http.Server): Promise<NodeServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    connections: () =>
      new Promise((resolve, reject) =>
        server.getConnections((error, count) => error ? reject(error) : resolve(count))
      ),
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The two servers under test, each serving `logs` through the adapter. */
const SERVERS: Record<string, (logs: LogHandler) => Promise<NodeServer>> = {
  "node:http": (logs) => listen(http.createServer(toNodeHandler(logs))),
  "Express 5": (logs) => {
    const app = express();
    app.use(toNodeHandler(logs));
    app.get(
      "/hello",
      (_req: unknown, res: { send(body: string): void }) => res.send("hello from the next route"),
    );
    return listen(http.createServer(app));
  },
};

async function until(check: () => boolean | Promise<boolean>, what: string, limit = 2_000) {
  for (let i = 0; i < limit && !(await check()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.ok(await check(), `timed out waiting for ${what}`);
}

for (const [name, start] of Object.entries(SERVERS)) {
  Deno.test(`${name}: eventsource (npm) reads every entry once through 3 cuts, then stops on the 204`, async () => {
    const store = new MemoryStore();
    await using server = await start(createLogHandler({ store, retryMs: 10, heartbeatMs: 4 }));
    await using proxy = FaultProxy.start(server.url);
    proxy.cutNext(latestRequest(/\/stream/), 250, 3, "data: {");
    const logger = new JobLogger({ store });
    const source = new EventSource(`${proxy.url}/log/${logger.jobId}/stream`);
    const data: string[] = [];
    let closed = false;
    source.onmessage = (event) => data.push(event.data);
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) closed = true;
    };
    try {
      for (let i = 0; i < 60; i++) {
        logger.log(`entry ${i}`);
        if (i % 6 === 5) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await logger.close();
      await until(() => closed, "the EventSource to stop on the 204 after done");
    } finally {
      source.close();
    }
    const { entries } = (await store.read(logger.jobId, 0))!;
    assert.deepEqual(data, [...entries, '{"event":"done"}']);
    const streams = proxy.requests.filter((head) => head.includes("/stream ")).length;
    assert.ok(streams >= 4, `the proxy cut 3 connections (${streams} stream requests)`);
  });

  Deno.test(`${name}: 1,000 clients that connect and leave mid-stream leave no waiter, timer or connection`, async () => {
    const store = new MemoryStore();
    const logger = new JobLogger({ store });
    logger.log("hello");
    await countingTimers(async (pendingTimers, startedTimers) => {
      await using server = await start(createLogHandler({ store, heartbeatMs: 60_000 }));
      const { port } = server.server.address() as AddressInfo;
      for (let i = 0; i < 1_000; i++) {
        await connectAndLeave(port, `/log/${logger.jobId}/stream`, 100);
      }
      await until(
        async () => store.stats(logger.jobId)?.waiting === 0 && await server.connections() === 0,
        "every stream to stop",
      );
      assert.ok(startedTimers() >= 1_000, `${startedTimers()} heartbeat timers were started`);
      assert.equal(pendingTimers(), 0, "no timer left");
    });
    await logger.close();
  });
}

Deno.test("node:http: a null answer is a 404 without next; a handler that throws is a 500", async () => {
  const error = console.error;
  console.error = () => {};
  try {
    const logs = createLogHandler();
    await using server = await listen(http.createServer(toNodeHandler(logs)));
    const missing = await fetch(`${server.url}/elsewhere`);
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), "not found");
    await using failing = await listen(http.createServer(toNodeHandler(() => {
      throw new Error("boom");
    })));
    const failed = await fetch(failing.url);
    assert.equal(failed.status, 500);
    await failed.body?.cancel();
  } finally {
    console.error = error;
  }
});

Deno.test("Express 5: a null answer passes on to the next route; the log routes answer with their status, headers and body", async () => {
  const store = new MemoryStore();
  const logger = new JobLogger({ store });
  logger.log("hello");
  await logger.close();
  await using server = await SERVERS["Express 5"](createLogHandler({ store, cors: true }));
  const next = await fetch(`${server.url}/hello`);
  assert.equal(await next.text(), "hello from the next route");
  const snapshot = await fetch(`${server.url}/log/${logger.jobId}`);
  assert.equal(snapshot.headers.get("access-control-allow-origin"), "*");
  assert.equal((await snapshot.json()).logs[0].message, "hello");
  const unknown = await fetch(`${server.url}/log/no-such-job/stream`);
  assert.equal(unknown.status, 404);
  assert.deepEqual(await unknown.json(), { error: "unknown job" });
  const cancel = await fetch(`${server.url}/log/${logger.jobId}/cancel`, {
    method: "POST",
    body: "{}",
  });
  assert.equal(cancel.status, 200);
  assert.equal((await cancel.json()).done, true);
});

Deno.test("node:http: a client that reads nothing holds the stream back; it gets every entry once it reads", async () => {
  const store = new MemoryStore({ maxEntries: 1_000_000 });
  const logger = new JobLogger({ store });
  const line = "x".repeat(200);
  for (let i = 0; i < 200_000; i++) logger.log(`${i} ${line}`);
  await logger.close();
  const logs = createLogHandler({ store });
  let written = 0;
  const adapter: NodeHandler = toNodeHandler(logs);
  await using server = await listen(http.createServer((req, res) => {
    const write = res.write.bind(res) as (chunk: Uint8Array) => boolean;
    res.write = ((chunk: Uint8Array) => {
      written += chunk.byteLength;
      return write(chunk);
    }) as typeof res.write;
    adapter(req, res);
  }));
  const { port } = server.server.address() as AddressInfo;
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(
      new TextEncoder().encode(`GET /log/${logger.jobId}/stream HTTP/1.1\r\nHost: x\r\n\r\n`),
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // the client reads nothing
    const held = written;
    const total = 200_000 * (line.length + 60);
    assert.ok(held < total / 4, `${held} of about ${total} bytes written before the client read`);
    let read = 0;
    let tail = "";
    const buffer = new Uint8Array(1 << 16);
    for (let i = 0; i < 100_000 && !tail.includes('{"event":"done"}'); i++) {
      const n = await conn.read(buffer);
      if (n === null) break;
      read += n;
      tail = (tail + new TextDecoder().decode(buffer.subarray(0, n))).slice(-300);
    }
    assert.match(tail, /"199999 x+".*\n\n?id: 199999\n\ndata: \{"event":"done"\}/s);
    assert.ok(read > total * 0.9, `${read} bytes read`);
  } finally {
    conn.close();
  }
});

Deno.test("node:http: a client that leaves cancels a body that never looks at request.signal", async () => {
  let cancelled = 0;
  let timers = 0;
  const handler = () => {
    let timer: ReturnType<typeof setInterval>;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        timers++;
        timer = setInterval(() => controller.enqueue(new TextEncoder().encode("tick\n")), 5);
      },
      cancel() {
        cancelled++;
        timers--;
        clearInterval(timer);
      },
    });
    return new Response(body, { headers: { "Content-Type": "text/plain" } });
  };
  await using server = await listen(http.createServer(toNodeHandler(handler)));
  for (let i = 0; i < 20; i++) {
    const leave = new AbortController();
    const response = await fetch(server.url, { signal: leave.signal });
    const reader = response.body!.getReader();
    assert.equal(new TextDecoder().decode((await reader.read()).value).slice(0, 4), "tick");
    leave.abort();
    await reader.closed.catch(() => {});
  }
  await until(() => cancelled === 20, "every body to be cancelled");
  assert.equal(timers, 0);
});
