/** The newest progress entry a read knows of, for the snapshot's `progress` field. */
import type { ReadResult } from "./store.ts";
import { isProgressJson } from "./wire.ts";

/**
 * The JSON of the newest progress entry among a read's entries, else the one
 * the store kept from the missed entries (`ReadResult.progress`), else
 * `undefined`.
 */
export function newestProgress(result: ReadResult): string | undefined {
  const { entries } = result;
  for (let i = entries.length - 1; i >= 0; i--) {
    if (isProgressJson(entries[i])) return entries[i];
  }
  return typeof result.progress === "string" && isProgressJson(result.progress)
    ? result.progress
    : undefined;
}
