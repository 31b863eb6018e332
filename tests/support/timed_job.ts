/**
 * Test and bench support: the timed job the Workers latency measures start
 * on `POST /timed?count=N&delayMs=D` (tests/support/job_log_worker.ts for the
 * Durable Object store, bench/support/polling_worker.ts for `pollingStore`):
 * N `sent` events D ms apart, each with `at`, the `Date.now()` of its
 * `emit()`, run in `ctx.waitUntil()`.
 */
import { JobLogger, type Store } from "../../mod.ts";

/** The part of a Worker's execution context the job needs. */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** Starts the timed job in `store`; returns its logger at once. */
export function startTimedJob(url: URL, store: Store, ctx: ExecutionContext): JobLogger {
  const count = Number(url.searchParams.get("count") ?? 10);
  const delayMs = Number(url.searchParams.get("delayMs") ?? 50);
  const logger = new JobLogger({ store });
  ctx.waitUntil((async () => {
    for (let i = 0; i < count; i++) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      logger.emit("sent", { i, at: Date.now() });
    }
    await logger.close();
  })());
  return logger;
}
