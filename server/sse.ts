/**
 * Server-Sent Events framing, as the WHATWG HTML standard reads it. No field
 * can carry a raw CR or LF into the stream: multi-line data becomes several
 * `data:` lines, and an id or comment with a line break is refused or split.
 */

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * One event: an optional `id:` line, then `data:` lines, then a blank line.
 *
 * @example
 * ```ts
 * import { sseEvent } from "@streamator/core";
 * sseEvent('{"event":"log"}', 3); // 'id: 3\ndata: {"event":"log"}\n\n'
 * sseEvent("a\nb"); // 'data: a\ndata: b\n\n'
 * ```
 */
export function sseEvent(data: string, id?: number | string): string {
  let frame = "";
  if (id !== undefined) {
    const text = String(id);
    if (LINE_BREAK.test(text) || text.includes("\0")) {
      throw new TypeError("sseEvent: id must not contain CR, LF or NUL");
    }
    frame = `id: ${text}\n`;
  }
  if (!data.includes("\n") && !data.includes("\r")) return `${frame}data: ${data}\n\n`;
  for (const line of data.split(LINE_BREAK)) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

/**
 * A comment: ignored by clients, it keeps idle connections open.
 *
 * @example
 * ```ts
 * import { sseComment } from "@streamator/core";
 * sseComment("ping"); // ': ping\n\n'
 * ```
 */
export function sseComment(text: string): string {
  return text.split(LINE_BREAK).map((line) => `: ${line}\n`).join("") + "\n";
}

/**
 * The reconnection delay hint, in ms, for the client's `EventSource`.
 *
 * @example
 * ```ts
 * import { sseRetry } from "@streamator/core";
 * sseRetry(1000); // 'retry: 1000\n\n'
 * ```
 */
export function sseRetry(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) {
    throw new TypeError(`sseRetry: ms must be a non-negative integer, got ${ms}`);
  }
  return `retry: ${ms}\n\n`;
}
