/**
 * Test support: a second Worker script that only reads, bound to the job log
 * namespace of `job_log_worker.ts` (through its script name): the log routes
 * on `durableObjectStore(env.JOB_LOGS)`.
 */
import { createLogHandler } from "../../mod.ts";
import { durableObjectStore, type JobLogNamespace } from "../../cloudflare/mod.ts";

interface Env {
  JOB_LOGS: JobLogNamespace;
  HEARTBEAT_MS?: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const logs = createLogHandler({
      store: durableObjectStore(env.JOB_LOGS),
      heartbeatMs: Number(env.HEARTBEAT_MS ?? 5_000),
    });
    return (await logs(request)) ?? new Response("not found", { status: 404 });
  },
};
