/**
 * Test support: a Worker whose jobs are written to the Durable Object store
 * by each kind of writer other than a request's `waitUntil`, for
 * tests/cloudflare_writers_test.ts. Its entry, with the Workflow class, is
 * tests/support/job_writers_entry.mjs; `tools/serve_job_log_workers.mjs` serves it.
 *
 * - `POST /queue?...`: starts the job (logs `queued`, flushed: its object
 *   has it, so no reader gets a 404) and sends it to the queue `JOB_QUEUE`;
 *   its `queue()` consumer writes the rest. Answers `{ "log_job_id" }`.
 * - `POST /object?...`: `JobRunner`, another Durable Object, runs the job and
 *   answers once the job's object has the job; the job goes on there.
 * - `POST /workflow?...`: starts the job as `/queue` does; a Workflow
 *   instance writes the rest in one step.
 * - `/raw/{jobId}/{route}`: the request, as it is, to the job's object.
 * - `/log/...`: the log routes.
 *
 * The job (query parameters): logs `entry 1` ... `entry {count}`, pausing
 * `everyMs` ms after every `per` entries, then `requests N` (the requests its
 * store sent to the job's object so far), and closes. With `fail=error` it
 * throws `disk full` after `failAfter` entries, inside `logger.run()`; with
 * `fail=crash` (queue only) it logs `attempt N` (the message's delivery),
 * `failAfter` entries, flushes, and the consumer throws without closing.
 * With `startAfterMs=D`, the queue consumer waits D ms before it writes.
 * `leaseMs` sets the store's lease.
 */
import { createLogHandler, JobLogger } from "../../mod.ts";
import { rawObjectRoute } from "./raw_object_route.ts";
import {
  type DurableObjectStore,
  durableObjectStore,
  type JobLogNamespace,
  type JobLogState,
} from "../../cloudflare/mod.ts";

export { JobLogObject } from "../../cloudflare/mod.ts";

/** A job's parameters, as the query gives them. */
export type JobParams = Record<string, string>;

interface Env {
  JOB_LOGS: JobLogNamespace;
  JOB_RUNNERS: JobLogNamespace;
  JOB_QUEUE: { send(body: unknown): Promise<void> };
  JOB_FLOW: { create(options: { params: unknown }): Promise<{ id: string }> };
  HEARTBEAT_MS?: string;
}

interface QueueMessage {
  body: unknown;
  attempts: number;
}

/** The step of a Workflow, as far as the job uses it. */
export interface WorkflowStep {
  do<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function storeFor(env: { JOB_LOGS: JobLogNamespace }, params: JobParams): DurableObjectStore {
  return durableObjectStore(env.JOB_LOGS, {
    leaseMs: params.leaseMs ? Number(params.leaseMs) : undefined,
  });
}

/** Logs the job's entries; throws `disk full` after `failAfter` of them with `fail=error`. */
async function logEntries(logger: JobLogger, store: DurableObjectStore, params: JobParams) {
  const count = Number(params.count ?? 3);
  const per = Number(params.per ?? count);
  const everyMs = Number(params.everyMs ?? 0);
  for (let i = 1; i <= count; i++) {
    if (params.fail === "error" && i > Number(params.failAfter)) throw new Error("disk full");
    logger.log(`entry ${i}`);
    if (i % per === 0 && everyMs > 0) await sleep(everyMs);
  }
  logger.log(`requests ${store.writeRequests}`);
}

/** Runs the whole job: resolves once its object has its end; a rejection is printed. */
async function runJob(env: { JOB_LOGS: JobLogNamespace }, params: JobParams): Promise<void> {
  const store = storeFor(env, params);
  const logger = new JobLogger({ store, jobId: params.jobId });
  try {
    await logger.run(() => logEntries(logger, store, params));
  } catch (error) {
    console.error(`run() rejected: ${(error as Error).message}`);
    throw error;
  }
}

/** A job that dies mid-way: its entries are stored, then the consumer throws without close(). */
async function crash(env: Env, params: JobParams, attempt: number): Promise<never> {
  const logger = new JobLogger({ store: storeFor(env, params), jobId: params.jobId });
  logger.log(`attempt ${attempt}`);
  for (let i = 1; i <= Number(params.failAfter); i++) logger.log(`entry ${i}`);
  await logger.flush();
  throw new Error(`the consumer died on attempt ${attempt}`);
}

/** Another Durable Object that runs jobs: each request starts one, which goes on after it. */
export class JobRunner {
  readonly #env: Env;
  readonly #running = new Set<Promise<void>>();

  constructor(_state: JobLogState, env: Env) {
    this.#env = env;
  }

  async fetch(request: Request): Promise<Response> {
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const store = storeFor(this.#env, params);
    const logger = new JobLogger({ store, jobId: params.jobId });
    const job = logger.run(() => logEntries(logger, store, params)).then(() => {});
    this.#running.add(job);
    job.finally(() => this.#running.delete(job));
    await logger.flush(); // the job's object has the job before its id goes out
    return Response.json({ log_job_id: logger.jobId });
  }
}

/** The Workflow's `run`: the job in one step (the class is in job_writers_entry.mjs). */
export async function runWorkflow(
  env: Env,
  event: { payload: JobParams },
  step: WorkflowStep,
): Promise<string> {
  await step.do("log the job", () => runJob(env, event.payload));
  return event.payload.jobId;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const params: JobParams = {
      jobId: crypto.randomUUID(),
      ...Object.fromEntries(url.searchParams),
    };
    if (request.method === "POST" && (url.pathname === "/queue" || url.pathname === "/workflow")) {
      const logger = new JobLogger({ store: storeFor(env, params), jobId: params.jobId });
      logger.log("queued");
      await logger.flush(); // the job's object has the job: readers may come
      if (url.pathname === "/queue") await env.JOB_QUEUE.send(params);
      else await env.JOB_FLOW.create({ params });
      return Response.json({ log_job_id: params.jobId });
    }
    if (request.method === "POST" && url.pathname === "/object") {
      const runner = env.JOB_RUNNERS.get(env.JOB_RUNNERS.idFromName(params.jobId));
      return await runner.fetch(`https://runner/?${new URLSearchParams(params)}`);
    }
    const raw = await rawObjectRoute(request, url, env.JOB_LOGS);
    if (raw !== undefined) return raw;
    const logs = createLogHandler({
      store: durableObjectStore(env.JOB_LOGS),
      heartbeatMs: Number(env.HEARTBEAT_MS ?? 5_000),
    });
    return (await logs(request)) ?? new Response("not found", { status: 404 });
  },

  async queue(batch: { messages: readonly QueueMessage[] }, env: Env): Promise<void> {
    for (const message of batch.messages) {
      const params = message.body as JobParams;
      await sleep(Number(params.startAfterMs ?? 0));
      if (params.fail === "crash") await crash(env, params, message.attempts);
      await runJob(env, params);
    }
  },
};
