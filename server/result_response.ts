import {
  errorResponse,
  type HeaderFields,
  jsonResponse,
  toHeaders,
  unavailableResponse,
} from "./http.ts";
import { defaultStore } from "./default_store.ts";
import type { Store } from "./store.ts";

/** Options of {@linkcode makeResultResponse} and {@linkcode makeCancelResponse}. */
export interface JobRouteOptions {
  /** Where the job is; default {@linkcode defaultStore}. */
  store?: Store;
  /** Extra response headers (CORS, for one). */
  headers?: HeaderFields;
}

/**
 * The response of `GET {prefix}/{jobId}/result`: 200 with the result's JSON
 * once the job set one (`logger.setResult`, or the value `logger.run`'s job
 * returned); 202 `{"done":false}` while the job runs without one yet; 204
 * once the job ended without one; 404 for an unknown job; 503 when the store
 * cannot be read; 501 for a store that keeps no results.
 *
 * A result can be read any number of times until the job's retention ends,
 * so a reloaded page reads it again.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JobLogger, makeResultResponse } from "@streamator/core";
 * const logger = new JobLogger();
 * await logger.setResult({ pages: 3 });
 * await logger.close();
 * const response = await makeResultResponse(logger.jobId);
 * assert.deepEqual(await response.json(), { pages: 3 });
 * ```
 */
export async function makeResultResponse(
  jobId: string,
  options: JobRouteOptions = {},
): Promise<Response> {
  const { store = defaultStore, headers } = options;
  if (typeof store.readResult !== "function") {
    return errorResponse(501, "this log store keeps no job results", headers);
  }
  let read;
  try {
    read = await store.readResult(jobId);
  } catch {
    return unavailableResponse(headers);
  }
  if (read === undefined) return errorResponse(404, "unknown job", headers);
  if (read.json !== undefined) return jsonResponse(200, read.json, headers);
  if (!read.done) return jsonResponse(202, '{"done":false}', headers);
  const h = toHeaders(headers);
  h.set("Cache-Control", "no-store");
  return new Response(null, { status: 204, headers: h });
}
