/**
 * The Cloudflare Durable Object store of Streamator: each job's log lives in
 * a Durable Object of its own, in SQLite storage, so a job written in one
 * request (a `waitUntil` job, a Queue consumer, a Workflow step, another
 * Durable Object) is streamed live to readers from any request, isolate or
 * Worker bound to the same namespace. Imports no npm package.
 *
 * Export {@linkcode JobLogObject} from the Worker, bind it (with a
 * `new_sqlite_classes` migration), and give
 * {@linkcode durableObjectStore}`(env.JOB_LOGS)` to `JobLogger` and
 * `createLogHandler`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLogHandler } from "@streamator/core";
 * import { durableObjectStore, type JobLogNamespace } from "@streamator/core/cloudflare";
 * export { JobLogObject } from "@streamator/core/cloudflare";
 *
 * interface Env {
 *   JOB_LOGS: JobLogNamespace;
 * }
 *
 * const worker = {
 *   async fetch(request: Request, env: Env): Promise<Response> {
 *     const logs = createLogHandler({ store: durableObjectStore(env.JOB_LOGS) });
 *     return (await logs(request)) ?? new Response("not found", { status: 404 });
 *   },
 * }; // the module's `export default`
 *
 * // Deployed without the binding (wrangler.toml's [[durable_objects.bindings]]), it says so:
 * await assert.rejects(
 *   worker.fetch(new Request("http://localhost/log/abc/stream"), {} as Env),
 *   { name: "TypeError", message: /env\.JOB_LOGS/ },
 * );
 * ```
 *
 * @module
 */

export { JobLogObject } from "./job_log_object.ts";
export { DurableObjectStore, durableObjectStore } from "./durable_object_store.ts";
export type { DurableObjectStoreOptions } from "./options.ts";
export type {
  JobLogNamespace,
  JobLogState,
  JobLogStorage,
  JobLogStub,
  SqlCursor,
  SqlStorage,
  SqlValue,
} from "./workers_types.ts";
/** The store contract this store implements (the same types as the core's). */
export type { Outcome, ReadResult, ResultRead, Store } from "../server/store.ts";
export type { OutcomeStatus } from "../server/wire.ts";
