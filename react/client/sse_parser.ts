/**
 * A pull parser for the `text/event-stream` format, following the WHATWG
 * rules: `data` over several lines, `id` (ignored when it holds a NUL),
 * `retry`, comments, CR / LF / CRLF line ends (a CRLF may be split across
 * chunks), and fields split across network chunks. (A leading BOM is
 * removed before, by `TextDecoder`, as it decodes the bytes.) An event
 * with empty data is not dispatched; a named event (`event: x`) is skipped,
 * as `EventSource.onmessage` would.
 *
 * It is pulled one event at a time, so the reader can stop between events
 * and give the main thread back.
 *
 * @module
 */

/** One dispatched event: its data and the last event id at that point. */
export interface SseEvent {
  /** The event's data lines joined with `"\n"`. */
  data: string;
  /** The last event id seen so far on this stream (`""` for none). */
  id: string;
}

/** An event-stream parser: `push` text as it arrives, `next` pulls events out. */
export interface SseParser {
  /** Adds decoded text from the network. */
  push(text: string): void;
  /** The next complete event, or `undefined` until more text arrives. */
  next(): SseEvent | undefined;
  /** The last event id of a complete event (the one to resume from). */
  id: string;
  /** The last valid `retry:` value in ms, if the server sent one. */
  retry?: number;
}

/**
 * Creates a parser. `id` starts the last event id (a resumed stream).
 *
 * @example
 * ```ts
 * import { createSseParser } from "./sse_parser.ts";
 * const parser = createSseParser();
 * parser.push("id: 1\ndata: {\"message\":\"hi\"}\n\n");
 * parser.next(); // { data: '{"message":"hi"}', id: "1" }
 * ```
 */
export function createSseParser(id = ""): SseParser {
  let buf = "";
  let pos = 0;
  let nextId = id;
  // undefined: no data line in this event yet.
  let data: string | undefined;
  let type = "";
  let cr: unknown;
  const parser: SseParser = {
    id,
    push(text) {
      // CR and CRLF become LF; a CR at the end may be the first half of a CRLF.
      if (cr && text[0] == "\n") text = text.slice(1);
      else if (!text) return;
      cr = text.endsWith("\r");
      buf = buf.slice(pos) + text.replace(/\r\n?/g, "\n");
      pos = 0;
    },
    next() {
      for (let end; (end = buf.indexOf("\n", pos)) >= 0;) {
        const line = buf.slice(pos, end);
        const colon = line.indexOf(":");
        const name = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(line[colon + 1] == " " ? colon + 2 : colon + 1);
        pos = end + 1;
        if (!line) {
          const event = data != null && (!type || type == "message") && { data, id: nextId };
          parser.id = nextId;
          data = undefined;
          type = "";
          if (event) return event;
        } else if (name == "data") data = data == null ? value : data + "\n" + value;
        else if (name == "id") nextId = value.includes("\0") ? nextId : value;
        else if (name == "retry") parser.retry = /^\d+$/.test(value) ? +value : parser.retry;
        else if (name == "event") type = value;
        // A line starting with ":" (empty name) is a comment.
      }
    },
  };
  return parser;
}
