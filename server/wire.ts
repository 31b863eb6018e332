/**
 * The wire format: what a job's stream and snapshot carry, in one place.
 * The server builds its events from here; the browser imports these types
 * only, so none of this code reaches a bundle.
 *
 * Every entry is one JSON object with an `event` name. A job's entries are
 * numbered 0, 1, 2, … (the SSE `id:`); two events are the stream's own and
 * carry no id: `missed` (entries the reader can no longer get) and `done`
 * (the end, with the job's outcome).
 *
 * @module
 */

/**
 * The level of a log line: `"info" | "success" | "warning" | "error"`.
 */
export type Level = "info" | "success" | "warning" | "error";

/** The four levels a log line can have. */
export const LEVELS: readonly Level[] = ["info", "success", "warning", "error"];

/**
 * Whether a value is one of the four {@linkcode LEVELS}.
 */
export function isLevel(value: unknown): value is Level {
  return typeof value === "string" && (LEVELS as readonly string[]).includes(value);
}

/** The event name of the end of a stream. */
export const DONE: DoneEvent["event"] = "done";
/** The event name of a gap: entries a reader can no longer get. */
export const MISSED: MissedEvent["event"] = "missed";
/** The event name of a progress update, from `logger.progress()`. */
export const PROGRESS: ProgressEvent["event"] = "progress";
/** Event names `emit()` refuses, because the stream (or `progress()`) uses them itself. */
export const RESERVED_EVENTS: readonly string[] = [DONE, MISSED, PROGRESS];

/**
 * A log line, from `logger.log(message, level)`.
 */
export interface LogEvent {
  /** Always `"log"`. */
  event: "log";
  /** The line's text. */
  message: string;
  /** The line's level. */
  level: Level;
  /** Seconds since the logger was created, taken when `log()` was called. */
  t: number;
}

/**
 * A structured event, from `logger.emit(event, fields)`.
 */
export interface EmittedEvent {
  /** The name given to `emit()`: never `"done"` or `"missed"`. */
  event: string;
  /** Seconds since the logger was created. */
  t: number;
  /** Every field passed to `emit()`. */
  [field: string]: unknown;
}

/**
 * How far a job is, from `logger.progress(done, total, label)`: `done` of
 * `total` (no `total`: how far is unknown, only that it moves), in `label`
 * units. The newest one counts; a job that ends `"ok"` is complete.
 */
export interface ProgressEvent {
  /** Always `"progress"`. */
  event: "progress";
  /** How much is done: a finite number, 0 or more. */
  done: number;
  /** How much there is in all, when known: a finite number above 0. */
  total?: number;
  /** What is counted, e.g. `"pages"`. */
  label?: string;
  /** Seconds since the logger was created, taken when `progress()` was called. */
  t: number;
}

/**
 * Whether an entry's JSON is a progress entry as `logger.progress()` writes
 * it (its first field is `"event":"progress"`), without parsing it.
 */
export function isProgressJson(json: string): boolean {
  return json.startsWith(`{"event":"${PROGRESS}"`);
}

/**
 * How a job ended: `"ok"`, `"error"` (it threw or closed with an error),
 * `"cancelled"` (it stopped on request) or `"lost"` (its writer stopped
 * renewing its lease, e.g. the process died).
 */
export type OutcomeStatus = "ok" | "error" | "cancelled" | "lost";

/** The four ways a job can end, in the order error messages list them. */
export const OUTCOME_STATUSES: readonly OutcomeStatus[] = ["ok", "error", "cancelled", "lost"];

/**
 * Whether a value is one of the four {@linkcode OUTCOME_STATUSES}.
 */
export function isOutcomeStatus(value: unknown): value is OutcomeStatus {
  return (OUTCOME_STATUSES as readonly unknown[]).includes(value);
}

/**
 * How a job ended: as a store keeps it, as the `done` event carries it
 * (`status` is `"ok"` when the event has none) and as a reader sees it.
 */
export interface Outcome {
  /** `"ok"`, `"error"`, `"cancelled"` or `"lost"`. */
  status: OutcomeStatus;
  /** Why, when there is a reason: an error's message, never its stack. */
  message?: string;
}

/**
 * The end of a stream. A `done` without `status` (from an older server, or
 * any backend sending the same events) means `"ok"`.
 */
export interface DoneEvent {
  /** Always `"done"`. */
  event: "done";
  /** How the job ended; absent means `"ok"`. */
  status?: OutcomeStatus;
  /** Why, for `"error"`, `"cancelled"` and `"lost"`: an error's message, never its stack. */
  message?: string;
}

/**
 * A gap: `count` entries before the next one are gone for this reader (it
 * fell behind the store's cap, its retention, or a lost chunk). It always
 * comes before anything that follows the gap.
 */
export interface MissedEvent {
  /** Always `"missed"`. */
  event: "missed";
  /** How many entries are gone. */
  count: number;
}

/**
 * Any event on the wire.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { WireEvent } from "@streamator/core";
 * function isEnd(e: WireEvent): boolean {
 *   return e.event === "done";
 * }
 * assert.equal(isEnd({ event: "done", status: "ok" }), true);
 * assert.equal(isEnd({ event: "missed", count: 2 }), false);
 * ```
 */
export type WireEvent = LogEvent | EmittedEvent | ProgressEvent | DoneEvent | MissedEvent;

/**
 * The JSON body of `GET {prefix}/{jobId}` (polling). A finished job's `logs`
 * end with its `done` event, and `done` is `true`.
 */
export interface Snapshot {
  /** The entries from the cursor on, as logged; a finished job's end with its `done` event. */
  logs: WireEvent[];
  /** Whether the job has ended: nothing will follow. */
  done: boolean;
  /** The id of the next entry: send it back as `?from=` to get only newer entries. */
  next: number;
  /** Entries gone between the cursor and the first one returned, if any. */
  missed?: number;
  /** How the job ended, once `done`. */
  status?: OutcomeStatus;
  /** Why it ended that way, when there is a reason. */
  message?: string;
  /**
   * The newest progress entry the response knows of (from `logs`, or one the
   * store kept when it dropped it with the `missed` entries), so a reader
   * that comes late shows how far the job is at once.
   */
  progress?: ProgressEvent;
}

/**
 * The JSON of a `done` event.
 */
export function doneEventJson(outcome: Omit<DoneEvent, "event"> = {}): string {
  let json = `{"event":"${DONE}"`;
  if (outcome.status !== undefined) json += `,"status":"${outcome.status}"`;
  if (outcome.message !== undefined) json += `,"message":${JSON.stringify(outcome.message)}`;
  return json + "}";
}

/**
 * The JSON of a `missed` event.
 */
export function missedEventJson(count: number): string {
  return `{"event":"${MISSED}","count":${count}}`;
}
