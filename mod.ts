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
 * import assert from "node:assert/strict";
 * import { createLogHandler, JobLogger } from "@streamator/core";
 *
 * const logs = createLogHandler({ prefix: "/log" });
 *
 * const app = {
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
 * // `deno serve`, Bun and Cloudflare Workers serve this object as it is:
 * // make it the module's `export default`.
 *
 * // A browser starts a job, then reads its stream: every entry, then the end.
 * const started = await app.fetch(new Request("http://localhost/start"));
 * const { log_job_id } = await started.json();
 * const stream = await app.fetch(new Request(`http://localhost/log/${log_job_id}/stream`));
 * const body = await stream.text();
 * assert.match(body, /"message":"Starting…"/);
 * assert.match(body, /"event":"done"/);
 * ```
 *
 * @module
 */

export { JobLogger } from "./server/job_logger.ts";
export type { JobLoggerOptions } from "./server/job_logger_options.ts";
export type {
  DoneEvent,
  EmittedEvent,
  Level,
  LogEvent,
  MissedEvent,
  OutcomeStatus,
  ProgressEvent,
  Snapshot,
  WireEvent,
} from "./server/wire.ts";
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
export type { QueuedStore } from "./server/queued_store.ts";
export {
  type Authorize,
  createLogHandler,
  type LogHandler,
  type LogHandlerOptions,
} from "./server/log_handler.ts";
export { makeStreamResponse, type StreamOptions } from "./server/stream_response.ts";
export { makeSnapshotResponse, type SnapshotOptions } from "./server/snapshot_response.ts";
export { type JobRouteOptions, makeResultResponse } from "./server/result_response.ts";
export { makeCancelResponse } from "./server/cancel_response.ts";
export type { JobAction } from "./server/job_routes.ts";
export type { HeaderFields } from "./server/http.ts";
