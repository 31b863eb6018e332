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
 * - Definite failures (4xx, a wrong content type, the end of the stream)
 *   stop it; passing ones (network, 5xx, 429) are retried with backoff.
 *
 * The parts, one concept each: `request.ts` (headers, credentials, fetch),
 * `response_check.ts` (what an answer means), `sse_parser.ts` and
 * `sse_reader.ts` (SSE), `poll_reader.ts` (poll answers), `event_entry.ts`
 * (events to entries), `progress_state.ts` (progress events), `frame.ts`
 * (frames and time slices), `backoff.ts`.
 *
 * @module
 */
import type { LogEntry, RawEvent } from "../types.ts";
import { backoff } from "./backoff.ts";
import { toEntry, toRaw } from "./event_entry.ts";
import { toProgress } from "./progress_state.ts";
import { due, giveBack, nextFrame, now } from "./frame.ts";
import { readPoll } from "./poll_reader.ts";
import { send } from "./request.ts";
import { check, type Failure, fault } from "./response_check.ts";
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

/**
 * Reads one job's log over SSE or polling into a store. Nothing is opened
 * until the first `subscribe`; a `null` url makes an idle stream that never
 * opens. `formatEvent`, `headers`, `credentials` and `fetch` are read from
 * `live()` (default: from `options`) each time they are used.
 *
 * @example
 * ```ts
 * import { createLogStream } from "@streamator/core/react";
 *
 * const stream = createLogStream("/log/abc/stream", {
 *   headers: { Authorization: "Bearer my-token" },
 * });
 * const unsubscribe = stream.subscribe(() => {
 *   const { logs, status } = stream.getSnapshot();
 *   console.log(status, logs.at(-1)?.text);
 * });
 * // later
 * unsubscribe();
 * stream.close();
 * ```
 */
export function createLogStream(
  url: string | null | undefined,
  options: LogStreamOptions = {},
  live: () => LogStreamOptions = () => options,
): LogStreamClient {
  const { mode = "sse", interval = 3_000, maxRetries, heartbeatTimeout = 15_000 } = options;
  if (url != null && typeof url != "string") throw TypeError("url must be a string or null");
  if (mode != "sse" && mode != "poll") throw TypeError('options.mode must be "sse" or "poll"');
  if (!(interval > 0)) throw TypeError("options.interval must be a positive number of ms");
  if (!(heartbeatTimeout > 0)) {
    throw TypeError("options.heartbeatTimeout must be a positive number of ms");
  }
  const sse = mode == "sse";
  const listeners = new Set<() => void>();
  const openedAt = now();
  let logs: LogEntry[] = [];
  let pending: LogEntry[] = [];
  let status: StreamStatus = url ? "connecting" : "idle";
  let error: Error | null = null;
  let outcome: Outcome | null = null;
  let progress: Progress | null = null;
  let state: LogStream;
  let frame: (() => void) | undefined;
  let run: AbortController | undefined;
  let opened: unknown;
  // The cursor: SSE's parser (its last event id and retry time; unused in poll mode);
  // the highest id read (SSE's numeric ids, the poll's positions); whether poll answers
  // carry `next`.
  let parser = createSseParser();
  let maxId = -1;
  let sendFrom: unknown;
  // Passing failures in a row, and when the first of them came.
  let failures = 0;
  let since = 0;

  // "connecting", "reconnecting" or "open" (the statuses starting with c, r or o).
  const active = () => /^[cro]/.test(status);
  /** Makes the new state and tells the listeners (at most once per animation frame). */
  const commit = () => {
    frame = undefined;
    if (pending[0]) logs = logs.concat(pending);
    pending = [];
    state = { logs, active: active(), status, error, outcome, progress, retry: start, stop };
    listeners.forEach((listener) => listener());
  };
  const schedule = () => {
    frame ??= nextFrame(commit);
  };
  /** A new status and error, committed with the next frame. */
  const set = (next: StreamStatus, why: Error | null = null) => {
    // Nothing new (a poll that finds the stream open, as it was): no commit.
    if (next != status || why != error) schedule();
    status = next;
    error = why;
  };

  /** Takes a progress event's value, committed with the next frame when it changed. */
  const setProgress = (raw: RawEvent) => {
    const next = toProgress(raw);
    if (next && JSON.stringify(next) != JSON.stringify(progress)) {
      progress = next;
      schedule();
    }
  };

  /** Handles one raw event; truthy at the end of the stream. */
  const handle = (raw: RawEvent) => {
    if (raw.event == "done") {
      const end = (raw.status ?? "ok") as OutcomeStatus;
      const { message } = raw;
      outcome = message != null ? { status: end, message } : { status: end };
      // (The stream was open: the status changes, so this commits.)
      if (end == "lost") set("error", Error(`the job was lost${message ? `: ${message}` : ""}`));
      else set("done");
      return 1;
    }
    if (raw.event == "progress") setProgress(raw);
    const entry = toEntry(raw, openedAt, live().formatEvent);
    if (entry) {
      pending.push(entry);
      schedule();
    }
  };

  /**
   * Handles one event at cursor position `id`, unless it is at or below the
   * highest id read: a replay after a reconnect. (SSE's done and missed
   * events are always handled.) Truthy at the end of the stream.
   */
  const take = (raw: RawEvent | undefined, id: number) => {
    if (
      raw && (sse && /^(done|missed|progress)$/.test(raw.event!) || !(id <= maxId)) &&
      handle(raw)
    ) {
      return 1;
    }
    if (id > maxId) maxId = id;
  };

  /** Reads the SSE stream to its end; truthy when the job's end came. */
  const readStream = (response: Response, signal: AbortSignal, alive: () => void) =>
    readSse(
      response,
      parser = createSseParser(parser.id, parser.retry),
      (data) => take(toRaw(data), parser.id ? +parser.id : NaN),
      // Bytes (events or the server's heartbeat comments): the connection works.
      () => {
        failures = 0;
        alive();
      },
      signal,
    );

  /** Reads one poll answer; truthy when the job's end came. */
  const readAnswer = async (response: Response, signal: AbortSignal) => {
    const { logs, end, next, missed, progress: newest } = await readPoll(response, url!);
    // The newest progress, which may be among entries this reader missed: before the entries
    // (state only: the entries, not this copy of one, make rows).
    if (newest) setProgress(newest as RawEvent);
    const n = logs.length;
    if (Number.isSafeInteger(next)) sendFrom = 1;
    // The id of logs[0].
    const first = (sendFrom ? next as number : n) - n;
    if (missed! > 0 && first > maxId) handle({ event: "missed", count: missed });
    // Entries at or below the cursor were read before (a server that replays): take() skips them.
    for (let i = 0; i < n; i++) {
      if (take(toRaw(logs[i]), first + i)) return 1;
      if (due() && await giveBack(signal)) return;
    }
    return end && handle(end);
  };

  const loop = async (signal: AbortSignal) => {
    for (;;) {
      let wait = interval;
      // This attempt's own signal: it also aborts when the connection goes
      // silent (no byte, not even a heartbeat, for heartbeatTimeout ms; in
      // poll mode, an answer that takes that long), as one a network change
      // left behind does without ever closing.
      // (One timer per heartbeatTimeout, not one per chunk: a chunk only notes its time.)
      const attempt = new AbortController();
      const silent = () => attempt.abort();
      let heard = now();
      const alive = () => heard = now();
      const watch = () => {
        const quiet = now() - heard;
        if (quiet < heartbeatTimeout) timer = setTimeout(watch, heartbeatTimeout - quiet);
        else silent();
      };
      let timer = setTimeout(watch, heartbeatTimeout);
      signal.addEventListener("abort", silent);
      try {
        const response = await check(
          await send(
            sendFrom ? `${url}${url!.includes("?") ? "&" : "?"}from=${maxId + 1}` : url!,
            live(),
            { signal: attempt.signal },
            (h) => {
              h.set("Accept", sse ? "text/event-stream" : "application/json");
              if (parser.id) h.set("Last-Event-ID", parser.id);
            },
          ),
          url!,
          sse,
        );
        opened = 1;
        // An SSE answer counts as working once bytes come (an empty 200 that closes does not).
        if (!sse) failures = 0;
        set("open");
        // 204: the stream had already ended (a reconnect after its last entry).
        if (response.status == 204) return handle({ event: "done" });
        if (await (sse ? readStream : readAnswer)(response, attempt.signal, alive)) return;
        if (sse || attempt.signal.aborted) {
          throw fault(`${url} closed the stream before its end`, 0, parser.retry);
        }
      } catch (thrown) {
        if (signal.aborted) return;
        const e = attempt.signal.aborted
          ? fault(`${url} sent nothing for ${heartbeatTimeout} ms`, 0)
          : thrown as Failure;
        if (e.definite) return set("error", e);
        since = failures++ ? since : now();
        // Without maxRetries: give up after 30 s of failing.
        if (maxRetries == null ? now() - since > 30_000 : failures > maxRetries) {
          return set("error", Error(`${e.message} (gave up after ${failures} attempts)`));
        }
        set("reconnecting", e);
        wait = e.wait ?? backoff(failures, sse ? parser.retry : interval);
      } finally {
        clearTimeout(timer);
        signal.removeEventListener("abort", silent);
      }
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, wait);
        signal.onabort = () => resolve(clearTimeout(timer));
      });
      if (signal.aborted) return;
    }
  };

  const halt = () => {
    run?.abort();
    run = undefined;
  };
  const start = () => {
    halt();
    // The job ended (its outcome was read), or there is no url: nothing to connect to.
    if (outcome || !url) return;
    failures = 0;
    const controller = run = new AbortController();
    set(opened ? "reconnecting" : "connecting");
    // Ending the run releases its request and body, whatever the reason.
    loop(controller.signal).finally(() => controller.abort());
  };
  const stop = () => {
    if (outcome || !url) return;
    halt();
    set("idle");
  };
  commit();

  return {
    subscribe(listener) {
      listeners.add(listener);
      // A stream that failed, stopped or ended waits for retry().
      if (!run && active()) start();
      return () => {
        listeners.delete(listener);
        // Effects that run again at once (<StrictMode>) keep the connection.
        queueMicrotask(() => listeners.size || halt());
      };
    },
    getSnapshot: () => state,
    retry: start,
    stop,
    close() {
      halt();
      status = "idle";
      listeners.clear();
      frame?.();
    },
  };
}
