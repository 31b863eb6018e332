/**
 * Cloudflare Workers with the Durable Object store: each job's log lives in a
 * Durable Object of its own (`JobLogObject`, bound as `JOB_LOGS`), so a job
 * started by one request is streamed live to readers whose requests land on
 * any isolate, in any location, or on another Worker bound to the same
 * namespace.
 *
 * The job runs in the request that started it, kept going after the response
 * by `ctx.waitUntil()`; its entries go to the job's object in batches. The
 * handler here hands each stream request to the job's object, which serves
 * the stream itself: each batch it stores wakes the job's streams there, so
 * entries arrive as they are logged, with no polling.
 */
import { createLogHandler, JobLogger } from "../mod.ts";
import { durableObjectStore, type JobLogNamespace } from "../cloudflare/mod.ts";
import { startJob } from "./demo_job.ts";

// The Durable Object class, exported by name as wrangler.toml binds it.
export { JobLogObject } from "../cloudflare/mod.ts";

interface Env {
  JOB_LOGS: JobLogNamespace;
  HEARTBEAT_MS?: string;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const store = durableObjectStore(env.JOB_LOGS);
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/jobs") {
      let logger: JobLogger | undefined;
      const job = startJob(request, () => logger = new JobLogger({ store }));
      ctx.waitUntil(job.finished);
      // The job's object has the job before its id goes out: no reader gets a 404 for it.
      await logger?.flush();
      return job.response;
    }
    const logs = createLogHandler({
      prefix: "/log",
      store,
      heartbeatMs: Number(env.HEARTBEAT_MS ?? 5_000),
    });
    return (await logs(request)) ?? new Response("not found", { status: 404 });
  },
};

/** The part of the Workers `ExecutionContext` used here. */
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
