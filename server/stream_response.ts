import { errorResponse, type HeaderFields, toHeaders, unavailableResponse } from "./http.ts";
import { nonNegativeInteger, positiveNumber } from "./number_option.ts";
import { defaultStore } from "./default_store.ts";
import { BATCH, SseStream } from "./sse_stream.ts";
import { sseRetry } from "./sse.ts";
import type { Store } from "./store.ts";
import { doneEventJson } from "./wire.ts";

/**
 * Options of {@linkcode makeStreamResponse}.
 */
export interface StreamOptions {
  /** Where the job's entries are; default {@linkcode defaultStore}. */
  store?: Store;
  /**
   * The id of the last event the client has (its `Last-Event-ID`): the stream
   * starts right after it. Equal to the job's end (the id the `done` event
   * carries) or past it: 204 for a finished job, 400 for a running one.
   */
  lastEventId?: number;
  /** A comment is sent after this many idle ms, so no proxy or runtime closes the connection. Default 5,000 (Bun closes idle connections after 10 s). */
  heartbeatMs?: number;
  /** The reconnection delay suggested to `EventSource`, in ms. Default 1,000. */
  retryMs?: number;
  /** The request's signal: when the client goes away, reading stops at once. */
  signal?: AbortSignal;
  /** Extra response headers (CORS, for one). */
  headers?: HeaderFields;
}

/** The `done` event of a job that ended `"ok"`: `{"event":"done"}`. */
export const DONE_EVENT: string = doneEventJson();

/**
 * The Server-Sent Events response for a job: every entry from
 * `lastEventId + 1` on, as `id: N` / `data: {json}` events, then the `done`
 * event (with the job's outcome, and `id:` the job's end) once the job ends,
 * then the response closes. A client that fell behind entries the store no
 * longer has first receives `data: {"event":"missed","count":N}`.
 *
 * A client that comes back after `done` (its `Last-Event-ID` is the job's end)
 * gets `204 No Content`, which tells an `EventSource` to stop reconnecting.
 * Answers 404 for a job the store does not know, 400 for a `lastEventId` past
 * the end of a running job, and 503 when the store cannot be read. Nothing is
 * queued per client: each reads the store from its own cursor, as fast as it
 * takes the bytes.
 *
 * @example Manual routing
 * ```ts
 * import assert from "node:assert/strict";
 * import { JobLogger, makeStreamResponse } from "@streamator/core";
 * export function route(request: Request): Promise<Response> | Response {
 *   const match = new URL(request.url).pathname.match(/^\/jobs\/([\w-]+)\/events$/);
 *   if (!match) return new Response("not found", { status: 404 });
 *   return makeStreamResponse(match[1], { signal: request.signal });
 * }
 *
 * const logger = new JobLogger();
 * logger.log("hello");
 * await logger.close();
 * const response = await route(new Request(`http://localhost/jobs/${logger.jobId}/events`));
 * assert.equal(response.headers.get("Content-Type"), "text/event-stream; charset=utf-8");
 * assert.match(await response.text(), /"message":"hello"/);
 * ```
 */
export async function makeStreamResponse(
  jobId: string,
  options: StreamOptions = {},
): Promise<Response> {
  const {
    store = defaultStore,
    lastEventId,
    heartbeatMs = 5_000,
    retryMs = 1_000,
    signal,
    headers,
  } = options;
  positiveNumber(heartbeatMs, "makeStreamResponse: options.heartbeatMs");
  if (lastEventId !== undefined) {
    nonNegativeInteger(lastEventId, "makeStreamResponse: options.lastEventId");
  }
  const prefix = sseRetry(retryMs);
  const where: Store = store;
  if (where.streamResponse !== undefined) {
    try {
      return await where.streamResponse(jobId, {
        lastEventId,
        heartbeatMs,
        retryMs,
        signal,
        headers,
      });
    } catch {
      return errorResponse(503, "the log store is unavailable; try again", headers);
    }
  }
  const cursor = lastEventId === undefined ? 0 : lastEventId + 1;
  let first;
  try {
    first = await store.read(jobId, cursor, BATCH);
  } catch {
    return unavailableResponse(headers);
  }
  if (first === undefined) return errorResponse(404, "unknown job", headers);
  if (first.next < cursor) {
    // The client has the job's end (or claims more): nothing to send.
    if (first.done) return new Response(null, { status: 204, headers: toHeaders(headers) });
    return errorResponse(
      400,
      `the last event id ${lastEventId} is past the end of the job's log; its next entry id is ${first.next}`,
      headers,
    );
  }

  const source = new SseStream({ store, jobId, cursor, first, heartbeatMs, prefix, signal });
  const body = new ReadableStream<Uint8Array>(source, { highWaterMark: 1 });
  const h = toHeaders(headers);
  h.set("Content-Type", "text/event-stream; charset=utf-8");
  h.set("Cache-Control", "no-cache, no-transform");
  h.set("X-Accel-Buffering", "no");
  return new Response(body, { status: 200, headers: h });
}
