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
 *   per animation frame.
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
 * `sse_reader.ts` (SSE), `poll_reader.ts` (poll answers), `event_entry.ts`
 * (events to entries), `progress_state.ts` (progress events), `next_paint.ts` (commits and
 * time slices), `backoff.ts`.
 *
 * @module
 */
import type { LogEntry, RawEvent } from "./types.ts";
import { backoff } from "./backoff.ts";
import { toEntry, toRaw } from "./event_entry.ts";
import { due, giveBack, nextPaint, now } from "./next_paint.ts";
import { toProgress } from "./progress_state.ts";
import { readPoll } from "./poll_reader.ts";
import { send } from "./request.ts";
import { check, dropped, type Failure, fault } from "./response_check.ts";
import { createSseParser } from "./sse_parser.ts";
import { readSse } from "./sse_reader.ts";
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

/** Ms between polls, by default. */
const INTERVAL_MS = 3_000;
/** Ms of silence after which a connection counts as dead, by default. */
const HEARTBEAT_TIMEOUT_MS = 15_000;
/** Ms of failing in a row after which a stream without `maxRetries` gives up, by default. */
const GIVE_UP_AFTER_MS = 30_000;
/** The statuses of a stream that has a connection or is making one. */
const ACTIVE: readonly StreamStatus[] = ["connecting", "reconnecting", "open"];
/** Answers that, for a job this stream had open, say the server no longer knows it. */
const FORGOTTEN = [404, 410];
/** Why such a job is lost, in words. */
const FORGOTTEN_JOB =
  "The server no longer knows this job: it restarted, or its store lives in one process";
/** The longest delay a timer keeps (a longer one fires at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Why an attempt was aborted: the stream stopped, the connection went silent, or time ran out. */
const STOPPED = "stopped";
const SILENT = "silent";
const GIVE_UP = "give up";

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
  const {
    mode = "sse",
    interval = INTERVAL_MS,
    maxRetries,
    heartbeatTimeout = HEARTBEAT_TIMEOUT_MS,
    giveUpAfter = maxRetries === undefined ? GIVE_UP_AFTER_MS : Infinity,
  } = options;
  if (url !== null && url !== undefined && typeof url !== "string") {
    throw new TypeError("url must be a string or null");
  }
  if (mode !== "sse" && mode !== "poll") {
    throw new TypeError('options.mode must be "sse" or "poll"');
  }
  positive("interval", interval);
  positive("heartbeatTimeout", heartbeatTimeout);
  positive("giveUpAfter", giveUpAfter);
  const sse = mode === "sse";
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
  // Whether the server answered with a readable log once: a 404 after that means the job was lost.
  let opened = false;
  // Whether an earlier connection brought a heartbeat (this one's parser knows its own).
  let heartbeats = false;
  // The cursor: SSE's parser (its last event id and retry time; unused in poll mode);
  // the highest id read (SSE's numeric ids, the poll's positions); whether poll answers
  // carry `next`.
  let parser = createSseParser();
  let maxId = -1;
  let sendFrom = false;
  // Failures in a row, and when the first of them came.
  let failures = 0;
  let failingSince = 0;

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
    cancelPaint ??= nextPaint(commit);
  };
  /** A new status and error, committed before the next paint. */
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
  /** Stops retrying: `"error"`, with the last failure and how long it was tried. */
  const giveUp = (last: Error | null) => {
    const counted = maxRetries !== undefined && failures > maxRetries;
    const span = counted ? "" : ` in ${giveUpAfter / 1_000} s`;
    set("error", new Error(`${last?.message} (gave up after ${failures} attempts${span})`));
  };

  /** Takes a progress event's value, committed with the next paint when it changed. */
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

  /**
   * Handles one event at cursor position `id`, unless it is at or below the
   * highest id read: a replay after a reconnect. (SSE's done and missed
   * events, and events without a numeric id, are always handled.) `true` at
   * the end of the stream.
   */
  const take = (raw: RawEvent | undefined, id: number): boolean => {
    const always = sse && (raw?.event === "done" || raw?.event === "missed" ||
      raw?.event === "progress");
    if (raw !== undefined && (always || Number.isNaN(id) || id > maxId) && handle(raw)) {
      return true;
    }
    if (id > maxId) maxId = id;
    return false;
  };

  /** Reads the SSE stream to its end; `true` when the job's end came. */
  const readStream = async (response: Response, signal: AbortSignal, heard: () => void) => {
    heartbeats ||= parser.heartbeat;
    parser = createSseParser(parser.id, parser.retry);
    try {
      return await readSse(
        response,
        parser,
        (data) => take(toRaw(data), parser.id === "" ? NaN : Number(parser.id)),
        heard,
        signal,
      );
    } catch (thrown) {
      if (signal.aborted) throw thrown;
      throw dropped(url!, thrown);
    }
  };

  /** Reads one poll answer; `true` when the job's end came. */
  const readAnswer = async (response: Response, signal: AbortSignal): Promise<boolean> => {
    const { logs, end: last, next, missed, progress: newest } = await readPoll(response, url!);
    // The newest progress, which may be among entries this reader missed: before the entries
    // (state only: the entries, not this copy of one, make rows).
    if (newest !== undefined && newest !== null) setProgress(newest as RawEvent);
    const n = logs.length;
    if (Number.isSafeInteger(next)) sendFrom = true;
    // The id of logs[0].
    const first = (sendFrom ? next as number : n) - n;
    if (typeof missed === "number" && missed > 0 && first > maxId) {
      handle({ event: "missed", count: missed });
    }
    // Entries at or below the cursor were read before (a server that replays): take() skips them.
    for (let i = 0; i < n; i++) {
      if (take(toRaw(logs[i]), first + i)) return true;
      if (due() && await giveBack(signal)) return false;
    }
    return last ? handle(last) : false;
  };

  const loop = async (signal: AbortSignal) => {
    for (;;) {
      let wait = interval;
      // This attempt's own signal: it also aborts when the connection goes silent (see
      // heartbeatTimeout), as one a network change left behind does without ever closing,
      // and at the give-up time while failing.
      // (One timer per heartbeatTimeout, not one per chunk: a chunk only notes its time.)
      const attempt = new AbortController();
      const stopped = () => attempt.abort(STOPPED);
      let answered = false;
      let read = false;
      let heard = now();
      const watch = () => {
        const at = now();
        const failing = failures > 0 && !answered;
        if (failing && at - failingSince >= giveUpAfter) return attempt.abort(GIVE_UP);
        // Silence is a dead connection while an answer is awaited, in a poll answer, and in an
        // SSE stream from a server that has shown it sends heartbeats; else it is a quiet job.
        const silenceCounts = !answered || !sse || heartbeats || parser.heartbeat;
        if (silenceCounts && at - heard >= heartbeatTimeout) return attempt.abort(SILENT);
        let wake = silenceCounts ? heard + heartbeatTimeout - at : heartbeatTimeout;
        if (failing) wake = Math.min(wake, failingSince + giveUpAfter - at);
        timer = setTimeout(watch, Math.min(wake, MAX_TIMER_MS));
      };
      let timer: ReturnType<typeof setTimeout> | undefined;
      watch();
      signal.addEventListener("abort", stopped);
      // The failures before this attempt: they count again if its answer closes empty.
      const streak = { failures, failingSince };
      try {
        const target = sendFrom ? `${url}${url!.includes("?") ? "&" : "?"}from=${maxId + 1}` : url!;
        const response = await check(
          await send(target, live(), { signal: attempt.signal }, (h) => {
            h.set("Accept", sse ? "text/event-stream" : "application/json");
            if (parser.id !== "") h.set("Last-Event-ID", parser.id);
          }),
          url!,
          sse,
        );
        // A readable answer: the connection works, and the failures before it no longer count.
        answered = true;
        opened = true;
        failures = 0;
        heard = now();
        set("open");
        // 204: the stream had already ended (a reconnect after its last entry).
        if (response.status === 204) {
          handle({ event: "done" });
          return;
        }
        const ended = sse
          ? await readStream(response, attempt.signal, () => {
            read = true;
            heard = now();
          })
          : await readAnswer(response, attempt.signal);
        if (ended) return;
        if (sse || attempt.signal.aborted) {
          // An answer that closes before sending anything was no success.
          if (sse && !read && !attempt.signal.aborted) ({ failures, failingSince } = streak);
          throw fault(`${url} closed the stream before its end`, {
            retryable: true,
            wait: parser.retry,
          });
        }
      } catch (thrown) {
        if (signal.aborted) return;
        const why = attempt.signal.aborted ? attempt.signal.reason : undefined;
        if (why === GIVE_UP) return giveUp(error);
        const e: Failure = why === SILENT
          ? fault(silence(answered), { retryable: true })
          : thrown as Failure;
        if (opened && e.status !== undefined && FORGOTTEN.includes(e.status)) {
          end({ status: "lost", message: `${e.message}. ${FORGOTTEN_JOB}` });
          return;
        }
        if (e.retryable === false) return set("error", e);
        if (failures++ === 0) failingSince = now();
        if (maxRetries !== undefined && failures > maxRetries) return giveUp(e);
        if (now() - failingSince >= giveUpAfter) return giveUp(e);
        set("reconnecting", e);
        wait = e.wait ?? backoff(failures, sse ? parser.retry : interval);
        // A wait that reaches the give-up time ends there, and so does the stream.
        const left = failingSince + giveUpAfter - now();
        if (wait >= left) {
          await sleep(left, signal);
          if (!signal.aborted) giveUp(e);
          return;
        }
      } finally {
        clearTimeout(timer);
        signal.removeEventListener("abort", stopped);
      }
      await sleep(wait, signal);
      if (signal.aborted) return;
    }
  };

  /** What a silent connection is called: still unanswered, or quiet past `heartbeatTimeout`. */
  const silence = (answered: boolean) =>
    !answered
      ? `${url} did not answer within ${heartbeatTimeout} ms`
      : sse
      ? `${url} sent nothing for ${heartbeatTimeout} ms, not even its heartbeat`
      : `${url} sent nothing for ${heartbeatTimeout} ms`;

  const halt = () => {
    run?.abort();
    run = undefined;
  };
  const start = () => {
    halt();
    // The job ended (its outcome was read), or there is no url: nothing to connect to.
    if (outcome !== null || !url) return;
    failures = 0;
    const controller = run = new AbortController();
    set(opened ? "reconnecting" : "connecting");
    // Ending the run releases its request and body, whatever the reason.
    loop(controller.signal).finally(() => controller.abort());
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

/** Throws a TypeError unless `value` (the option `name`) is a positive number of ms. */
function positive(name: string, value: number): void {
  if (typeof value !== "number" || Number.isNaN(value) || value <= 0) {
    throw new TypeError(`options.${name} must be a positive number of ms`);
  }
}

/** Waits `ms`, or until `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}
