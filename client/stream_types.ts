/**
 * The types of the log stream: how it reads (`StreamMode`), where it is
 * (`StreamStatus`), how the job ended (`Outcome`), its state, options and
 * actions.
 *
 * @module
 */
import type { Outcome, OutcomeStatus } from "../server/wire.ts";
import type { FormatEvent, LogEntry } from "./types.ts";

export type { Outcome, OutcomeStatus };

/**
 * How a job is read: `"sse"` (Server-Sent Events) or `"poll"`.
 */
export type StreamMode = "sse" | "poll";

/**
 * Where a stream is: `"idle"` (no url, or stopped), `"connecting"` (the first
 * time), `"reconnecting"` (after a retryable failure; `error` says which),
 * `"open"`, `"done"` (the job ended) or `"error"` (a failure retrying cannot
 * mend, retries used up, or a lost job).
 */
export type StreamStatus = "idle" | "connecting" | "reconnecting" | "open" | "done" | "error";

/**
 * How far the job is, from its newest progress entry (`logger.progress()`):
 * `done` of `total` (no `total`: unknown), counting `label`.
 */
export interface Progress {
  /** How much is done. */
  done: number;
  /** How much there is in all, when known. */
  total?: number;
  /** What is counted, e.g. `"pages"`. */
  label?: string;
}

/**
 * The state of a log stream, as `getSnapshot()` returns it.
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
  /** How far the job is, from its newest progress entry; `null` until one comes. */
  progress: Progress | null;
}

/**
 * What `useLogStream` returns and `getSnapshot()` gives: `{ logs, active }`,
 * where the stream is (`status`, `error`), how the job ended (`outcome`),
 * how far it is (`progress`), and two actions.
 */
export interface LogStream extends LogStreamState {
  /** Connects again from where the log stopped: after an error, a `stop()`, or to skip a wait. Stable for a url. */
  retry(): void;
  /** Closes the connection (`status: "idle"`); `retry()` resumes. Stable for a url. */
  stop(): void;
}

/**
 * Request headers, as `fetch` takes them: an object, `[name, value]` pairs
 * or a `Headers`. (The DOM's `HeadersInit`, written out so that a project
 * without the DOM lib, on Node say, can name it.)
 */
export type RequestHeaders = Record<string, string> | Iterable<readonly [string, string]>;

/**
 * The `headers` option as a function: called before every (re)connect and
 * every request, maybe async, e.g. to refresh a token.
 */
export type HeadersFunction = () => RequestHeaders | Promise<RequestHeaders>;

/**
 * `fetch`'s `credentials`: `"omit"`, `"same-origin"` (the default) or
 * `"include"` (cookies to another origin too). (The DOM's
 * `RequestCredentials`, written out for projects without the DOM lib.)
 */
export type Credentials = "omit" | "same-origin" | "include";

/**
 * Options of {@linkcode createLogStream} and `useLogStream`.
 */
export interface LogStreamOptions {
  /** `"sse"` (default) or `"poll"` (one request at a time, `interval` ms apart). */
  mode?: StreamMode;
  /** Ms between polls, poll mode only. Default 3,000. */
  interval?: number;
  /**
   * The text for each raw event; `null` drops it. Default: the event's
   * `message` (so progress entries, which have none, are no rows; they set
   * `progress` whatever this returns).
   */
  formatEvent?: FormatEvent;
  /** Request headers, or a function (maybe async) called before every (re)connect, e.g. to refresh a token. */
  headers?: RequestHeaders | HeadersFunction;
  /** `fetch`'s `credentials`: `"include"` sends cookies to another origin. */
  credentials?: Credentials;
  /**
   * The `fetch` to use (a proxy, an instrumented client, a test double). Default: the global one.
   * It is called with a URL string and an init object only.
   */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /**
   * Retryable failures in a row before `status` becomes `"error"`. Default:
   * no count; `giveUpAfter` applies. A reconnect answered with a readable
   * log ends the run of failures.
   */
  maxRetries?: number;
  /**
   * Ms of failing in a row after which `status` becomes `"error"`, counted
   * from the first failure, whatever the waits between attempts (a longer
   * `Retry-After` is cut short). Default 30,000 when `maxRetries` is not
   * set; with `maxRetries` alone, only the count applies.
   */
  giveUpAfter?: number;
  /**
   * Ms of silence after which a connection counts as dead and is replaced
   * (resuming from the cursor): a request with no answer; a poll answer
   * that takes this long; and over SSE, once the server has sent a
   * heartbeat (a `: ping` comment, every 5 s by default from
   * `createLogHandler`; keep this well above yours), no byte at all. A
   * silent SSE stream from a server that never sent a heartbeat is a quiet
   * job, not a dead connection. A connection a network change left behind
   * never closes by itself. Default 15,000.
   */
  heartbeatTimeout?: number;
}

/**
 * A log stream: a store to `subscribe` to, and its actions.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLogStream, type LogStreamClient } from "@streamator/core/client";
 * function count(stream: LogStreamClient): number {
 *   return stream.getSnapshot().logs.length;
 * }
 * // No url: the stream stays idle and opens nothing.
 * const idle = createLogStream(null);
 * assert.equal(count(idle), 0);
 * assert.equal(idle.getSnapshot().status, "idle");
 * ```
 */
export interface LogStreamClient {
  /** Calls `listener` after each change; connects on the first listener, pauses when the last leaves. */
  subscribe(listener: () => void): () => void;
  /** The current state, with the `retry` and `stop` actions: the same object until something changes. */
  getSnapshot(): LogStream;
  /** Connects again from the cursor, now (after an error, a stop, or during a wait). */
  retry(): void;
  /** Closes the connection; `status` becomes `"idle"`; `retry()` resumes. */
  stop(): void;
  /** Closes the connection and drops the listeners, for good. */
  close(): void;
}
