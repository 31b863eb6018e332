import { errorResponse, jsonResponse } from "./http.ts";
import { defaultStore } from "./default_store.ts";
import type { Store } from "./store.ts";
import { doneFields } from "./outcome.ts";

/** Options of {@linkcode makeSnapshotResponse}. */
export interface SnapshotOptions {
  /** Where the job's entries are; default {@linkcode defaultStore}. */
  store?: Store;
  /** The first entry id wanted: pass the previous response's `next`. Default 0. */
  after?: number;
  /** Extra response headers (CORS, for one). */
  headers?: HeadersInit;
}

/**
 * The polling response for a job: a `Snapshot` (see `wire.ts`) of its entries
 * from `after` on. A poller that sends back each response's `next` as
 * `after` downloads every entry once. Answers 404 for an unknown job and
 * 503 when the store cannot be read.
 *
 * @example
 * ```ts
 * import { JobLogger, makeSnapshotResponse } from "@streamator/core";
 * const logger = new JobLogger();
 * logger.log("one");
 * const response = await makeSnapshotResponse(logger.jobId);
 * const { logs, next } = await response.json(); // logs[0].message === "one", next === 1
 * ```
 */
export async function makeSnapshotResponse(
  jobId: string,
  options: SnapshotOptions = {},
): Promise<Response> {
  const { store = defaultStore, after = 0, headers } = options;
  let result;
  try {
    result = await store.read(jobId, after);
  } catch {
    return errorResponse(503, "the log store is unavailable; try again", headers);
  }
  if (result === undefined) return errorResponse(404, "unknown job", headers);
  const missed = result.missed > 0 ? `,"missed":${result.missed}` : "";
  const outcome = result.done ? JSON.stringify(doneFields(result.outcome)).slice(1, -1) : "";
  return jsonResponse(
    200,
    `{"logs":[${result.entries.join(",")}],"done":${result.done},"next":${result.next}${missed}${
      outcome && `,${outcome}`
    }}`,
    headers,
  );
}
