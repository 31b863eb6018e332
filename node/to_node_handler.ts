/**
 * A Web-standard handler as a Node `http` listener and middleware: Node's
 * `req` becomes a `Request`, the `Response` is written to `res` as it is
 * produced.
 *
 * @module
 */

/**
 * The part of Node's `IncomingMessage` that is read: the one `node:http`,
 * Express (`req`), Koa (`ctx.req`) and Fastify (`request.raw`) hand over.
 */
export interface NodeRequest extends AsyncIterable<Uint8Array | string> {
  /** The request method; `GET` when missing. */
  method?: string;
  /** The path and query, as Node gives it. */
  url?: string;
  /** Express's full path when a middleware is mounted under a path; preferred to `url`. */
  originalUrl?: string;
  /** The request headers, lower-cased, as Node parses them. */
  headers: Record<string, string | string[] | undefined>;
  /** A TLS socket (`encrypted: true`) makes the URL `https:`. */
  socket?: object | null;
}

/** The part of Node's `ServerResponse` that is written (`res`, `ctx.res`, `reply.raw`). */
export interface NodeResponse {
  /** Set from the `Response`'s status. */
  statusCode: number;
  /** Set from the `Response`'s status text, when it has one. */
  statusMessage: string;
  /** Whether the head went out already (then an error can only end the response). */
  readonly headersSent: boolean;
  /** True once the whole response was handed to the connection. */
  readonly writableFinished: boolean;
  /** True once the connection is gone (or the response was destroyed). */
  readonly destroyed: boolean;
  /** Sets one response header. */
  setHeader(name: string, value: string | string[]): unknown;
  /** Sends the head now, before the first bytes of the body. */
  flushHeaders?(): void;
  /** Writes a chunk; `false` means "wait for `'drain'`". */
  write(chunk: Uint8Array): boolean;
  /** Ends the response. */
  end(chunk?: string): unknown;
  /** Listens for `'close'` (the connection ended) or `'drain'` (ready for more). */
  on(event: "close" | "drain", listener: () => void): unknown;
  /** Stops listening. */
  off(event: "close" | "drain", listener: () => void): unknown;
}

/**
 * What a framework passes on to: Express's `next`; in Koa, a function that
 * throws `error` when there is one and otherwise returns `next()`.
 */
export type NextFunction = (error?: unknown) => unknown;

/** A Node listener and middleware: `(req, res)` for `node:http`, `(req, res, next)` for Express. */
export type NodeHandler = (
  req: NodeRequest,
  res: NodeResponse,
  next?: NextFunction,
) => Promise<void>;

/** A Web-standard handler; `null` means "not mine" (as `createLogHandler()` answers). */
export type WebHandler = (request: Request) => Response | null | Promise<Response | null>;

/**
 * Serves a Web-standard handler on Node, with no dependency but Node itself:
 *
 * - the `Request` has Node's method, headers and body, its URL from `Host`
 *   and `originalUrl` (Express) or `url`, and a `signal` that aborts when the
 *   client goes away before the response is complete;
 * - the `Response` is streamed to `res` chunk by chunk, with backpressure: the
 *   next chunk is read only once `res.write()` has taken the last one (or
 *   `'drain'` came), so a slow client costs no buffered memory; a client that
 *   goes away cancels the body, which ends the stream and its timers at once;
 * - a `null` answer calls `next()`, or answers 404 where there is none;
 * - a handler that throws is passed to `next(error)`, or answers 500.
 *
 * The returned function settles once the response is written (or `next` has
 * settled); it rejects only when `next` throws or rejects, as Koa's does for
 * an error.
 *
 * @example node:http
 * ```ts
 * import assert from "node:assert/strict";
 * import { once } from "node:events";
 * import http from "node:http";
 * import type { AddressInfo } from "node:net";
 * import { createLogHandler, JobLogger } from "@streamator/core";
 * import { toNodeHandler } from "@streamator/core/node";
 * const server = http.createServer(toNodeHandler(createLogHandler()));
 * await once(server.listen(0, "127.0.0.1"), "listening");
 * const { port } = server.address() as AddressInfo;
 *
 * const logger = new JobLogger();
 * logger.log("Working…");
 * await logger.close();
 * const snapshot = await fetch(`http://127.0.0.1:${port}/log/${logger.jobId}`);
 * assert.equal((await snapshot.json()).logs[0].message, "Working…");
 * const other = await fetch(`http://127.0.0.1:${port}/other`);
 * assert.equal(other.status, 404); // not the handler's path, and no next(): a 404
 * await other.body?.cancel();
 * server.close();
 * await once(server, "close");
 * ```
 */
export function toNodeHandler(handler: WebHandler): NodeHandler {
  if (typeof handler !== "function") {
    throw new TypeError(`toNodeHandler: handler must be a function, got ${typeof handler}`);
  }
  return async (req, res, next) => {
    const aborter = new AbortController();
    const reading: Reading = {};
    const onClose = () => {
      if (res.writableFinished) return; // closed after a complete response: nothing to stop
      aborter.abort();
      reading.reader?.cancel().catch(() => {});
    };
    res.on("close", onClose);
    try {
      let response: Response | null;
      try {
        response = await handler(toRequest(req, aborter.signal));
      } catch (error) {
        if (next !== undefined) return void await next(error);
        console.error("streamator: the handler threw; answering 500", error);
        return plain(res, 500, "internal server error");
      }
      if (response === null) {
        if (next !== undefined) return void await next();
        return plain(res, 404, "not found");
      }
      if (aborter.signal.aborted) return void await response.body?.cancel();
      await send(response, res, reading);
    } finally {
      res.off("close", onClose);
    }
  };
}

/** Node's request as a Web `Request` with `signal`. */
function toRequest(req: NodeRequest, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(":")) continue; // HTTP/2 pseudo-headers
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined) headers.append(name, one);
    }
  }
  const tls = (req.socket as { encrypted?: unknown } | null | undefined)?.encrypted === true;
  const scheme = tls ? "https" : "http";
  const url = new URL(
    req.originalUrl ?? req.url ?? "/",
    `${scheme}://${headers.get("host") ?? "localhost"}`,
  );
  const method = req.method ?? "GET";
  const init: RequestInit & { duplex?: "half" } = { method, headers, signal };
  if (method !== "GET" && method !== "HEAD") {
    init.body = fromNode(req);
    init.duplex = "half"; // a streamed request body (Node's fetch requires it)
  }
  return new Request(url, init);
}

/** Node's request body as a `ReadableStream`, read as the handler reads it. */
function fromNode(req: NodeRequest): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let chunks: AsyncIterator<Uint8Array | string> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      chunks ??= req[Symbol.asyncIterator]();
      const { done, value } = await chunks.next();
      if (done) return controller.close();
      controller.enqueue(typeof value === "string" ? encoder.encode(value) : value);
    },
    async cancel() {
      await chunks?.return?.();
    },
  });
}

/** The reader of the response body being sent, cancelled when the client goes away. */
interface Reading {
  reader?: ReadableStreamDefaultReader<Uint8Array>;
}

/** Writes `response` to `res`, one chunk at a time, waiting for `'drain'` when `res` is full. */
async function send(response: Response, res: NodeResponse, reading: Reading): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText !== "") res.statusMessage = response.statusText;
  for (const [name, value] of response.headers) {
    if (name !== "set-cookie") res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (response.body === null) return void res.end();
  res.flushHeaders?.(); // a stream's headers go out now, before its first bytes
  const reader = response.body.getReader();
  reading.reader = reader;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const gone = res.destroyed || (!res.write(value) && !(await drained(res)));
      if (gone) return void await reader.cancel().catch(() => {}); // the client went away
    }
    res.end();
  } catch {
    // The body failed or was cancelled (the client went away): nothing more to write.
    res.end();
  } finally {
    reading.reader = undefined;
    reader.releaseLock();
  }
}

/** Resolves `true` on `'drain'`, `false` on `'close'` (at once if it is already closed). */
function drained(res: NodeResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onDrain = () => settle(true);
    const onClose = () => settle(false);
    const settle = (value: boolean) => {
      res.off("drain", onDrain);
      res.off("close", onClose);
      resolve(value);
    };
    res.on("drain", onDrain);
    res.on("close", onClose);
  });
}

function plain(res: NodeResponse, status: number, text: string): void {
  if (res.headersSent) return void res.end();
  res.statusCode = status;
  res.setHeader("content-type", "text/plain; charset=utf-8");
  res.end(text);
}
