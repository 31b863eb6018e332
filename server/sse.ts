/**
 * Server-Sent Events framing, as the WHATWG HTML standard reads it. No field
 * can carry a raw CR or LF into the stream: multi-line data becomes several
 * `data:` lines, and an id or comment with a line break is refused or split.
 *
 * Only events end with a blank line. Comments and the `retry:` hint are
 * lines without one, sent between events: they become part of the next
 * event's block, so no block without data ever reaches a client (parsers that
 * fire a message for every blank line would otherwise see empty messages).
 */

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * One event: `data:` lines, then an optional `id:` line, then a blank line.
 * The id comes last so that a client which takes an id as soon as it reads
 * the line (not when the event completes, as the standard says) has not
 * taken it when the connection breaks inside the event's data.
 */
export function sseEvent(data: string, id?: number | string): string {
  let idLine = "";
  if (id !== undefined) {
    const text = String(id);
    if (LINE_BREAK.test(text) || text.includes("\0")) {
      throw new TypeError("sseEvent: id must not contain CR, LF or NUL");
    }
    idLine = `id: ${text}\n`;
  }
  if (!data.includes("\n") && !data.includes("\r")) return `data: ${data}\n${idLine}\n`;
  let frame = "";
  for (const line of data.split(LINE_BREAK)) frame += `data: ${line}\n`;
  return `${frame}${idLine}\n`;
}

/**
 * Comment lines: ignored by clients, they keep idle connections open. No
 * blank line follows, so a comment never completes an event of its own; send
 * it between events.
 */
export function sseComment(text: string): string {
  return text.split(LINE_BREAK).map((line) => `: ${line}\n`).join("");
}

/**
 * The reconnection delay hint, in ms, for the client's `EventSource`: one
 * field line, to send right before an event so that it is part of that
 * event's block (never a block of its own).
 */
export function sseRetry(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) {
    throw new TypeError(`sseRetry: ms must be a non-negative integer, got ${ms}`);
  }
  return `retry: ${ms}\n`;
}
