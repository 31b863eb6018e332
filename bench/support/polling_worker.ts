/**
 * The Workers path without Durable Objects, for bench/cloudflare_store.ts:
 * the in-memory store behind `pollingStore` (every 100 ms), as
 * examples/workers.ts serves it. `POST /timed?count=N&delayMs=D` emits N
 * `sent` events D ms apart, each with `at`, the `Date.now()` of its `emit()`,
 * in `ctx.waitUntil()`; `/log/...` are the log routes.
 */
import { createLogHandler, defaultStore, type LogHandler, pollingStore } from "../../mod.ts";
import { type ExecutionContext, startTimedJob } from "../../tests/support/timed_job.ts";

let logs: LogHandler | undefined;

export default {
  async fetch(request: Request, env: { HEARTBEAT_MS?: string }, ctx: ExecutionContext) {
    const store = pollingStore(defaultStore, { intervalMs: 100 });
    logs ??= createLogHandler({ store, heartbeatMs: Number(env.HEARTBEAT_MS ?? 5_000) });
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === "/timed") {
      const logger = startTimedJob(url, store, ctx);
      return Response.json({ log_job_id: logger.jobId });
    }
    return (await logs(request)) ?? new Response("not found", { status: 404 });
  },
};
