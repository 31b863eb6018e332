import { MemoryStore } from "./memory_store.ts";

/** Where the process-wide default store is kept, so that every copy of this module finds it. */
const KEY = Symbol.for("streamator.defaultStore");

/**
 * The store every `JobLogger` and handler uses unless given another one: a
 * {@linkcode MemoryStore} with the default limits.
 *
 * It is one per process (per isolate on Workers), even when a bundler loads
 * this module more than once: Next.js bundles each route handler on its own,
 * and a job started in one route must be readable from another.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultStore, JobLogger } from "@streamator/core";
 * const logger = new JobLogger();
 * assert.equal(defaultStore.stats(logger.jobId)?.next, 0);
 * ```
 */
export const defaultStore: MemoryStore = shared();

/** The store another copy of this module made, if any (its class is that copy's), else a new one. */
function shared(): MemoryStore {
  const global = globalThis as { [KEY]?: MemoryStore };
  const found = global[KEY];
  if (found !== null && typeof found === "object" && typeof found.read === "function") {
    return found;
  }
  return global[KEY] = new MemoryStore();
}
