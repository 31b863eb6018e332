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
import { defaultFormatEvent } from "../format_event.ts";
import { formatTime } from "../format_time.ts";
import { nextFrame, yieldToMain } from "../frame.ts";
import { isLogLevel, type LogEntry, type RawEvent } from "../types.ts";
import { backoff, retryAfter } from "./backoff.ts";
import { createSseParser } from "./sse_parser.ts";
import type {
  LogStreamClient,
  LogStreamOptions,
  LogStreamState,
  Outcome,
  OutcomeStatus,
  StreamStatus,
} from "./stream_types.ts";

export type {
  LogStreamClient,
  LogStreamOptions,
  LogStreamState,
  Outcome,
  StreamMode,
  StreamStatus,
} from "./stream_types.ts";

/** Without `maxRetries`: how long failing may last before giving up, in ms. */
const GIVE_UP_MS = 30_000;

type Failure = Error & { definite?: unknown; wait?: number };

const failure = (message: string, definite?: unknown, wait?: number): Failure =>
  Object.assign(Error(message), { definite, wait });

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
    fetch: get = fetch,
  } = options;
  if (mode != "sse" && mode != "poll") throw TypeError('options.mode must be "sse" or "poll"');
  if (!(interval > 0)) throw TypeError("options.interval must be a positive number of ms");
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
  let change: Partial<LogStreamState> = {};
  let pending: LogEntry[] = [];
  let frame: (() => void) | undefined;
  let run: AbortController | undefined;
  // ended: the job's end was read (never reopened); stopped: by stop() or a failure.
  let ended: unknown;
  let stopped: unknown;
  let opened: unknown;
  // The cursor: SSE's last event id and highest numeric id; the poll's next id.
  let lastId = "";
  let maxId = -1;
  let from = 0;
  let sendFrom: unknown;
  let retryMs = 1_000;
  let sliceStart = 0;
  let events = 0;
  let lastTenths = NaN;
  let shownTime = "";
  // Passing failures in a row, and when the first of them came.
  let failures = 0;
  let since = 0;

  /** Hands what changed to the listeners: at most once per animation frame. */
  const commit = () => {
    frame = undefined;
    state = { ...state, ...change, logs: pending[0] ? state.logs.concat(pending) : state.logs };
    change = {};
    pending = [];
    listeners.forEach((listener) => listener());
  };
  /** A new status (with `active` from it), committed with the next frame. */
  const set = (status: StreamStatus, error: Error | null = null, outcome?: Outcome) => {
    // Nothing new (a poll that finds the stream open, as it was): no commit.
    if (!frame && status == state.status && error == state.error && !outcome) return;
    change = { ...change, status, error, active: /^[cro]/.test(status) };
    if (outcome) change.outcome = outcome;
    frame ??= nextFrame(commit);
  };
  const fail = (error: Error) => {
    stopped = 1;
    set("error", error);
  };

  /** Handles one raw event; truthy at the end of the stream. */
  const handle = (raw: RawEvent) => {
    if (raw.event == "done") {
      const status = (raw.status ?? "ok") as OutcomeStatus;
      const message = raw.message;
      ended = 1;
      set(
        status == "lost" ? "error" : "done",
        status == "lost" ? Error(`the job was lost${message ? `: ${message}` : ""}`) : null,
        message == null ? { status } : { status, message },
      );
      return 1;
    }
    let text;
    try {
      text = format(raw);
    } catch {
      text = defaultFormatEvent(raw);
    }
    if (text != null) {
      const seconds = typeof raw.t == "number" && isFinite(raw.t)
        ? raw.t
        : (now() - openedAt) / 1e3;
      const level = isLogLevel(raw.level) ? raw.level : raw.event == "missed" ? "warning" : "info";
      // Entries of a burst share their tenth of a second: format it once.
      const tenths = Math.round(seconds * 10);
      if (tenths !== lastTenths) shownTime = formatTime(seconds);
      lastTenths = tenths;
      pending.push({ text: String(text), t: shownTime, seconds, level });
      frame ??= nextFrame(commit);
    }
  };

  /** Whether the current slice of work has run for 8 ms (checked every 16 events): time to give the main thread back. */
  const due = () => !(++events & 15) && now() - sliceStart > 8;
  /** Gives the main thread back; truthy when aborted meanwhile. */
  const giveBack = async (signal: AbortSignal) => {
    await yieldToMain();
    sliceStart = now();
    return signal.aborted;
  };

  /** One request, checked: a definite or passing failure is thrown. */
  const request = async (signal: AbortSignal): Promise<Response> => {
    const h = new Headers(typeof headers == "function" ? await headers() : headers);
    h.set("Accept", sse ? "text/event-stream" : "application/json");
    if (sse && lastId) h.set("Last-Event-ID", lastId);
    let response: Response;
    try {
      response = await get(sendFrom ? `${url}${url.includes("?") ? "&" : "?"}from=${from}` : url, {
        headers: h,
        credentials,
        signal,
        cache: "no-store",
      });
    } catch (error) {
      throw failure(`could not reach ${url}: ${(error as Error).message}`);
    }
    const { status } = response;
    const type = response.headers.get("Content-Type") || "";
    if (status > 299) {
      const reason = await response.json().then((b) => b.error ? `: ${b.error}` : "", () => "");
      throw failure(
        `${url} answered ${status}${reason}`,
        status < 500 && status != 429 && status != 408,
        retryAfter(response.headers.get("Retry-After")),
      );
    }
    if (status != 204 && !type.includes(sse ? "text/event-stream" : "json")) {
      throw failure(
        `${url} answered ${type || "no content type"}, not ${sse ? "text/event-stream" : "JSON"}`,
        1,
      );
    }
    return response;
  };

  /** Reads one SSE response to its end; truthy when the job's end came. */
  const readSse = async (response: Response, signal: AbortSignal) => {
    const parser = createSseParser(lastId);
    const decoder = new TextDecoder();
    const reader = response.body!.getReader();
    for (let chunk; !(chunk = await reader.read()).done;) {
      // Bytes (events or the server's heartbeat comments): the connection works.
      failures = 0;
      parser.push(decoder.decode(chunk.value, { stream: true }));
      for (let event; (event = parser.next());) {
        retryMs = parser.retry ?? retryMs;
        const raw = parse(event.data);
        const id = event.id ? +event.id : NaN;
        // An id at or below the highest one seen is a replay after a reconnect.
        if (raw.event == "done" || raw.event == "missed" || !(id <= maxId)) {
          if (id > maxId) maxId = id;
          if (event.data && handle(raw)) return 1;
        }
        lastId = event.id;
        if (due() && await giveBack(signal)) return;
      }
    }
  };

  /** Reads one poll answer; truthy when the job's end came. */
  const readPoll = async (response: Response, signal: AbortSignal) => {
    // A body cut by the network is a passing failure; a whole one that is not JSON is definite.
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      // reported below
    }
    const logs = body?.logs;
    if (!Array.isArray(logs)) {
      throw failure(`${url} answered ${body ? 'JSON without a "logs" array' : "invalid JSON"}`, 1);
    }
    let n = logs.length;
    const end = logs[n - 1]?.event == "done"
      ? logs[--n]
      : body.done === true && { ...body, event: "done" };
    if (Number.isSafeInteger(body.next)) sendFrom = 1;
    // The id of logs[0]: entries below the cursor were read before (a server that replays).
    const first = (sendFrom ? body.next : n) - n;
    if (body.missed > 0 && first >= from) handle({ event: "missed", count: body.missed });
    for (let i = Math.max(0, from - first); i < n; i++) {
      const raw = typeof logs[i] == "string" ? parse(logs[i]) : logs[i];
      if (raw && typeof raw == "object" && handle(raw)) return 1;
      from = first + i + 1;
      if (due() && await giveBack(signal)) return;
    }
    return end && handle(end);
  };

  const loop = async (signal: AbortSignal) => {
    for (;;) {
      let wait = interval;
      try {
        const response = await request(signal);
        opened = 1;
        // An SSE answer counts as working once bytes come (an empty 200 that closes does not).
        if (!sse) failures = 0;
        set("open");
        // 204: the stream had already ended (a reconnect after its last entry).
        if (response.status == 204) return handle({ event: "done" });
        if (await (sse ? readSse : readPoll)(response, signal) || signal.aborted) return;
        if (sse) throw failure(`${url} closed the stream before its end`, 0, retryMs);
      } catch (error) {
        const e = error as Failure;
        if (signal.aborted) return;
        if (e.definite) return fail(e);
        since = failures++ ? since : now();
        if (maxRetries == null ? now() - since > GIVE_UP_MS : failures > maxRetries) {
          return fail(Error(`${e.message} (gave up after ${failures} attempts)`));
        }
        set("reconnecting", e);
        wait = e.wait ?? backoff(failures, sse ? retryMs : interval);
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
    if (ended) return;
    stopped = failures = 0;
    const controller = run = new AbortController();
    set(opened ? "reconnecting" : "connecting");
    // Ending the run releases its request and body, whatever the reason.
    loop(controller.signal).finally(() => controller.abort());
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!run && !stopped && !ended) start();
      return () => {
        listeners.delete(listener);
        // Effects that run again at once (<StrictMode>) keep the connection.
        queueMicrotask(() => listeners.size || halt());
      };
    },
    getSnapshot: () => state,
    retry: start,
    stop() {
      if (ended) return;
      halt();
      stopped = 1;
      set("idle");
    },
    close() {
      halt();
      stopped = 1;
      listeners.clear();
      frame?.();
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
