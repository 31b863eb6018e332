import { registerStoreFactory } from "../server/store_registry.ts";
import { RedisStore } from "./redis_store.ts";

/** Options of {@linkcode sharedRedisStore}: the same as `JobLogger`'s for `store: "redis"`. */
export interface SharedRedisStoreOptions {
  /** The Redis URL: `redis://`, `rediss://` or `unix://`. */
  url: string;
}

const shared = new Map<string, RedisStore>();

/**
 * The one {@linkcode RedisStore} of this process for a URL: the store behind
 * `new JobLogger({ store: "redis", url })`. Give it to the handler to read
 * the same jobs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLogHandler, JobLogger } from "@streamator/core";
 * import { sharedRedisStore } from "@streamator/core/redis";
 *
 * const url = Deno.env.get("REDIS_URL") ?? "redis://127.0.0.1:6379";
 * const logger = new JobLogger({ store: "redis", url });
 * const store = sharedRedisStore({ url });
 * const logs = createLogHandler({ store });
 * assert.equal(logger.store, store); // one store per URL in a process
 *
 * logger.log("Starting…");
 * await logger.close(); // resolves once every entry is in Redis
 * const snapshot = await logs(new Request(`http://localhost/log/${logger.jobId}`));
 * assert.equal((await snapshot!.json()).logs[0].message, "Starting…");
 * store.dispose();
 * ```
 */
export function sharedRedisStore(options: SharedRedisStoreOptions): RedisStore {
  if (options === null || typeof options !== "object") {
    throw new TypeError('store "redis": options must be an object with { url }');
  }
  let store = shared.get(options.url);
  if (store === undefined || store.disposed) {
    store = new RedisStore({ url: options.url });
    shared.set(options.url, store);
  }
  return store;
}

registerStoreFactory("redis", ({ url }) => {
  if (url === undefined) {
    throw new TypeError('JobLogger: store "redis" needs options.url, the Redis URL');
  }
  return sharedRedisStore({ url });
});
