/**
 * The Workers path without Durable Objects, for bench/cloudflare_store.ts:
 * the in-memory store behind `pollingStore` (every 100 ms), as
 * examples/workers.ts serves it. `POST /timed?count=N&delayMs=D` emits N
 * `sent` events D ms apart, each with `at`, the `Date.now()` of its `emit()`,
 * in `ctx.waitUntil()`; `/log/...` are the log routes.
 */
import {
  createLogHandler,
  defaultStore,
  JobLogger,
  type LogHandler,
  pollingStore,
} from "../../mod.ts";

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let logs: LogHandler | undefined;

export default {
  async fetch(request: Request, env: { HEARTBEAT_MS?: string }, ctx: ExecutionContext) {
    const store = pollingStore(defaultStore, { intervalMs: 100 });
    logs ??= createLogHandler({ store, heartbeatMs: Number(env.HEARTBEAT_MS ?? 5_000) });
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === "/timed") {
      const count = Number(url.searchParams.get("count") ?? 10);
      const delayMs = Number(url.searchParams.get("delayMs") ?? 50);
      const logger = new JobLogger({ store });
      ctx.waitUntil((async () => {
        for (let i = 0; i < count; i++) {
          await sleep(delayMs);
          logger.emit("sent", { i, at: Date.now() });
        }
        await logger.close();
      })());
      return Response.json({ log_job_id: logger.jobId });
    }
    return (await logs(request)) ?? new Response("not found", { status: 404 });
  },
};
