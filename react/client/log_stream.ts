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
 * @module
 */
import type { OutcomeStatus } from "../../server/wire.ts";
import { defaultFormatEvent } from "../format_event.ts";
import { formatTime } from "../format_time.ts";
import { nextFrame, yieldToMain } from "../frame.ts";
import { type FormatEvent, isLogLevel, type LogEntry, type RawEvent } from "../types.ts";
import { backoff, retryAfter } from "./backoff.ts";
import { createSseParser } from "./sse_parser.ts";

/**
 * How a job is read: `"sse"` (Server-Sent Events) or `"poll"`.
 *
 * @example
 * ```ts
 * import type { StreamMode } from "@streamator/core/react";
 * const mode: StreamMode = "poll";
 * ```
 */
export type StreamMode = "sse" | "poll";

/**
 * Where a stream is: `"idle"` (no url, or stopped), `"connecting"` (the first
 * time), `"reconnecting"` (after a passing failure; `error` says which),
 * `"open"`, `"done"` (the job ended) or `"error"` (a definite failure, or
 * retries used up).
 *
 * @example
 * ```ts
 * import type { StreamStatus } from "@streamator/core/react";
 * const status: StreamStatus = "reconnecting";
 * ```
 */
export type StreamStatus = "idle" | "connecting" | "reconnecting" | "open" | "done" | "error";

/**
 * How the job ended, from its `done` event: `status` is `"ok"` when the
 * event has none.
 *
 * @example
 * ```ts
 * import type { Outcome } from "@streamator/core/react";
 * const outcome: Outcome = { status: "error", message: "quota exceeded" };
 * ```
 */
export interface Outcome {
  /** `"ok"`, `"error"`, `"cancelled"` or `"lost"`. */
  status: OutcomeStatus;
  /** Why, when the server gave a reason. */
  message?: string;
}

/**
 * The state of a log stream, as `getSnapshot()` returns it.
 *
 * @example
 * ```ts
 * import type { LogStreamState } from "@streamator/core/react";
 * const idle: LogStreamState = { logs: [], active: false, status: "idle", error: null, outcome: null };
 * ```
 */
export interface LogStreamState {
  /** The entries so far, oldest first. A new array whenever entries arrive. */
  logs: LogEntry[];
  /** `true` while connecting, reconnecting or open. */
  active: boolean;
  /** Where the stream is. */
  status: StreamStatus;
  /** Why it failed (`"error"`) or is reconnecting; else `null`. */
  error: Error | null;
  /** How the job ended, once `status` is `"done"` (or `"error"` for a lost job); else `null`. */
  outcome: Outcome | null;
}

/**
 * Options of {@linkcode createLogStream} and `useLogStream`.
 *
 * @example
 * ```ts
 * import type { LogStreamOptions } from "@streamator/core/react";
 * const options: LogStreamOptions = {
 *   headers: async () => ({ Authorization: `Bearer ${await Promise.resolve("token")}` }),
 *   maxRetries: 5,
 * };
 * ```
 */
export interface LogStreamOptions {
  /** `"sse"` (default) or `"poll"` (one request at a time, `interval` ms apart). */
  mode?: StreamMode;
  /** Ms between polls, poll mode only. Default 3,000. */
  interval?: number;
  /** The text for each raw event; `null` drops it. Default: the event's `message`. */
  formatEvent?: FormatEvent;
  /** Request headers, or a function (maybe async) called before every (re)connect, e.g. to refresh a token. */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>);
  /** `fetch`'s `credentials`: `"include"` sends cookies to another origin. */
  credentials?: RequestCredentials;
  /** The `fetch` to use (a proxy, an instrumented client, a test double). Default: the global one. */
  fetch?: typeof fetch;
  /** Passing failures in a row before `status` becomes `"error"`. Default: keep trying for about 30 s of failing. */
  maxRetries?: number;
}

/**
 * A log stream: a store to `subscribe` to, and its actions.
 *
 * @example
 * ```ts
 * import type { LogStreamClient } from "@streamator/core/react";
 * function count(stream: LogStreamClient): number {
 *   return stream.getSnapshot().logs.length;
 * }
 * ```
 */
export interface LogStreamClient {
  /** Calls `listener` after each change; connects on the first listener, pauses when the last leaves. */
  subscribe(listener: () => void): () => void;
  /** The current state: the same object until something changes. */
  getSnapshot(): LogStreamState;
  /** Connects again from the cursor, now (after an error, a stop, or during a wait). */
  retry(): void;
  /** Closes the connection; `status` becomes `"idle"`; `retry()` resumes. */
  stop(): void;
  /** Closes the connection and drops the listeners, for good. */
  close(): void;
}

/** Without `maxRetries`: how long failing may last before giving up, in ms. */
const GIVE_UP_MS = 30_000;

type Failure = Error & { definite?: boolean; wait?: number };

const failure = (message: string, definite?: boolean, wait?: number): Failure =>
  Object.assign(new Error(message), { definite, wait });

const now = () => performance.now();

/**
 * Reads one job's log over SSE or polling into a store. Nothing is opened
 * until the first `subscribe`.
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
export function createLogStream(url: string, options: LogStreamOptions = {}): LogStreamClient {
  const {
    mode = "sse",
    interval = 3_000,
    headers,
    credentials,
    maxRetries,
    fetch: fetcher = fetch,
  } = options;
  if (mode != "sse" && mode != "poll") throw new TypeError('mode must be "sse" or "poll"');
  if (!(interval > 0)) throw new TypeError("interval must be a positive number of ms");
  const sse = mode == "sse";
  const format = options.formatEvent ?? defaultFormatEvent;
  const listeners = new Set<() => void>();
  const openedAt = now();
  let state: LogStreamState = {
    logs: [],
    active: true,
    status: "connecting",
    error: null,
    outcome: null,
  };
  let pending: LogEntry[] = [];
  let change: Partial<LogStreamState> = {};
  let cancelFrame: (() => void) | undefined;
  let run: AbortController | undefined;
  // ended: the job's end was read (never reopened); stopped: by stop() or a failure.
  let ended = false;
  let stopped = false;
  let opened = false;
  // The cursor: SSE's last event id and highest numeric id; the poll's next id.
  let lastId = "";
  let maxId = -1;
  let from = 0;
  let sendFrom = false;
  let retryMs = 1_000;
  let sliceStart = 0;

  const commit = () => {
    cancelFrame = undefined;
    let next = pending.length > 0 ? { ...state, logs: state.logs.concat(pending) } : state;
    for (const key in change) {
      const value = change[key as keyof LogStreamState];
      if (value !== next[key as keyof LogStreamState]) next = { ...next, [key]: value };
    }
    pending = [];
    change = {};
    if (next !== state) {
      state = next;
      listeners.forEach((listener) => listener());
    }
  };
  const set = (next: Partial<LogStreamState>) => {
    change = { ...change, ...next };
    cancelFrame ??= nextFrame(commit);
  };
  const fail = (error: Error) => {
    stopped = true;
    set({ status: "error", active: false, error });
  };

  /** Handles one raw event; `true` at the end of the stream. */
  const handle = (raw: RawEvent): boolean => {
    if (raw.event == "done") {
      const outcome: Outcome = { status: (raw.status as OutcomeStatus) ?? "ok" };
      if (typeof raw.message == "string") outcome.message = raw.message;
      const lost = outcome.status == "lost";
      ended = true;
      set({
        status: lost ? "error" : "done",
        active: false,
        error: lost
          ? new Error(
            `the job was lost: its writer stopped${raw.message ? ` (${raw.message})` : ""}`,
          )
          : null,
        outcome,
      });
      return true;
    }
    let text: string | null | undefined;
    try {
      text = format(raw);
    } catch (error) {
      console.error("streamator: formatEvent threw; the entry shows its message", error);
      text = defaultFormatEvent(raw);
    }
    if (text != null) {
      const seconds = typeof raw.t == "number" && isFinite(raw.t)
        ? raw.t
        : (now() - openedAt) / 1e3;
      const level = isLogLevel(raw.level) ? raw.level : raw.event == "missed" ? "warning" : "info";
      pending.push({ text: String(text), t: formatTime(seconds), seconds, level });
      cancelFrame ??= nextFrame(commit);
    }
    return false;
  };

  /** Gives the main thread back once a slice has run for 8 ms; `true` when aborted meanwhile. */
  const slice = async (signal: AbortSignal) => {
    if (now() - sliceStart > 8) {
      await yieldToMain();
      sliceStart = now();
    }
    return signal.aborted;
  };

  /** One request: the response, or `undefined` for 204 (the stream had already ended). */
  const request = async (signal: AbortSignal): Promise<Response | undefined> => {
    const h = new Headers(typeof headers == "function" ? await headers() : headers);
    h.set("Accept", sse ? "text/event-stream" : "application/json");
    if (sse && lastId) h.set("Last-Event-ID", lastId);
    const target = sendFrom ? `${url}${url.includes("?") ? "&" : "?"}from=${from}` : url;
    let response: Response;
    try {
      response = await fetcher(target, { headers: h, credentials, signal, cache: "no-store" });
    } catch (error) {
      throw failure(`could not reach ${url}: ${(error as Error)?.message ?? error}`);
    }
    const { status } = response;
    if (status == 204) return;
    const type = response.headers.get("Content-Type") ?? "";
    if (status > 299) {
      let reason = "";
      try {
        const body = await response.json();
        if (typeof body.error == "string") reason = `: ${body.error}`;
      } catch {
        // no JSON reason
      }
      throw failure(
        `${url} answered ${status}${reason}`,
        status < 500 && status != 429 && status != 408,
        retryAfter(response.headers.get("Retry-After")),
      );
    }
    if (!type.includes(sse ? "text/event-stream" : "json")) {
      response.body?.cancel().catch(() => {});
      throw failure(
        `${url} answered ${type || "no content type"}, not ${sse ? "text/event-stream" : "JSON"}`,
        true,
      );
    }
    return response;
  };

  /** Reads one SSE response to its end; `true` when the job's end came. */
  const readSse = async (response: Response, signal: AbortSignal): Promise<boolean> => {
    const parser = createSseParser(lastId);
    const decoder = new TextDecoder();
    const reader = response.body!.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return false;
        parser.push(decoder.decode(value, { stream: true }));
        for (let event = parser.next(); event; event = parser.next()) {
          if (parser.retry !== undefined) retryMs = parser.retry;
          const raw = parse(event.data);
          const id = +event.id;
          // An id at or below the highest one seen is a replay after a reconnect.
          let replay = false;
          if (raw.event != "done" && raw.event != "missed" && event.id && id === Math.floor(id)) {
            replay = id <= maxId;
            if (!replay) maxId = id;
          }
          if (!replay && event.data && handle(raw)) return true;
          lastId = event.id;
          if (await slice(signal)) return false;
        }
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  };

  /** Reads one poll answer; `true` when the job's end came. */
  const readPoll = async (response: Response, signal: AbortSignal): Promise<boolean> => {
    let body: { logs?: unknown; next?: unknown; done?: unknown; missed?: unknown } & RawEvent;
    // A body cut by the network is a passing failure; a whole one that is not JSON is definite.
    const text = await response.text();
    try {
      body = JSON.parse(text);
    } catch {
      throw failure(`${url} answered invalid JSON`, true);
    }
    const logs = body?.logs;
    if (!Array.isArray(logs)) throw failure(`${url} answered JSON without a "logs" array`, true);
    let n = logs.length;
    if (n > 0 && (logs[n - 1] as RawEvent)?.event == "done") n--;
    if (Number.isSafeInteger(body.next)) sendFrom = true;
    // The id of logs[0]: entries below the cursor were read before (a server that replays).
    const first = (sendFrom ? body.next as number : n) - n;
    if ((body.missed as number) > 0 && first >= from) {
      handle({ event: "missed", count: body.missed });
    }
    for (let i = Math.max(0, from - first); i < n; i++) {
      const item = logs[i];
      const raw = typeof item == "string" ? parse(item) : item;
      if (raw && typeof raw == "object" && handle(raw)) return true;
      from = first + i + 1;
      if (await slice(signal)) return false;
    }
    from = Math.max(from, first + n);
    const end = logs[n] as RawEvent | undefined;
    return end ? handle(end) : body.done === true &&
      handle({ event: "done", status: body.status, message: body.message });
  };

  const loop = async (signal: AbortSignal) => {
    let failures = 0;
    let failingSince = 0;
    for (;;) {
      let wait = interval;
      try {
        const response = await request(signal);
        if (signal.aborted) return;
        opened = true;
        failures = 0;
        set({ status: "open", active: true, error: null });
        if (!response) return void handle({ event: "done" });
        if (await (sse ? readSse : readPoll)(response, signal)) return;
        if (signal.aborted) return;
        if (sse) throw failure(`${url} closed the stream before its end`, false, retryMs);
      } catch (error) {
        if (signal.aborted) return;
        const e = error as Failure;
        if (e.definite) return fail(e);
        failingSince = failures++ ? failingSince : now();
        if (
          maxRetries === undefined ? now() - failingSince > GIVE_UP_MS : failures > maxRetries
        ) {
          return fail(new Error(`${e.message} (gave up after ${failures} attempts)`));
        }
        set({ status: "reconnecting", active: true, error: e });
        wait = e.wait ?? backoff(failures, sse ? retryMs : interval);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (signal.aborted) return;
    }
  };

  const start = () => {
    run?.abort();
    if (ended) return;
    stopped = false;
    const controller = run = new AbortController();
    set({ status: opened ? "reconnecting" : "connecting", active: true, error: null });
    loop(controller.signal).catch((error) => fail(error as Error));
  };
  const pause = () => {
    run?.abort();
    run = undefined;
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!run && !stopped && !ended) start();
      return () => {
        listeners.delete(listener);
        // Effects that run again at once (<StrictMode>) keep the connection.
        queueMicrotask(() => listeners.size || pause());
      };
    },
    getSnapshot: () => state,
    retry: start,
    stop() {
      if (ended) return;
      pause();
      stopped = true;
      set({ status: "idle", active: false, error: null });
    },
    close() {
      pause();
      stopped = true;
      listeners.clear();
      cancelFrame?.();
    },
  };
}

/** An event's data: JSON when it parses to an object, else a plain message. */
function parse(data: string): RawEvent {
  try {
    const value = JSON.parse(data);
    if (value && typeof value == "object" && !Array.isArray(value)) return value;
  } catch {
    // not JSON: shown as text
  }
  return { event: "log", message: data };
}
