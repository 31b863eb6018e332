import { defaultStore } from "./default_store.ts";
import { typeName } from "./describe.ts";
import type { Store } from "./store.ts";
import { type NamedStoreOptions, storeFactory, type StoreName } from "./store_registry.ts";

/**
 * Options of {@linkcode JobLogger}: where entries go, and the job's id.
 *
 * `store` is `"memory"` (the default, {@linkcode defaultStore}), a store
 * instance, or the name of a registered store such as `"dynamo"` (after
 * `import "@streamator/core/dynamo"`), which reads `table` and `ttlDays`.
 */
export interface JobLoggerOptions extends NamedStoreOptions {
  /**
   * `"memory"` (default), `"dynamo"`, another registered name (see
   * {@linkcode StoreNames}), or a {@linkcode Store}.
   */
  store?: StoreName | Store;
  /** The job's id; default a random UUID. 1 to 128 of `A-Z a-z 0-9 _ -`. */
  jobId?: string;
}

/** The store a {@linkcode JobLogger}'s options name, or a TypeError naming what is wrong. */
export function resolveStore(options: JobLoggerOptions): Store {
  const { store = "memory" } = options;
  if (store === "memory") return defaultStore;
  if (typeof store === "string") {
    const factory = storeFactory(store);
    if (factory === undefined) {
      throw new TypeError(
        store === "dynamo"
          ? 'JobLogger: store "dynamo" needs the DynamoDB store: import "@streamator/core/dynamo" first'
          : store === "redis"
          ? 'JobLogger: store "redis" needs the Redis store: import "@streamator/core/redis" first'
          : `JobLogger: options.store must be "memory", "dynamo", a registered name or a Store; got "${store}"`,
      );
    }
    return factory({ table: options.table, ttlDays: options.ttlDays, url: options.url });
  }
  if (
    store !== null && typeof store === "object" &&
    typeof store.append === "function" && typeof store.read === "function"
  ) {
    return store;
  }
  throw new TypeError(
    `JobLogger: options.store must be "memory", "dynamo", a registered name or a Store; got ${
      typeName(store)
    }`,
  );
}
