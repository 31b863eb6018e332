/**
 * From a sent event to an entry ready to render: the event as sent (an
 * object, a JSON string of one, or plain text), then its text (from
 * `formatEvent`), its time and its level.
 *
 * @module
 */
import { defaultFormatEvent } from "./format_event.ts";
import { formatTime } from "./format_time.ts";
import { type FormatEvent, isLogLevel, type LogEntry, type RawEvent } from "./types.ts";
import { now } from "./next_paint.ts";

/**
 * An event as sent: an object, or a JSON string of one; other non-empty text
 * is a plain message; anything else is `undefined`.
 */
export function toRaw(sent: unknown): RawEvent | undefined {
  let value = sent;
  if (typeof sent === "string") {
    try {
      value = JSON.parse(sent);
    } catch {
      // not JSON: shown as text
    }
  }
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as RawEvent
    : typeof sent === "string" && sent !== ""
    ? { event: "log", message: sent }
    : undefined;
}

// The last time shown: entries of a burst share their tenth of a second, so it is formatted once.
let lastTenths = NaN;
let shown = "";

/**
 * Turns an event into an entry, or `undefined` when `format` drops it. A
 * `format` that throws gives way to the default text. The time is the
 * event's `t`, else the seconds since `openedAt` (a `performance.now()`).
 */
export function toEntry(
  raw: RawEvent,
  openedAt: number,
  format: FormatEvent = defaultFormatEvent,
): LogEntry | undefined {
  let text;
  try {
    text = format(raw);
  } catch {
    text = defaultFormatEvent(raw);
  }
  if (text === null || text === undefined) return;
  const seconds = Number.isFinite(raw.t) ? raw.t! : (now() - openedAt) / 1e3;
  const tenths = Math.round(seconds * 10);
  if (tenths !== lastTenths) shown = formatTime(seconds);
  lastTenths = tenths;
  return {
    text: String(text),
    t: shown,
    seconds,
    level: isLogLevel(raw.level) ? raw.level : raw.event === "missed" ? "warning" : "info",
  };
}
