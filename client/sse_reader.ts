/**
 * Reads an SSE response body (a `fetch()` stream) event by event, in time
 * slices: network chunks are parsed 64 KB at a time, and the main thread is
 * given back every ~8 ms, between two events.
 *
 * @module
 */
import { due, giveBack } from "./next_paint.ts";
import type { SseParser } from "./sse_parser.ts";

/**
 * The most bytes decoded and parsed in one go. A page that fell behind a
 * burst gets megabytes in one read; decoding them whole would hold the main
 * thread far longer than a slice.
 */
const PIECE_BYTES = 64 * 1024;

/**
 * Reads `response`'s body with `parser`, calling `chunk` for each network
 * chunk (even a heartbeat comment: the connection works) and `each` with
 * the data of each event (`parser.id` is then its id). Resolves `true` once
 * `each` returns `true` (the end of the job); `false` when the body ends or
 * `signal` aborts.
 */
export async function readSse(
  response: Response,
  parser: SseParser,
  each: (data: string) => boolean,
  chunk: () => void,
  signal: AbortSignal,
): Promise<boolean> {
  const decoder = new TextDecoder();
  const reader = response.body!.getReader();
  for (let read; !(read = await reader.read()).done && !signal.aborted;) {
    chunk();
    for (let bytes = read.value; bytes.length > 0; bytes = bytes.subarray(PIECE_BYTES)) {
      parser.push(decoder.decode(bytes.subarray(0, PIECE_BYTES), { stream: true }));
      for (let data; (data = parser.next()) !== undefined;) {
        if (each(data)) return true;
        if (due() && await giveBack(signal)) return false;
      }
    }
  }
  return false;
}
