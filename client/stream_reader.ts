/**
 * One stream's cursor and its readers' glue: what each attempt asks for
 * (`Last-Event-ID`, or the poll's `?from=`), and how an answer, SSE or
 * poll, becomes events, skipping those read before (a replay after a
 * reconnect).
 *
 * @module
 */
import type { LogStreamOptions } from "./stream_types.ts";
import type { RawEvent } from "./types.ts";
import { toRaw } from "./event_entry.ts";
import { due, giveBack } from "./next_paint.ts";
import { readPoll } from "./poll_reader.ts";
import { send } from "./request.ts";
import { check, dropped } from "./response_check.ts";
import { createSseParser } from "./sse_parser.ts";
import { readSse } from "./sse_reader.ts";

/** What the connect loop asks of a stream's reader. */
export interface StreamReader {
  /** Sends one attempt's request from the cursor; resolves with a readable answer, or throws a `Failure`. */
  ask(options: LogStreamOptions, signal: AbortSignal): Promise<Response>;
  /** Reads an answer to its end; `true` when the job's end came. `heard` is called for each chunk. */
  read(response: Response, signal: AbortSignal, heard: () => void): Promise<boolean>;
  /** The server's reconnect time (SSE's `retry:`), or the default. */
  retry(): number;
  /** Whether the server has shown that it sends heartbeats (`: ping`). */
  heartbeats(): boolean;
}

/**
 * A reader of `url` over SSE (`sse`) or polling, handing each event to
 * `handle` (`true` at the end of the stream) and a poll answer's newest
 * progress to `setProgress`.
 */
export function createStreamReader(
  url: string,
  sse: boolean,
  handle: (raw: RawEvent) => boolean,
  setProgress: (raw: RawEvent) => void,
): StreamReader {
  // Whether an earlier connection brought a heartbeat (this one's parser knows its own).
  let heartbeats = false;
  // The cursor: SSE's parser (its last event id and retry time; unused in poll mode);
  // the highest id read (SSE's numeric ids, the poll's positions); whether poll answers
  // carry `next`.
  let parser = createSseParser();
  let maxId = -1;
  let sendFrom = false;

  /**
   * Handles one event at cursor position `id`, unless it is at or below the
   * highest id read: a replay after a reconnect. (SSE's done and missed
   * events, and events without a numeric id, are always handled.) `true` at
   * the end of the stream.
   */
  const take = (raw: RawEvent | undefined, id: number): boolean => {
    const always = sse && (raw?.event === "done" || raw?.event === "missed" ||
      raw?.event === "progress");
    if (raw !== undefined && (always || Number.isNaN(id) || id > maxId) && handle(raw)) {
      return true;
    }
    if (id > maxId) maxId = id;
    return false;
  };

  /** Reads the SSE stream to its end; `true` when the job's end came. */
  const readStream = async (response: Response, signal: AbortSignal, heard: () => void) => {
    heartbeats ||= parser.heartbeat;
    parser = createSseParser(parser.id, parser.retry);
    try {
      return await readSse(
        response,
        parser,
        (data) => take(toRaw(data), parser.id === "" ? NaN : Number(parser.id)),
        heard,
        signal,
      );
    } catch (thrown) {
      if (signal.aborted) throw thrown;
      throw dropped(url, thrown);
    }
  };

  /** Reads one poll answer; `true` when the job's end came. */
  const readAnswer = async (response: Response, signal: AbortSignal): Promise<boolean> => {
    const { logs, end: last, next, missed, progress: newest } = await readPoll(response, url);
    // The newest progress, which may be among entries this reader missed: before the entries
    // (state only: the entries, not this copy of one, make rows).
    if (newest !== undefined && newest !== null) setProgress(newest as RawEvent);
    const n = logs.length;
    if (Number.isSafeInteger(next)) sendFrom = true;
    // The id of logs[0].
    const first = (sendFrom ? next as number : n) - n;
    if (typeof missed === "number" && missed > 0 && first > maxId) {
      handle({ event: "missed", count: missed });
    }
    // Entries at or below the cursor were read before (a server that replays): take() skips them.
    for (let i = 0; i < n; i++) {
      if (take(toRaw(logs[i]), first + i)) return true;
      if (due() && await giveBack(signal)) return false;
    }
    return last ? handle(last) : false;
  };

  return {
    async ask(options, signal) {
      const target = sendFrom ? `${url}${url.includes("?") ? "&" : "?"}from=${maxId + 1}` : url;
      return check(
        await send(target, options, { signal }, (h) => {
          h.set("Accept", sse ? "text/event-stream" : "application/json");
          if (parser.id !== "") h.set("Last-Event-ID", parser.id);
        }),
        url,
        sse,
      );
    },
    read: sse ? readStream : readAnswer,
    retry: () => parser.retry,
    heartbeats: () => heartbeats || parser.heartbeat,
  };
}
