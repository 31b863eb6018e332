/** Types shared by the hook, the panel and the formatter. */
import type { Level } from "../server/wire.ts";

/**
 * The level of an entry: `"info" | "success" | "warning" | "error"`.
 */
export type LogLevel = Level;

/**
 * One entry, ready to render: `text` (from `formatEvent`), `t` (`"12.3s"`)
 * and `level`.
 */
export interface LogEntry {
  /** What to show: the result of `formatEvent` for the event. */
  text: string;
  /** The time as text, e.g. `"12.3s"`, `"1:05.2"` or `"2:00:00"` (see `formatTime`). */
  t: string;
  /** The time in seconds: the server's `t`, else seconds since connecting (always set by `useLogStream`). */
  seconds?: number;
  /** The entry's level; `"info"` when the event has none. */
  level: LogLevel;
}

/**
 * An event as it comes from the server: `{ event: "log", message, level, t }`
 * from `logger.log()`, or `{ event: name, ...fields, t }` from `logger.emit()`.
 */
export interface RawEvent {
  /** `"log"` for a log line, else the name given to `emit()`. */
  event?: string;
  /** The log line's text. */
  message?: string;
  /** The log line's level. */
  level?: string;
  /** Seconds since the job's logger was created. */
  t?: number;
  /** Any field passed to `emit()`. */
  [field: string]: unknown;
}

/**
 * Turns a raw event into an entry's text; `null` drops the entry.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FormatEvent } from "@streamator/core/client";
 * // Ticks are no rows; every other event shows its message.
 * const formatEvent: FormatEvent = (e) => e.event === "tick" ? null : String(e.message ?? "");
 * assert.equal(formatEvent({ event: "tick" }), null);
 * assert.equal(formatEvent({ event: "log", message: "hi" }), "hi");
 * ```
 */
export type FormatEvent = (raw: RawEvent) => string | null | undefined;

/** Whether a value is one of the four levels. */
export function isLogLevel(value: unknown): value is LogLevel {
  return value === "info" || value === "success" || value === "warning" || value === "error";
}
