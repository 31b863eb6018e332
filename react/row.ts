/** What every log row shows the same way, in LogPanel, LogViewer and custom rows: its class and its time. */
import type { LogEntry, LogLevel } from "../client/types.ts";

/**
 * The class of a row of this level: `"streamator-log-entry"`, plus
 * `streamator-log-entry--success|warning|error` (info has no modifier), which
 * log.css colours. A custom row (`renderEntry`) that uses it keeps the colours.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { entryClassName } from "@streamator/core/react";
 * assert.equal(entryClassName("error"), "streamator-log-entry streamator-log-entry--error");
 * assert.equal(entryClassName("info"), "streamator-log-entry");
 * ```
 */
export function entryClassName(level: LogLevel): string {
  return level === "info"
    ? "streamator-log-entry"
    : `streamator-log-entry streamator-log-entry--${level}`;
}

/** The time a row shows: `formatTime(entry.seconds)` when both are there, else `entry.t`. */
export function entryTime(entry: LogEntry, formatTime?: (seconds: number) => string): string {
  return formatTime !== undefined && entry.seconds !== undefined
    ? formatTime(entry.seconds)
    : entry.t;
}
