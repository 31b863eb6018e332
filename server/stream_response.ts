import { errorResponse } from "./http.ts";
import { defaultStore } from "./default_store.ts";
import { sleep } from "./sleep.ts";
import { sseComment, sseEvent, sseRetry } from "./sse.ts";
import type { Store } from "./store.ts";
import { doneEventJson, missedEventJson } from "./wire.ts";
import { doneFields } from "./outcome.ts";

/**
 * Options of {@linkcode makeStreamResponse}.
 */
export interface StreamOptions {
  /** Where the job's entries are; default {@linkcode defaultStore}. */
  store?: Store;
  /** The id of the last entry the client has: the stream starts right after it. */
  lastEventId?: number;
  /** A comment is sent after this many idle ms, so no proxy or runtime closes the connection. Default 5,000 (Bun closes idle connections after 10 s). */
  heartbeatMs?: number;
  /** The reconnection delay suggested to `EventSource`, in ms. Default 1,000. */
  retryMs?: number;
  /** The request's signal: when the client goes away, reading stops at once. */
  signal?: AbortSignal;
  /** Extra response headers (CORS, for one). */
  headers?: HeadersInit;
}

/** The end of every stream: clients close on it instead of reconnecting. */
export const DONE_EVENT: string = doneEventJson();

/** Entries per chunk written to the stream. */
const BATCH = 512;

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/** A batch of entries framed and encoded once, for every reader at the same cursor. */
interface FramedBatch {
  first: number;
  entries: string[];
  bytes: Uint8Array;
}

/** The last framed batch per job id (at most {@linkcode FRAMED_JOBS} jobs). */
const framed = new Map<string, FramedBatch>();
const FRAMED_JOBS = 64;

/**
 * `id: N` / `data: {json}` frames for `entries` (ids from `first`), as UTF-8.
 * Subscribers of one job usually read the same batch right after each other
 * (all woken by the same append), so the last batch of each job is kept and
 * reused when the ids and every entry match: with 100 subscribers a batch is
 * framed and encoded once, not 100 times. Matching compares the entries
 * themselves, so equal ids of a different job (or store) never reuse bytes
 * that differ.
 */
function frameBatch(jobId: string, first: number, entries: string[]): Uint8Array {
  if (entries.length === 0) return EMPTY;
  const hit = framed.get(jobId);
  if (hit !== undefined && hit.first === first && sameEntries(hit.entries, entries)) {
    return hit.bytes;
  }
  let text = "";
  for (let i = 0; i < entries.length; i++) text += sseEvent(entries[i], first + i);
  const bytes = encoder.encode(text);
  framed.delete(jobId);
  framed.set(jobId, { first, entries, bytes });
  if (framed.size > FRAMED_JOBS) framed.delete(framed.keys().next().value!);
  return bytes;
}

function sameEntries(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The Server-Sent Events response for a job: every entry from
 * `lastEventId + 1` on, as `id: N` / `data: {json}` events, then
 * `data: {"event":"done"}` once the job ends (with `"status"` and
 * `"message"` when it did not end plain `"ok"`), then the response closes.
 * A client that fell behind entries the store dropped first receives
 * `data: {"event":"missed","count":N}`.
 *
 * Answers 404 for a job the store does not know, and 503 when the store
 * cannot be read. Nothing is queued per client: each reads the store from its
 * own cursor, as fast as it takes the bytes.
 *
 * @example Manual routing (the seed's `make_stream_response`)
 * ```ts
 * import { makeStreamResponse } from "@streamator/core";
 * Deno.serve((request) => {
 *   const match = new URL(request.url).pathname.match(/^\/jobs\/([\w-]+)\/events$/);
 *   if (!match) return new Response("not found", { status: 404 });
 *   return makeStreamResponse(match[1], { signal: request.signal });
 * });
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
  let cursor = lastEventId === undefined ? 0 : lastEventId + 1;
  try {
    if ((await store.read(jobId, cursor, 0)) === undefined) {
      return errorResponse(404, "unknown job", headers);
    }
  } catch {
    return errorResponse(503, "the log store is unavailable; try again", headers);
  }

  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener("abort", onAbort);
  const finish = () => {
    signal?.removeEventListener("abort", onAbort);
    stop.abort();
  };

  /** Reads once and writes what it read: "wrote" (entries or the end), "idle" or "failed". */
  const step = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    let result;
    try {
      result = await store.read(jobId, cursor, BATCH);
    } catch {
      return "failed"; // the store is down: wait a heartbeat, then read again
    }
    if (stop.signal.aborted) return "wrote";
    let head = "";
    let batch: Uint8Array = EMPTY;
    if (result !== undefined) {
      if (result.missed > 0) head = sseEvent(missedEventJson(result.missed));
      batch = frameBatch(jobId, result.next - result.entries.length, result.entries);
      cursor = result.next;
    }
    const ended = result === undefined || result.done;
    const tail = ended ? sseEvent(doneEventJson(doneFields(result?.outcome))) : "";
    if (head === "" && batch.length === 0 && tail === "") return "idle";
    // Always a fresh buffer (head and tail are ASCII): a shared batch is copied, so no consumer can
    // detach or change what another subscriber is about to send.
    const chunk = new Uint8Array(head.length + batch.length + tail.length);
    encoder.encodeInto(head, chunk);
    chunk.set(batch, head.length);
    encoder.encodeInto(tail, chunk.subarray(head.length + batch.length));
    controller.enqueue(chunk);
    if (ended) {
      controller.close();
      finish();
    }
    return "wrote";
  };

  /**
   * Waits at most a heartbeat: for news from the store, or (after a failed
   * read) just for the time to pass. Ends at once when the stream stops.
   */
  const pause = (failed: boolean) =>
    sleep(heartbeatMs, stop.signal, (wake) => {
      if (failed) return () => {};
      const waiting = new AbortController();
      // A failing wait counts as a wake-up too: the next read tells what changed.
      store.wait(jobId, cursor, waiting.signal).then(wake, wake);
      return () => waiting.abort();
    });

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(sseRetry(retryMs)));
    },
    async pull(controller) {
      const first = await step(controller);
      if (first === "wrote" || stop.signal.aborted) return;
      await pause(first === "failed");
      if (stop.signal.aborted) return;
      if ((await step(controller)) !== "wrote" && !stop.signal.aborted) {
        controller.enqueue(encoder.encode(sseComment("ping")));
      }
    },
    cancel() {
      finish();
    },
  }, { highWaterMark: 1 });

  const h = new Headers(headers);
  h.set("Content-Type", "text/event-stream; charset=utf-8");
  h.set("Cache-Control", "no-cache, no-transform");
  h.set("X-Accel-Buffering", "no");
  return new Response(body, { status: 200, headers: h });
}
