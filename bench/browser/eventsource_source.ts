/**
 * The connection behind `useLogStream`, without React: one `EventSource`
 * (SSE) or one polling loop, reporting raw events and status changes to a sink.
 */
import type { RawEvent } from "../../client/types.ts";

/**
 * How the hook reads a job: `"sse"` (Server-Sent Events) or `"poll"`.
 */
export type StreamMode = "sse" | "poll";

/** Where a source reports. Nothing is reported after `close()`. */
export interface SourceSink {
  /** A raw event, in order, at most once. */
  event(raw: RawEvent): void;
  /** Connected (`"open"`) or reconnecting after a passing failure (`"connecting"`, with why). */
  status(status: "open" | "connecting", error?: Error): void;
  /** The job ended: nothing more will come. */
  done(): void;
  /** A definite failure: nothing more will come. */
  fail(error: Error): void;
}

/**
 * Where a source resumes: updated as events are delivered, and passed again
 * when the same url is opened again (effects re-run by `<StrictMode>`,
 * `<Activity>` or fast refresh), so nothing is delivered twice.
 */
export interface SourceCursor {
  /** The highest SSE event id delivered; -1 for none. */
  lastId: number;
  /** The poll cursor from the server's last `next`, if it sends one. */
  next: number | undefined;
  /** Entries of a plain `{ logs }` answer already delivered. */
  seen: number;
}

/** A cursor at the start. */
export function newCursor(): SourceCursor {
  return { lastId: -1, next: undefined, seen: 0 };
}

/** HTTP statuses after which asking again cannot help. */
const DEFINITE = new Set([400, 401, 403, 404, 405, 410]);

/** Longest wait between polls after repeated failures, in ms. */
const MAX_BACKOFF_MS = 30_000;

/** Opens a source; the returned function closes it. */
export function openLogSource(
  url: string,
  mode: StreamMode,
  interval: number,
  sink: SourceSink,
  cursor: SourceCursor = newCursor(),
): () => void {
  return mode === "poll" ? openPoll(url, interval, sink, cursor) : openSse(url, sink, cursor);
}

/** Reads an SSE or poll payload: JSON when it parses to an object, else a plain message. */
function parse(data: string): RawEvent {
  try {
    const value = JSON.parse(data);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      return value;
    }
  } catch {
    // not JSON: shown as text below
  }
  return { event: "log", message: data };
}

function openSse(
  url: string,
  sink: SourceSink,
  cursor: SourceCursor,
): () => void {
  const Source = (globalThis as { EventSource?: typeof EventSource }).EventSource;
  let closed = false;
  if (typeof Source !== "function") {
    queueMicrotask(() => {
      if (!closed) {
        sink.fail(
          new Error('EventSource is not available here; use mode: "poll"'),
        );
      }
    });
    return () => {
      closed = true;
    };
  }
  let source: EventSource;
  try {
    source = new Source(url);
  } catch (error) {
    queueMicrotask(() => {
      if (!closed) {
        sink.fail(asError(error, `could not open the log stream ${url}`));
      }
    });
    return () => {
      closed = true;
    };
  }
  const close = () => {
    closed = true;
    source.onopen = source.onmessage = source.onerror = null;
    source.close();
  };
  source.onopen = () => {
    if (!closed) sink.status("open");
  };
  source.onmessage = (message: MessageEvent) => {
    if (closed) return;
    const raw = parse(String(message.data));
    if (raw.event === "done") {
      close();
      sink.done();
      return;
    }
    if (raw.event !== "missed" && message.lastEventId !== "") {
      // An id at or below the last one seen is a replay after a reconnect.
      const id = Number(message.lastEventId);
      if (Number.isSafeInteger(id)) {
        if (id <= cursor.lastId) return;
        cursor.lastId = id;
      }
    }
    sink.event(raw);
  };
  source.onerror = () => {
    if (closed) return;
    if (source.readyState === 2) {
      // CLOSED: the browser gave up (a non-200 answer, a wrong content type, ...).
      close();
      sink.fail(
        new Error(`the log stream ${url} could not be opened or was refused`),
      );
    } else {
      // CONNECTING: the browser reconnects by itself, sending Last-Event-ID.
      sink.status(
        "connecting",
        new Error(`the log stream ${url} dropped; reconnecting`),
      );
    }
  };
  return close;
}

function openPoll(
  url: string,
  interval: number,
  sink: SourceSink,
  cursor: SourceCursor,
): () => void {
  const abort = new AbortController();
  const { signal } = abort;
  const base = (globalThis as { location?: { href?: string } }).location?.href;

  const run = async () => {
    let failures = 0;
    for (let round = 0; !signal.aborted; round++) {
      if (round > 0) {
        // After failures: interval × 2, × 4, ... up to MAX_BACKOFF_MS (never below interval).
        const wait = failures === 0 ? interval : Math.max(
          interval,
          Math.min(interval * 2 ** Math.min(failures, 16), MAX_BACKOFF_MS),
        );
        await sleep(wait, signal);
        if (signal.aborted) return;
      }
      let body: unknown;
      try {
        const target = new URL(url, base);
        if (cursor.next !== undefined) {
          target.searchParams.set("from", String(cursor.next));
        }
        const response = await fetch(target, {
          signal,
          cache: "no-store",
          headers: { Accept: "application/json" },
        });
        if (!response.ok) {
          const reason = await errorText(response);
          if (DEFINITE.has(response.status)) {
            sink.fail(
              new Error(`polling ${url} answered ${response.status}${reason}`),
            );
            return;
          }
          throw new Error(
            `polling ${url} answered ${response.status}${reason}`,
          );
        }
        body = await response.json();
        if (
          body === null || typeof body !== "object" ||
          !Array.isArray((body as Poll).logs)
        ) {
          throw new Error(`polling ${url} answered without a "logs" array`);
        }
      } catch (error) {
        if (signal.aborted) return;
        failures++;
        sink.status("connecting", asError(error, `polling ${url} failed`));
        continue;
      }
      const poll = body as Poll;
      let fresh: unknown[];
      if (typeof poll.next === "number" && Number.isSafeInteger(poll.next)) {
        fresh = poll.logs;
        cursor.next = poll.next;
      } else {
        fresh = poll.logs.slice(cursor.seen);
        cursor.seen = Math.max(cursor.seen, poll.logs.length);
      }
      failures = 0;
      sink.status("open");
      if (typeof poll.missed === "number" && poll.missed > 0) {
        sink.event({ event: "missed", count: poll.missed });
      }
      for (const item of fresh) {
        const raw = typeof item === "string"
          ? parse(item)
          : item !== null && typeof item === "object"
          ? item as RawEvent
          : undefined;
        if (raw === undefined) continue;
        if (raw.event === "done") {
          sink.done();
          return;
        }
        sink.event(raw);
      }
      if (poll.done === true) {
        sink.done();
        return;
      }
    }
  };
  run().catch((error) => {
    if (!signal.aborted) sink.fail(asError(error, `polling ${url} failed`));
  });
  return () => abort.abort();
}

interface Poll {
  logs: unknown[];
  next?: unknown;
  done?: unknown;
  missed?: unknown;
}

async function errorText(response: Response): Promise<string> {
  try {
    const body = await response.json();
    return typeof body?.error === "string" ? `: ${body.error}` : "";
  } catch {
    return "";
  }
}

/** Waits `ms`, or less if `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  const either = AbortSignal.any([signal, AbortSignal.timeout(ms)]);
  if (either.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    either.addEventListener("abort", () => resolve(), { once: true })
  );
}

function asError(error: unknown, fallback: string): Error {
  return error instanceof Error ? error : new Error(fallback);
}
