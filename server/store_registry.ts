import type { Store } from "./store.ts";

/**
 * What `new JobLogger({ store: "<name>", ... })` passes to a registered store
 * factory: the logger's options, minus the ones the logger itself uses.
 */
export interface NamedStoreOptions {
  /** The table (or other location) to write to, for stores that need one. */
  table?: string;
  /** Days until stored entries expire, for stores that expire entries. */
  ttlDays?: number;
  /** Where the store's server is (a `redis://` URL), for stores that need one. */
  url?: string;
}

/**
 * The store names `new JobLogger({ store: name })` accepts, as keys: `"memory"`
 * (built in) and `"dynamo"` (after `import "@streamator/core/dynamo"`). A
 * store registered under another name with {@linkcode registerStoreFactory}
 * adds its name here by declaration merging, so a misspelt name stays a type
 * error.
 */
export interface StoreNames {
  /** The in-memory default store. */
  memory: true;
  /** The DynamoDB store, registered by `import "@streamator/core/dynamo"`. */
  dynamo: true;
  /** The Redis store, registered by `import "@streamator/core/redis"`. */
  redis: true;
}

/**
 * A store name `JobLogger` accepts: a key of {@linkcode StoreNames}.
 */
export type StoreName = keyof StoreNames;

/**
 * Makes (or reuses) a store for `new JobLogger({ store: name, ...options })`.
 */
export type StoreFactory = (options: NamedStoreOptions) => Store;

/** Kept on `globalThis`, like the default store, so that every copy of this module shares it. */
const KEY = Symbol.for("streamator.storeFactories");
const global = globalThis as { [KEY]?: Map<string, StoreFactory> };
const factories: Map<string, StoreFactory> = global[KEY] ??= new Map();

/**
 * Lets `new JobLogger({ store: name })` find a store that lives behind its own
 * subpath. `@streamator/core/dynamo` registers `"dynamo"` when imported, so
 * the core never loads the AWS SDK by itself.
 */
export function registerStoreFactory(name: string, factory: StoreFactory): void {
  if (typeof name !== "string" || name === "" || name === "memory") {
    throw new TypeError(
      `registerStoreFactory: name must be a non-empty string other than "memory"`,
    );
  }
  if (typeof factory !== "function") {
    throw new TypeError("registerStoreFactory: factory must be a function");
  }
  factories.set(name, factory);
}

/** The factory registered for a name, if any. */
export function storeFactory(name: string): StoreFactory | undefined {
  return factories.get(name);
}
