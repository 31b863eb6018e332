/**
 * The benchmark's "EventSource hook" peer: `useLogStream` as it was before the
 * fetch() reader (one `EventSource`, one `message` event per entry, a commit
 * per animation frame), kept here unchanged so the browser benchmark can
 * compare the two side by side.
 */
import { useEffect, useRef, useState } from "react";
import { defaultFormatEvent } from "../../client/format_event.ts";
import { nextFrame } from "./eventsource_frame.ts";
import { formatTime } from "../../client/format_time.ts";
import {
  newCursor,
  openLogSource,
  type SourceCursor,
  type StreamMode,
} from "./eventsource_source.ts";
import { type FormatEvent, isLogLevel, type LogEntry, type RawEvent } from "../../client/types.ts";

export type { StreamMode } from "./eventsource_source.ts";

/**
 * Where a stream is: `"idle"` (no url), `"connecting"` (also while
 * reconnecting), `"open"`, `"done"` (the job ended) or `"error"` (a definite
 * failure, such as an unknown job).
 */
export type StreamStatus = "idle" | "connecting" | "open" | "done" | "error";

/**
 * Options of {@linkcode useLogStream}.
 */
export interface UseLogStreamOptions {
  /** `"sse"` (default: one `EventSource`) or `"poll"` (one request at a time). */
  mode?: StreamMode;
  /** Ms between polls, poll mode only; read when the connection opens. Default 3,000. */
  interval?: number;
  /** The text for each raw event; `null` drops it. Default: the event's `message`. */
  formatEvent?: FormatEvent;
}

/**
 * What {@linkcode useLogStream} returns: `{ logs, active }`, plus
 * `status` and `error`.
 */
export interface LogStream {
  /** The entries so far, oldest first. A new array whenever entries arrive. */
  logs: LogEntry[];
  /** `true` while the stream is connecting, open or polling. */
  active: boolean;
  /** Where the stream is. */
  status: StreamStatus;
  /** Why the stream failed (`status: "error"`) or is reconnecting; else `null`. */
  error: Error | null;
}

interface State extends LogStream {
  key: string;
}

function initial(key: string, url: string | null | undefined): State {
  const idle = url === null || url === undefined || url === "";
  return {
    key,
    logs: [],
    active: !idle,
    status: idle ? "idle" : "connecting",
    error: null,
  };
}

/**
 * Reads a job's live log, over Server-Sent Events (default) or polling, as
 * entries ready to render.
 *
 * - `null`/`undefined` url: idle, nothing opened. A new url (or mode) closes
 *   the old connection and starts over with no entries.
 * - SSE: one `EventSource`; a dropped connection is resumed by the browser
 *   (with `Last-Event-ID`), without duplicates; `{"event":"done"}` closes it.
 * - Poll: one request at a time, `interval` ms apart, with the server's
 *   `after` cursor when it sends `next`, else by diffing a plain `{ logs }`;
 *   backs off on errors; stops on `done: true` or a `{"event":"done"}` entry.
 * - Bursts: entries arriving together are committed at most once per
 *   animation frame.
 * - `t` is the event's server `t` (`"12.3s"`), else seconds since connecting.
 */
export function useLogStream(
  url: string | null | undefined,
  options: UseLogStreamOptions = {},
): LogStream {
  const { mode = "sse", interval = 3_000, formatEvent } = options ?? {};
  if (mode !== "sse" && mode !== "poll") {
    throw new TypeError(`useLogStream: options.mode must be "sse" or "poll", got ${show(mode)}`);
  }
  if (typeof interval !== "number" || !(interval > 0) || !Number.isFinite(interval)) {
    throw new TypeError(
      `useLogStream: options.interval must be a positive number of ms, got ${show(interval)}`,
    );
  }
  if (formatEvent !== undefined && typeof formatEvent !== "function") {
    throw new TypeError("useLogStream: options.formatEvent must be a function (raw) => string");
  }
  if (url !== null && url !== undefined && typeof url !== "string") {
    throw new TypeError(`useLogStream: url must be a string, null or undefined, got ${show(url)}`);
  }
  const key = url ? `${mode} ${url}` : "";

  // The latest formatEvent, read as each event arrives: a new function on
  // every render neither reconnects nor loses entries.
  const format = useRef<FormatEvent>(defaultFormatEvent);
  format.current = formatEvent ?? defaultFormatEvent;

  const [state, setState] = useState<State>(() => initial(key, url));
  let current = state;
  if (state.key !== key) {
    // A new url: start over at once, so the old entries never show with it.
    current = initial(key, url);
    setState(current);
  }

  // What this url's connection has delivered, kept when effects re-run with
  // the same url (<StrictMode>, <Activity>, fast refresh): the connection
  // resumes from it, so no entry is lost or shown twice.
  const progress = useRef<Progress | null>(null);

  useEffect(() => {
    if (!url) return;
    let p = progress.current;
    if (p === null || p.key !== key) p = progress.current = newProgress(key);
    const run = p;
    let cancel: (() => void) | undefined;
    let closed = false;

    const flush = () => {
      cancel = undefined;
      const batch = run.pending;
      const change = run.update;
      run.pending = [];
      run.update = undefined;
      setState((prev) => {
        if (prev.key !== key) return prev;
        return {
          ...prev,
          ...change,
          // One copy per frame, never one per event.
          logs: batch.length > 0 ? prev.logs.concat(batch) : prev.logs,
        };
      });
    };
    const schedule = (change?: Partial<LogStream>) => {
      if (closed) return;
      if (change !== undefined) run.update = { ...run.update, ...change };
      cancel ??= nextFrame(flush);
    };

    // Entries delivered but not committed before the last cleanup go first.
    if (run.pending.length > 0 || run.update !== undefined) schedule();
    // A job that ended is not opened again.
    const stop = run.finished ? () => {} : openLogSource(url, mode, interval, {
      event(raw) {
        if (closed) return;
        const entry = toEntry(raw, format.current, run.openedAt);
        if (entry !== null) {
          run.pending.push(entry);
          schedule();
        }
      },
      status(status, error) {
        schedule({ status, active: true, error: error ?? null });
      },
      done() {
        run.finished = true;
        schedule({ status: "done", active: false, error: null });
      },
      fail(error) {
        run.finished = true;
        schedule({ status: "error", active: false, error });
      },
    }, run.cursor);

    return () => {
      closed = true;
      cancel?.();
      stop();
    };
  }, [key]);

  return {
    logs: current.logs,
    active: current.active,
    status: current.status,
    error: current.error,
  };
}

/** One url's connection state, across re-runs of the effect. */
interface Progress {
  key: string;
  /** When the url was first opened: the zero of `t` for events without one. */
  openedAt: number;
  cursor: SourceCursor;
  /** Entries delivered but not committed yet. */
  pending: LogEntry[];
  /** A status change not committed yet. */
  update: Partial<LogStream> | undefined;
  /** The job ended or failed for good. */
  finished: boolean;
}

function newProgress(key: string): Progress {
  return {
    key,
    openedAt: now(),
    cursor: newCursor(),
    pending: [],
    update: undefined,
    finished: false,
  };
}

function toEntry(raw: RawEvent, format: FormatEvent, openedAt: number): LogEntry | null {
  let text: string | null | undefined;
  try {
    text = format(raw);
  } catch (error) {
    console.error("streamator: formatEvent threw; the entry shows its message", error);
    text = defaultFormatEvent(raw);
  }
  if (text === null || text === undefined) return null;
  const seconds = typeof raw.t === "number" && Number.isFinite(raw.t)
    ? raw.t
    : (now() - openedAt) / 1000;
  const level = isLogLevel(raw.level) ? raw.level : raw.event === "missed" ? "warning" : "info";
  return { text: String(text), t: formatTime(seconds), seconds, level };
}

function now(): number {
  return typeof performance === "object" ? performance.now() : Date.now();
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : value === null ? "null" : typeof value;
}
