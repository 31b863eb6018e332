/**
 * The Redis store of Streamator: job logs that outlive the process and are
 * streamed from any process, pushed by pub/sub, on `@redis/client`.
 *
 * Importing this module registers the `"redis"` store, so
 * `new JobLogger({ store: "redis", url })` works; or make a
 * {@linkcode RedisStore} yourself for full control (your own client or
 * cluster, key prefix, lease, retention, limits). Give the same store to
 * `createLogHandler` and any process serves the job's stream and snapshot.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLogHandler, JobLogger } from "@streamator/core";
 * import { sharedRedisStore } from "@streamator/core/redis";
 *
 * const url = Deno.env.get("REDIS_URL") ?? "redis://127.0.0.1:6379";
 *
 * // The writer: a worker process.
 * const logger = new JobLogger({ store: "redis", url });
 * logger.log("Starting…");
 * logger.log("Done", "success");
 * await logger.close(); // resolves once every entry is in Redis
 *
 * // The reader: the web process, same Redis.
 * const logs = createLogHandler({ prefix: "/log", store: sharedRedisStore({ url }) });
 * const snapshot = await logs(new Request(`http://localhost/log/${logger.jobId}`));
 * const { logs: entries, done } = await snapshot!.json();
 * assert.deepEqual(entries.map((e: { event: string }) => e.event), ["log", "log", "done"]);
 * assert.equal(done, true);
 * sharedRedisStore({ url }).dispose();
 * ```
 *
 * @module
 */

export { RedisStore } from "./redis_store.ts";
export type { RedisStoreOptions } from "./options.ts";
export type { RedisClientLike } from "./connection.ts";
export { sharedRedisStore, type SharedRedisStoreOptions } from "./register.ts";
export { RedisStoreError } from "./errors.ts";
/** The store contract the Redis store implements (the same types as the core's). */
export type { Outcome, ReadResult, ResultRead, Store } from "../server/store.ts";
export type { OutcomeStatus } from "../server/wire.ts";
