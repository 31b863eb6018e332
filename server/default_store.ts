import { MemoryStore } from "./memory_store.ts";

/**
 * The store every `JobLogger` and handler uses unless given another one: a
 * {@linkcode MemoryStore} with the default limits.
 *
 * @example
 * ```ts
 * import { defaultStore, JobLogger } from "@streamator/core";
 * const logger = new JobLogger();
 * defaultStore.stats(logger.jobId)?.next; // 0
 * ```
 */
export const defaultStore: MemoryStore = new MemoryStore();
