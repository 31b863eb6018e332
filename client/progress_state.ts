/**
 * From a progress event (`logger.progress()` on the server) to the stream's
 * `progress` state.
 *
 * @module
 */
import type { RawEvent } from "./types.ts";
import type { Progress } from "./stream_types.ts";

/**
 * The `{ done, total?, label? }` of a progress event, or `undefined` when it
 * has no usable `done` (a finite number, 0 or more). A `total` that is not a
 * number above 0 counts as unknown.
 */
export function toProgress(raw: RawEvent): Progress | undefined {
  const { done, total, label } = raw;
  if (typeof done !== "number" || !Number.isFinite(done) || done < 0) return undefined;
  const progress: Progress = { done };
  if (typeof total === "number" && Number.isFinite(total) && total > 0) progress.total = total;
  if (typeof label === "string") progress.label = label;
  return progress;
}
