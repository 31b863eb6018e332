import type { Store } from "./store.ts";
import { sleep } from "./sleep.ts";
import { positiveNumber } from "./number_option.ts";

/** Options of {@linkcode pollingStore}. */
export interface PollingStoreOptions {
  /** How often a waiting reader checks the store, in ms. Default 250. */
  intervalMs?: number;
}

/**
 * The same store, except that a waiting stream checks it on a timer of its own
 * instead of being woken by the writer.
 *
 * Use it on Cloudflare Workers with a {@linkcode MemoryStore}: there a job
 * runs in the request that started it (kept alive by `ctx.waitUntil`), and a
 * wake-up sent from that request to a stream being served by another request
 * is a cross-request promise resolution, which workerd does not deliver
 * reliably (the stream stalls and is cancelled as hung). Polling keeps every
 * timer and promise of a stream inside its own request.
 *
 * @example Workers
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLogHandler, defaultStore, JobLogger, pollingStore } from "@streamator/core";
 * const logs = createLogHandler({ store: pollingStore(defaultStore, { intervalMs: 250 }) });
 *
 * const logger = new JobLogger();
 * logger.log("hello");
 * await logger.close();
 * const response = await logs(new Request(`http://localhost/log/${logger.jobId}/stream`));
 * assert.match(await response!.text(), /"message":"hello"/);
 * ```
 */
export function pollingStore(store: Store, options: PollingStoreOptions = {}): Store {
  const { intervalMs = 250 } = options;
  positiveNumber(intervalMs, "pollingStore: options.intervalMs");
  return {
    create: (jobId) => store.create(jobId),
    append: (jobId, json) => store.append(jobId, json),
    close: (jobId, outcome) => store.close(jobId, outcome),
    flush: (jobId) => store.flush?.(jobId) ?? Promise.resolve(),
    read: (jobId, cursor, limit) => store.read(jobId, cursor, limit),
    async wait(jobId, cursor, signal) {
      while (!signal.aborted) {
        const result = await store.read(jobId, cursor, 1);
        if (result === undefined || result.done || result.entries.length > 0) return;
        if (result.missed > 0) return;
        await sleep(intervalMs, signal);
      }
    },
  };
}
