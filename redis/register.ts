import { registerStoreFactory } from "../server/store_registry.ts";
import { RedisStore } from "./redis_store.ts";

/**
 * Options of {@linkcode sharedRedisStore}: the same as `JobLogger`'s for `store: "redis"`.
 *
 * @example
 * ```ts
 * import type { SharedRedisStoreOptions } from "@streamator/core/redis";
 * const options: SharedRedisStoreOptions = { url: "redis://127.0.0.1:6379" };
 * ```
 */
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
 * ```ts ignore
 * import { createLogHandler, JobLogger } from "@streamator/core";
 * import { sharedRedisStore } from "@streamator/core/redis";
 *
 * const logger = new JobLogger({ store: "redis", url: "redis://127.0.0.1:6379" });
 * const logs = createLogHandler({ store: sharedRedisStore({ url: "redis://127.0.0.1:6379" }) });
 * logger.store === sharedRedisStore({ url: "redis://127.0.0.1:6379" }); // true
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
