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
 * and give the main thread back. It notes a `: ping` comment, this
 * project's heartbeat: a server that sends them can be told dead by silence.
 *
 * @module
 */

/** An event-stream parser: `push` text as it arrives, `next` pulls events out. */
export interface SseParser {
  /** Adds decoded text from the network. */
  push(text: string): void;
  /**
   * The data of the next complete event (its lines joined with `"\n"`), or
   * `undefined` until more text arrives. `id` is then that event's id.
   */
  next(): string | undefined;
  /** The last event id as of the last complete event (`""` for none): the one to resume from. */
  id: string;
  /** The time to wait before reconnecting, in ms: the last valid `retry:` value, else the one given. */
  retry: number;
  /** Whether a heartbeat (a `: ping` comment line) has been read. */
  heartbeat: boolean;
}

/** The heartbeat comment a `createLogHandler` stream sends while a job is quiet (`: ping`). */
const HEARTBEAT = "ping";

/**
 * Creates a parser. `id` and `retry` start the last event id and the retry
 * time (default 1 s): those of the previous connection, when a stream
 * resumes.
 */
export function createSseParser(id = "", retry = 1_000): SseParser {
  let buf = "";
  let pos = 0;
  let nextId = id;
  // undefined: no data line in this event yet.
  let data: string | undefined;
  let type = "";
  let cr = false;
  const parser: SseParser = {
    id,
    retry,
    heartbeat: false,
    push(text) {
      // CR and CRLF become LF; a CR at the end may be the first half of a CRLF.
      if (cr && text[0] === "\n") text = text.slice(1);
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
        const value = colon < 0 ? "" : line.slice(line[colon + 1] === " " ? colon + 2 : colon + 1);
        pos = end + 1;
        if (!line) {
          const event = type === "" || type === "message" ? data : undefined;
          parser.id = nextId;
          data = undefined;
          type = "";
          if (event !== undefined) return event;
        } else if (name === "data") data = data === undefined ? value : data + "\n" + value;
        else if (name === "id") nextId = value.includes("\0") ? nextId : value;
        else if (name === "retry") {
          parser.retry = /^\d+$/.test(value) ? Number(value) : parser.retry;
        } else if (name === "event") type = value;
        // A line starting with ":" (empty name) is a comment; "ping" is the heartbeat.
        else if (name === "" && value === HEARTBEAT) parser.heartbeat = true;
      }
    },
  };
  return parser;
}
