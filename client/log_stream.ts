/**
 * The log stream without React: reads one job over Server-Sent Events (a
 * `fetch()` body, no `EventSource`) or polling, and keeps its state in a
 * small store with `subscribe` / `getSnapshot`, the shape React's
 * `useSyncExternalStore` reads. It runs wherever `fetch` and
 * `ReadableStream` exist: browsers, Deno, Bun, Node 20+.
 *
 * - It owns the cursor (`Last-Event-ID`, or the poll's `?from=`), so a
 *   reconnect neither loses nor repeats an entry.
 * - Network chunks are parsed in slices of about 8 ms, giving the main
 *   thread back between them; subscribers hear of new entries at most once
 *   per animation frame, in a task of their own right after it.
 * - Failures that retrying cannot mend (a 4xx, a wrong content type) stop
 *   it; retryable ones (the network, a 5xx, 408, 429, a stream cut before
 *   its end) are retried with backoff, for `giveUpAfter` ms or `maxRetries`
 *   attempts. A reconnect answered with a readable log is a success.
 * - Silence is a dead connection only where the server has shown that it
 *   sends heartbeats (`: ping`); from any other source it is a quiet job.
 * - A 404 or 410 for a job this stream had open means the server forgot
 *   it (a restart, a store that lives in one process): the job is lost.
 *
 * The parts, one concept each: `request.ts` (headers, credentials, fetch),
 * `response_check.ts` (what an answer means), `sse_parser.ts` and
 * `sse_reader.ts` (SSE), `poll_reader.ts` (poll answers), `stream_reader.ts`
 * (the cursor, and replays skipped), `event_entry.ts` (events to entries),
 * `progress_state.ts` (progress events), `next_paint.ts` (commits and time
 * slices), `connect_loop.ts` (the timing options, attempts, the silence
 * watchdog, retries and giving up), `backoff.ts`.
 *
 * @module
 */
import type { LogEntry, RawEvent } from "./types.ts";
import { createConnectLoop } from "./connect_loop.ts";
import { toEntry } from "./event_entry.ts";
import { afterNextPaint, now } from "./next_paint.ts";
import { toProgress } from "./progress_state.ts";
import type {
  LogStream,
  LogStreamClient,
  LogStreamOptions,
  Outcome,
  OutcomeStatus,
  Progress,
  StreamStatus,
} from "./stream_types.ts";

export type {
  LogStream,
  LogStreamClient,
  LogStreamOptions,
  LogStreamState,
  Outcome,
  Progress,
  StreamMode,
  StreamStatus,
} from "./stream_types.ts";

/** The statuses of a stream that has a connection or is making one. */
const ACTIVE: readonly StreamStatus[] = ["connecting", "reconnecting", "open"];

/**
 * Reads one job's log over SSE or polling into a store. Nothing is opened
 * until the first `subscribe`; a `null` url makes an idle stream that never
 * opens. `formatEvent`, `headers`, `credentials` and `fetch` are read from
 * `live()` (default: from `options`) each time they are used.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLogHandler, JobLogger } from "@streamator/core";
 * import { createLogStream } from "@streamator/core/client";
 *
 * // The server's log routes, called in-process here through the `fetch` option.
 * const routes = createLogHandler({ prefix: "/log" });
 * const logger = new JobLogger();
 *
 * // Polling GET /log/{jobId} every 50 ms, from before the job's first entry to its end.
 * const stream = createLogStream(`http://127.0.0.1:8000/log/${logger.jobId}`, {
 *   mode: "poll",
 *   interval: 50,
 *   headers: { Authorization: "Bearer my-token" },
 *   fetch: async (url, init) => (await routes(new Request(url, init)))!,
 * });
 * const ended = Promise.withResolvers<void>();
 * const unsubscribe = stream.subscribe(() => {
 *   if (stream.getSnapshot().status === "done") ended.resolve();
 * });
 * logger.log("Working…");
 * await logger.close({ status: "error", message: "quota exceeded" });
 * await ended.promise;
 * const { logs, outcome } = stream.getSnapshot();
 * assert.deepEqual(logs.map((entry) => entry.text), ["Working…"]);
 * assert.deepEqual(outcome, { status: "error", message: "quota exceeded" });
 * unsubscribe();
 * stream.close();
 * ```
 */
export function createLogStream(
  url: string | null | undefined,
  options: LogStreamOptions = {},
  live: () => LogStreamOptions = () => options,
): LogStreamClient {
  if (url !== null && url !== undefined && typeof url !== "string") {
    throw new TypeError("url must be a string or null");
  }
  const listeners = new Set<() => void>();
  const openedAt = now();
  let logs: LogEntry[] = [];
  let pending: LogEntry[] = [];
  let status: StreamStatus = url ? "connecting" : "idle";
  let error: Error | null = null;
  let outcome: Outcome | null = null;
  let progress: Progress | null = null;
  let state: LogStream;
  let cancelPaint: (() => void) | undefined;
  let run: AbortController | undefined;

  const isActive = () => ACTIVE.includes(status);
  /** Makes the new state and tells the listeners (at most once per paint). */
  const commit = () => {
    cancelPaint = undefined;
    if (pending.length > 0) logs = logs.concat(pending);
    pending = [];
    state = { logs, active: isActive(), status, error, outcome, progress, retry: start, stop };
    listeners.forEach((listener) => listener());
  };
  const schedule = () => {
    cancelPaint ??= afterNextPaint(commit);
  };
  /** A new status and error, committed after the next paint. */
  const set = (next: StreamStatus, why: Error | null = null) => {
    // Nothing new (a poll that finds the stream open, as it was): no commit.
    if (next !== status || why !== error) schedule();
    status = next;
    error = why;
  };
  /** The job ended as `ended` says: `"done"`, or `"error"` for a lost job. Returns `true`. */
  const end = (ended: Outcome): true => {
    outcome = ended;
    if (ended.status === "lost") {
      set("error", new Error(`the job was lost${ended.message ? `: ${ended.message}` : ""}`));
    } else {
      set("done");
    }
    return true;
  };

  /** Takes a progress event's value, committed after the next paint when it changed. */
  const setProgress = (raw: RawEvent) => {
    const next = toProgress(raw);
    if (next !== undefined && JSON.stringify(next) !== JSON.stringify(progress)) {
      progress = next;
      schedule();
    }
  };

  /** Handles one raw event; `true` at the end of the stream. */
  const handle = (raw: RawEvent): boolean => {
    if (raw.event === "done") {
      const ended: Outcome = { status: (raw.status ?? "ok") as OutcomeStatus };
      if (raw.message !== undefined && raw.message !== null) ended.message = raw.message;
      return end(ended);
    }
    if (raw.event === "progress") setProgress(raw);
    const entry = toEntry(raw, openedAt, live().formatEvent);
    if (entry !== undefined) {
      pending.push(entry);
      schedule();
    }
    return false;
  };

  const connect = createConnectLoop(url!, options, live, handle, setProgress, set, end);

  const halt = () => {
    run?.abort();
    run = undefined;
  };
  const start = () => {
    halt();
    // The job ended (its outcome was read), or there is no url: nothing to connect to.
    if (outcome !== null || !url) return;
    const controller = run = new AbortController();
    // Ending the run releases its request and body, whatever the reason.
    connect(controller.signal).finally(() => controller.abort());
  };
  const stop = () => {
    if (outcome !== null || !url) return;
    halt();
    set("idle");
  };
  commit();

  return {
    subscribe(listener) {
      listeners.add(listener);
      // A stream that failed, stopped or ended waits for retry().
      if (run === undefined && isActive()) start();
      return () => {
        listeners.delete(listener);
        // Effects that run again at once (<StrictMode>) keep the connection.
        queueMicrotask(() => {
          if (listeners.size === 0) halt();
        });
      };
    },
    getSnapshot: () => state,
    retry: start,
    stop,
    close() {
      halt();
      status = "idle";
      listeners.clear();
      cancelPaint?.();
    },
  };
}
