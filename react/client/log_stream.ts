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
  LogStream,
  LogStreamClient,
  LogStreamOptions,
  Outcome,
  OutcomeStatus,
  StreamStatus,
} from "./stream_types.ts";

export type {
  LogStream,
  LogStreamClient,
  LogStreamOptions,
  LogStreamState,
  Outcome,
  StreamMode,
  StreamStatus,
} from "./stream_types.ts";

type Failure = Error & { definite?: unknown; wait?: number };

const now = () => performance.now();

/**
 * Reads one job's log over SSE or polling into a store. Nothing is opened
 * until the first `subscribe`; a `null` url makes an idle stream that never
 * opens. `formatEvent` and `headers` are read from `live()` (default: from
 * `options`) each time they are used.
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
  const { mode = "sse", interval = 3_000, credentials, maxRetries, fetch: get = fetch } = options;
  if (url != null && typeof url != "string") throw TypeError("url must be a string or null");
  if (mode != "sse" && mode != "poll") throw TypeError('options.mode must be "sse" or "poll"');
  if (!(interval > 0)) throw TypeError("options.interval must be a positive number of ms");
  const sse = mode == "sse";
  const listeners = new Set<() => void>();
  const openedAt = now();
  let logs: LogEntry[] = [];
  let pending: LogEntry[] = [];
  let status: StreamStatus = url ? "connecting" : "idle";
  let error: Error | null = null;
  let outcome: Outcome | null = null;
  let state: LogStream;
  let frame: (() => void) | undefined;
  let run: AbortController | undefined;
  // ended: the job's end was read, or there is no url (never opened); stopped: by stop() or a failure.
  let ended: unknown = !url;
  let stopped: unknown;
  let opened: unknown;
  // The cursor: SSE's last event id; the highest id read (SSE's numeric ids, the poll's positions).
  let lastId = "";
  let maxId = -1;
  let sendFrom: unknown;
  let retryMs = 1_000;
  let sliceStart = 0;
  let events = 0;
  let lastTenths = NaN;
  let shownTime = "";
  // Passing failures in a row, and when the first of them came.
  let failures = 0;
  let since = 0;

  /** Makes the new state and tells the listeners (at most once per animation frame). */
  const commit = () => {
    frame = undefined;
    if (pending[0]) logs = logs.concat(pending);
    pending = [];
    // active: "connecting", "reconnecting" or "open" (the statuses starting with c, r or o).
    state = { logs, active: /^[cro]/.test(status), status, error, outcome, retry: start, stop };
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
  const fail = (why: Error) => {
    stopped = 1;
    set("error", why);
  };
  /** A failure: `definite` ones stop, others are retried (after `wait` ms, if given). */
  const fault = (what: string, definite?: unknown, wait?: number): Failure =>
    Object.assign(Error(`${url} ${what}`), { definite, wait });

  /** Handles one raw event; truthy at the end of the stream. */
  const handle = (raw: RawEvent) => {
    if (raw.event == "done") {
      const end = (raw.status ?? "ok") as OutcomeStatus;
      const { message } = raw;
      const lost = end == "lost";
      ended = 1;
      outcome = { status: end };
      if (message != null) outcome.message = message;
      set(
        lost ? "error" : "done",
        lost ? Error(`the job was lost${message ? `: ${message}` : ""}`) : null,
      );
      return schedule(), 1;
    }
    let text;
    try {
      text = (live().formatEvent ?? defaultFormatEvent)(raw);
    } catch {
      text = defaultFormatEvent(raw);
    }
    if (text != null) {
      const seconds = Number.isFinite(raw.t) ? raw.t! : (now() - openedAt) / 1e3;
      // Entries of a burst share their tenth of a second: format it once.
      const tenths = Math.round(seconds * 10);
      if (tenths !== lastTenths) shownTime = formatTime(seconds);
      lastTenths = tenths;
      pending.push({
        text: String(text),
        t: shownTime,
        seconds,
        level: isLogLevel(raw.level) ? raw.level : raw.event == "missed" ? "warning" : "info",
      });
      schedule();
    }
  };

  /**
   * Handles one event at cursor position `id`, unless it is at or below the
   * highest id read: a replay after a reconnect. (SSE's done and missed
   * events are always handled.) Truthy at the end of the stream.
   */
  const take = (raw: RawEvent | undefined, id: number) => {
    if (raw && (sse && /^(done|missed)$/.test(raw.event!) || !(id <= maxId)) && handle(raw)) {
      return 1;
    }
    if (id > maxId) maxId = id;
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
    const { headers } = live();
    const h = new Headers(typeof headers == "function" ? await headers() : headers);
    h.set("Accept", sse ? "text/event-stream" : "application/json");
    if (lastId) h.set("Last-Event-ID", lastId);
    let response: Response;
    try {
      response = await get(
        sendFrom ? `${url}${url!.includes("?") ? "&" : "?"}from=${maxId + 1}` : url!,
        {
          headers: h,
          credentials,
          signal,
          cache: "no-store",
        },
      );
    } catch (e) {
      throw fault(`could not be reached: ${(e as Error).message}`);
    }
    const { status } = response;
    const type = response.headers.get("Content-Type") || "";
    if (status > 299) {
      const reason = await response.json().then((b) => b.error ? `: ${b.error}` : "", () => "");
      throw fault(
        `answered ${status}${reason}`,
        status < 500 && status != 429 && status != 408,
        retryAfter(response.headers.get("Retry-After")),
      );
    }
    if (status != 204 && !type.includes(sse ? "text/event-stream" : "json")) {
      throw fault(
        `answered ${type || "no content type"}, not ${sse ? "text/event-stream" : "JSON"}`,
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
      for (let data; (data = parser.next()) != null;) {
        if (take(toRaw(data), parser.id ? +parser.id : NaN)) return 1;
        lastId = parser.id;
        if (due() && await giveBack(signal)) return;
      }
      retryMs = parser.retry ?? retryMs;
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
      throw fault(`answered ${body ? 'JSON without a "logs" array' : "invalid JSON"}`, 1);
    }
    let n = logs.length;
    const end = logs[n - 1]?.event == "done"
      ? logs[--n]
      : body.done === true && { event: "done", status: body.status, message: body.message };
    if (Number.isSafeInteger(body.next)) sendFrom = 1;
    // The id of logs[0]: entries below the cursor were read before (a server that replays).
    const first = (sendFrom ? body.next : n) - n;
    if (body.missed > 0 && first > maxId) handle({ event: "missed", count: body.missed });
    for (let i = Math.max(0, maxId + 1 - first); i < n; i++) {
      if (take(toRaw(logs[i]), first + i)) return 1;
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
        if (sse) throw fault("closed the stream before its end", 0, retryMs);
      } catch (thrown) {
        const e = thrown as Failure;
        if (signal.aborted) return;
        if (e.definite) return fail(e);
        since = failures++ ? since : now();
        // Without maxRetries: give up after 30 s of failing.
        if (maxRetries == null ? now() - since > 30_000 : failures > maxRetries) {
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
  const stop = () => {
    if (ended) return;
    halt();
    stopped = 1;
    set("idle");
  };
  commit();

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
    stop,
    close() {
      halt();
      stopped = 1;
      listeners.clear();
      frame?.();
    },
  };
}

/** An event as sent: an object, or a JSON string of one; other non-empty text is a plain message. */
function toRaw(sent: unknown): RawEvent | undefined {
  let value = sent;
  if (typeof sent == "string") {
    try {
      value = JSON.parse(sent);
    } catch {
      // not JSON: shown as text
    }
  }
  return value && typeof value == "object" && !Array.isArray(value)
    ? value as RawEvent
    : typeof sent == "string" && sent
    ? { event: "log", message: sent }
    : undefined;
}
