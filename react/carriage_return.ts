/**
 * Carriage returns in log text, as a terminal shows them: a `\r` not
 * followed by `\n` sends the cursor back to the start of the line, so what
 * follows overwrites it. Programs that draw progress (downloads, test
 * runners, package managers) write such lines over and over.
 *
 * @module
 */
import type { LogEntry } from "../client/types.ts";

/** A carriage return that does not end a line (`\r\n` does). */
const BARE_CR = /\r(?!\n)/;

/**
 * What a terminal would show of `text`: of each line, what follows its last
 * carriage return (a `\r` that ends the line counts for nothing). Text
 * without `\r` is returned as it is.
 */
export function lastSegment(text: string): string {
  if (!text.includes("\r")) return text;
  return text.split("\n").map(lineShown).join("\n");
}

/** What a line shows: its last segment with text (a `\r` with nothing after it overwrites nothing yet). */
function lineShown(line: string): string {
  return line.split("\r").filter((segment) => segment !== "").at(-1) ?? "";
}

/**
 * Whether an entry's text redraws its line: it has a `\r` not followed by
 * `\n`.
 */
export function redraws(text: string): boolean {
  return BARE_CR.test(text);
}

/**
 * Makes the rows to show for a log, as it grows: each entry's text as
 * {@linkcode lastSegment} shows it, and, with `redraw`, each run of
 * consecutive entries that redraw a line as one row, the newest. The
 * returned function keeps what it made, so a log that grew (the new array
 * starts with the old one's entries) costs only its new entries. Entries
 * without a carriage return are passed on as they are (the same objects).
 */
export type LineView = (logs: readonly LogEntry[], redraw: boolean) => readonly LogEntry[];

/**
 * A new {@linkcode LineView}, holding the rows of one log.
 */
export function createLineView(): LineView {
  let read = 0;
  let last: LogEntry | undefined;
  let redrawing = false;
  let collapsed = false;
  /** The rows, once they differ from the log (until then, the log itself is shown). */
  let rows: LogEntry[] | undefined;
  return (logs, redraw) => {
    // Another log, or the same one with the other setting: start over.
    if (read > logs.length || logs[read - 1] !== last || redraw !== collapsed) {
      read = 0;
      rows = undefined;
      redrawing = false;
      collapsed = redraw;
    }
    if (read < logs.length) {
      // A new array when rows change, so that what was returned before stays as it was.
      rows &&= rows.slice();
      for (; read < logs.length; read++) {
        const entry = logs[read];
        const hasReturn = entry.text.includes("\r");
        // No carriage return so far: the rows are the log's entries.
        if (rows === undefined && !hasReturn) continue;
        rows ??= logs.slice(0, read);
        const again = hasReturn && redraws(entry.text);
        const row = hasReturn ? { ...entry, text: lastSegment(entry.text) } : entry;
        if (redraw && again && redrawing) rows[rows.length - 1] = row;
        else rows.push(row);
        redrawing = again;
      }
      last = logs[read - 1];
    }
    return rows ?? logs;
  };
}
