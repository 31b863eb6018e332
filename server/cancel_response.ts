import { errorResponse, jsonResponse, unavailableResponse } from "./http.ts";
import { defaultStore } from "./default_store.ts";
import { doneFields } from "./outcome.ts";
import type { JobRouteOptions } from "./result_response.ts";

/**
 * The response of `POST {prefix}/{jobId}/cancel`: asks the job to stop. 202
 * `{"cancelling":true}` once the request is recorded for a running job (its
 * `logger.signal` aborts; it ends with `"status":"cancelled"`); 200
 * `{"done":true,"status":...}` when the job had already ended, which changes
 * nothing; 404 for an unknown job; 503 when the store cannot be reached; 501
 * for a store that cannot cancel. Sending it twice is harmless.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JobLogger, makeCancelResponse } from "@streamator/core";
 * const logger = new JobLogger();
 * const response = await makeCancelResponse(logger.jobId);
 * assert.equal(response.status, 202);
 * assert.equal(logger.cancelled, true);
 * await logger.close(); // ends "cancelled"
 * ```
 */
export async function makeCancelResponse(
  jobId: string,
  options: JobRouteOptions = {},
): Promise<Response> {
  const { store = defaultStore, headers } = options;
  if (typeof store.cancel !== "function") {
    return errorResponse(501, "this log store cannot cancel jobs", headers);
  }
  try {
    // Past any entry: only whether the job exists, has ended, and how.
    const state = await store.read(jobId, Number.MAX_SAFE_INTEGER, 0);
    if (state === undefined) return errorResponse(404, "unknown job", headers);
    if (state.done) {
      const { status = "ok", message } = doneFields(state.outcome);
      return jsonResponse(200, JSON.stringify({ done: true, status, message }), headers);
    }
    if (!(await store.cancel(jobId))) return errorResponse(404, "unknown job", headers);
  } catch {
    return unavailableResponse(headers);
  }
  return jsonResponse(202, '{"cancelling":true}', headers);
}
