import { errorResponse, type HeaderFields, jsonResponse, unavailableResponse } from "./http.ts";
import { nonNegativeInteger } from "./number_option.ts";
import { defaultStore } from "./default_store.ts";
import type { Store } from "./store.ts";
import { doneEventJson } from "./wire.ts";
import { doneFields } from "./outcome.ts";
import { newestProgress } from "./progress_snapshot.ts";

/** Options of {@linkcode makeSnapshotResponse}. */
export interface SnapshotOptions {
  /** Where the job's entries are; default {@linkcode defaultStore}. */
  store?: Store;
  /** The first entry id wanted (ids `>= from`): pass the previous response's `next`. Default 0. */
  from?: number;
  /** Entries after this id (ids `> after`), like `Last-Event-ID`. Not with `from`. */
  after?: number;
  /** Extra response headers (CORS, for one). */
  headers?: HeaderFields;
}

/**
 * The polling response for a job: a `Snapshot` (see `wire.ts`) of its entries
 * from `from` on (or after `after`). A poller that sends back each response's
 * `next` as `from` downloads every entry once. A finished job's `logs` end
 * with its `done` event, so a client that only reads `logs` (the `{ logs }`
 * poll format) stops too; `done` is `true` and `status` (and `message`) tell
 * the outcome. `progress` is the job's newest progress entry, when it has
 * one (from `logs`, or kept by the store when it dropped it).
 *
 * Answers 404 for an unknown job, 400 for a cursor past the end of a running
 * job, and 503 when the store cannot be read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JobLogger, makeSnapshotResponse } from "@streamator/core";
 * const logger = new JobLogger();
 * logger.log("one");
 * const response = await makeSnapshotResponse(logger.jobId);
 * const { logs, next } = await response.json();
 * assert.equal(logs[0].message, "one");
 * assert.equal(next, 1);
 * const newer = await makeSnapshotResponse(logger.jobId, { from: next });
 * assert.deepEqual((await newer.json()).logs, []);
 * ```
 */
export async function makeSnapshotResponse(
  jobId: string,
  options: SnapshotOptions = {},
): Promise<Response> {
  const { store = defaultStore, headers } = options;
  const cursor = cursorOf(options);
  let result;
  try {
    result = await store.read(jobId, cursor);
  } catch {
    return unavailableResponse(headers);
  }
  if (result === undefined) return errorResponse(404, "unknown job", headers);
  if (result.next < cursor && !result.done) {
    const given = options.after !== undefined ? `after ${options.after}` : `from ${cursor}`;
    return errorResponse(
      400,
      `${given} is past the end of the job's log; its next entry id is ${result.next}`,
      headers,
    );
  }
  let logs = result.entries.join(",");
  let end = "";
  if (result.done) {
    const fields = doneFields(result.outcome);
    const { status = "ok", message } = fields;
    const done = doneEventJson(fields);
    logs += (logs === "" ? "" : ",") + done;
    end = `,"status":"${status}"${
      message === undefined ? "" : `,"message":${JSON.stringify(message)}`
    }`;
  }
  const missed = result.missed > 0 ? `,"missed":${result.missed}` : "";
  const latest = newestProgress(result);
  const progress = latest === undefined ? "" : `,"progress":${latest}`;
  return jsonResponse(
    200,
    `{"logs":[${logs}],"done":${result.done},"next":${result.next}${missed}${end}${progress}}`,
    headers,
  );
}

function cursorOf(options: SnapshotOptions): number {
  const { from, after } = options;
  if (from !== undefined && after !== undefined) {
    throw new TypeError("makeSnapshotResponse: pass options.from or options.after, not both");
  }
  for (const [name, value] of [["from", from], ["after", after]] as const) {
    if (value !== undefined) nonNegativeInteger(value, `makeSnapshotResponse: options.${name}`);
  }
  return after !== undefined ? after + 1 : from ?? 0;
}
