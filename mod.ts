/**
 * Streamator: the live log of a long-running job, from the server to the
 * browser.
 *
 * A job creates a {@linkcode JobLogger} and calls `log(message, level)` and
 * `close()`. Entries go to a store ({@linkcode MemoryStore} by default) and
 * reach browsers over Server-Sent Events or polling through
 * {@linkcode createLogHandler}, a Web-standard `Request → Response` handler
 * that runs unchanged on Deno, Bun, Cloudflare Workers and Node. The browser
 * side lives in `@streamator/core/react`.
 *
 * This module imports no dependency.
 *
 * @example
 * ```ts
 * import { createLogHandler, JobLogger } from "@streamator/core";
 *
 * const logs = createLogHandler({ prefix: "/log" });
 *
 * // `deno serve`, Bun and Cloudflare Workers serve this object as it is.
 * export default {
 *   async fetch(request: Request): Promise<Response> {
 *     if (new URL(request.url).pathname === "/start") {
 *       const logger = new JobLogger();
 *       logger.run(async (log) => {
 *         log.log("Starting…");
 *         log.log("Done", "success");
 *       });
 *       return Response.json({ log_job_id: logger.jobId });
 *     }
 *     return (await logs(request)) ?? new Response("not found", { status: 404 });
 *   },
 * };
 * ```
 *
 * @module
 */

export { JobLogger } from "./server/job_logger.ts";
export type { JobLoggerOptions } from "./server/job_logger_options.ts";
export {
  DONE,
  type DoneEvent,
  doneEventJson,
  type EmittedEvent,
  isLevel,
  isOutcomeStatus,
  isProgressJson,
  type Level,
  LEVELS,
  type LogEvent,
  MISSED,
  type MissedEvent,
  missedEventJson,
  OUTCOME_STATUSES,
  type OutcomeStatus,
  PROGRESS,
  type ProgressEvent,
  RESERVED_EVENTS,
  type Snapshot,
  type WireEvent,
} from "./server/wire.ts";
export { isJobId, newJobId } from "./server/job_id.ts";
export type { Outcome, ReadResult, ResultRead, Store } from "./server/store.ts";
export { type JobStats, MemoryStore, type MemoryStoreOptions } from "./server/memory_store.ts";
export { defaultStore } from "./server/default_store.ts";
export { pollingStore, type PollingStoreOptions } from "./server/polling_store.ts";
export {
  type NamedStoreOptions,
  registerStoreFactory,
  type StoreFactory,
  type StoreName,
  type StoreNames,
} from "./server/store_registry.ts";
export {
  type Authorize,
  createLogHandler,
  type LogHandler,
  type LogHandlerOptions,
} from "./server/log_handler.ts";
export { DONE_EVENT, makeStreamResponse, type StreamOptions } from "./server/stream_response.ts";
export { makeSnapshotResponse, type SnapshotOptions } from "./server/snapshot_response.ts";
export { type JobRouteOptions, makeResultResponse } from "./server/result_response.ts";
export { makeCancelResponse } from "./server/cancel_response.ts";
export type { JobAction } from "./server/job_routes.ts";
export { sseComment, sseEvent, sseRetry } from "./server/sse.ts";
export type { HeaderFields } from "./server/http.ts";
export { safeJson } from "./server/safe_json.ts";
