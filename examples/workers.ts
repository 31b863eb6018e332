/**
 * Cloudflare Workers: a module worker, `export default { fetch }`.
 *
 * A Worker runs no timer outside a request, so the job runs inside the request
 * that started it, kept going after the response by `ctx.waitUntil()`. A
 * stream is served by another request, which must not be woken by the job's
 * request: `pollingStore` makes each stream check the store on its own timer.
 *
 * The in-memory store lives in one isolate: a stream request that lands on
 * another isolate does not see the job. That holds for `wrangler dev` and a
 * demo, not for production: use the DynamoDB store there.
 */
import {
  createLogHandler,
  defaultStore,
  JobLogger,
  type LogHandler,
  pollingStore,
} from "../mod.ts";
import { startJob } from "./demo_job.ts";

interface Env {
  HEARTBEAT_MS?: string;
}

let logs: LogHandler | undefined;

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    logs ??= createLogHandler({
      prefix: "/log",
      store: pollingStore(defaultStore, { intervalMs: 100 }),
      heartbeatMs: Number(env.HEARTBEAT_MS ?? 5_000),
    });
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/jobs") {
      const job = startJob(request, () => new JobLogger());
      ctx.waitUntil(job.finished);
      return job.response;
    }
    return (await logs(request)) ?? new Response("not found", { status: 404 });
  },
};

/** The part of the Workers `ExecutionContext` used here. */
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
