/**
 * Cloudflare Workers: jobs run by a Queue consumer, their logs in the Durable
 * Object store. `POST /jobs` starts the job (its object has it before its id
 * goes out) and sends it to the queue; the consumer's `queue()` writes the
 * rest of the job, and readers stream `/log/{id}/stream` from any request.
 */
import { createLogHandler, JobLogger } from "../mod.ts";
import { durableObjectStore, type JobLogNamespace } from "../cloudflare/mod.ts";

export { JobLogObject } from "../cloudflare/mod.ts";

interface Job {
  jobId: string;
  steps: number;
}

interface Env {
  JOB_LOGS: JobLogNamespace;
  JOB_QUEUE: { send(job: Job): Promise<void> };
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    // The consumer must start within leaseMs, or the job ends "lost": allow for a backlog.
    const store = durableObjectStore(env.JOB_LOGS, { leaseMs: 10 * 60_000 });
    if (request.method === "POST" && new URL(request.url).pathname === "/jobs") {
      const logger = new JobLogger({ store });
      logger.log("Queued");
      await logger.flush(); // the job's object has the job: readers may come
      await env.JOB_QUEUE.send({ jobId: logger.jobId, steps: 5 });
      return Response.json({ log_job_id: logger.jobId });
    }
    const logs = createLogHandler({ prefix: "/log", store });
    return (await logs(request)) ?? new Response("not found", { status: 404 });
  },

  async queue(batch: { messages: readonly { body: Job }[] }, env: Env): Promise<void> {
    for (const { body } of batch.messages) {
      // The same job id: this writer's entries follow the ones logged so far.
      const logger = new JobLogger({ store: durableObjectStore(env.JOB_LOGS), jobId: body.jobId });
      // Awaited: the consumer's invocation ends when queue() resolves, and the last batch and
      // the job's end must reach its object first.
      await logger.run(async (log) => {
        for (let step = 1; step <= body.steps; step++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          log.log(`step ${step} of ${body.steps}`, step === body.steps ? "success" : "info");
        }
      });
    }
  },
};
