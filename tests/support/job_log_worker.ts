/**
 * Test support: a Worker on the Durable Object store, for the tests in
 * workerd (tests/cloudflare_store_test.ts) and the benchmark
 * (bench/cloudflare_store.ts). Bundled by `bundle()` and served by
 * `tools/serve_job_log_workers.mjs`.
 *
 * - `POST /jobs?count=N&delayMs=D`: a job logging `entry 1` ... `entry N`,
 *   D ms apart, in `ctx.waitUntil()`. With `&close=0` it stops without
 *   `close()` (its request ends: the object must report it `lost`); with
 *   `&untilCancel=1` it then waits for a cancel (`logger.signal`, at most
 *   20 s) and logs `stopping` (with `&lingerMs=L`, it then waits L ms and logs
 *   `requests N`, the requests its writer sent so far); with `&result=JSON`
 *   it then sets that result.
 *   Answers `{ "log_job_id" }` once the job's object has the job.
 * - `POST /burst?count=N`: logs N entries in a tight loop (with
 *   `&per=P&everyMs=D`: P entries, then a D ms pause, and so on) and closes,
 *   then answers `{ "log_job_id", "requests" }`: the requests the writer sent.
 * - `POST /timed?count=N&delayMs=D`: emits N `sent` events D ms apart,
 *   each with `at`, the `Date.now()` of its `emit()`.
 * - `GET /contract/{name}`: runs that store contract check on a fresh store.
 * - `/raw/{jobId}/{route}`: the request, as it is, to the job's object.
 * - `/log/...`: the log routes.
 *
 * `leaseMs` and `retentionMs` in the query set the store's options (else the
 * string bindings `LEASE_MS` and `RETENTION_MS`); `HEARTBEAT_MS` sets the
 * handler's heartbeat.
 */
import { createLogHandler, JobLogger } from "../../mod.ts";
import {
  type DurableObjectStore,
  durableObjectStore,
  type JobLogNamespace,
} from "../../cloudflare/mod.ts";
import { STORE_CONTRACT } from "./store_checks.ts";
import { rawObjectRoute } from "./raw_object_route.ts";
import { type ExecutionContext, startTimedJob } from "./timed_job.ts";

export { JobLogObject } from "../../cloudflare/mod.ts";

interface Env {
  JOB_LOGS: JobLogNamespace;
  LEASE_MS?: string;
  RETENTION_MS?: string;
  HEARTBEAT_MS?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The store, with `leaseMs` and `retentionMs` from the query, else from the bindings. */
function storeFor(env: Env, query: URLSearchParams) {
  const leaseMs = query.get("leaseMs") ?? env.LEASE_MS;
  const retentionMs = query.get("retentionMs") ?? env.RETENTION_MS;
  return durableObjectStore(env.JOB_LOGS, {
    leaseMs: leaseMs ? Number(leaseMs) : undefined,
    retentionMs: retentionMs ? Number(retentionMs) : undefined,
  });
}

async function runJob(
  logger: JobLogger,
  store: DurableObjectStore,
  query: URLSearchParams,
): Promise<void> {
  const count = Number(query.get("count") ?? 3);
  const delayMs = Number(query.get("delayMs") ?? 0);
  for (let i = 1; i <= count; i++) {
    if (delayMs > 0) await sleep(delayMs);
    logger.log(`entry ${i}`);
  }
  if (query.get("untilCancel") === "1") {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 20_000);
      logger.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    logger.log("stopping", "warning");
    const lingerMs = Number(query.get("lingerMs") ?? 0);
    if (lingerMs > 0) {
      await sleep(lingerMs);
      logger.log(`requests ${store.writeRequests}`);
    }
  }
  const result = query.get("result");
  if (result !== null) await logger.setResult(JSON.parse(result));
  if (query.get("close") === "0") {
    await logger.flush(); // every entry is stored; the request then ends without close()
    return;
  }
  await logger.close();
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    const store = storeFor(env, url.searchParams);
    if (request.method === "POST" && url.pathname === "/jobs") {
      const logger = new JobLogger({ store, jobId: url.searchParams.get("jobId") ?? undefined });
      ctx.waitUntil(runJob(logger, store, url.searchParams));
      await logger.flush(); // the job's object has the job before anyone is told its id
      return Response.json({ log_job_id: logger.jobId });
    }
    if (request.method === "POST" && url.pathname === "/burst") {
      const count = Number(url.searchParams.get("count") ?? 10_000);
      const per = Number(url.searchParams.get("per") ?? count);
      const everyMs = Number(url.searchParams.get("everyMs") ?? 0);
      const logger = new JobLogger({ store });
      for (let i = 1; i <= count; i++) {
        logger.log(`entry ${i}`);
        if (i % per === 0 && everyMs > 0) await sleep(everyMs);
      }
      await logger.close();
      return Response.json({ log_job_id: logger.jobId, requests: store.writeRequests });
    }
    if (request.method === "POST" && url.pathname === "/timed") {
      const logger = startTimedJob(url, store, ctx);
      await logger.flush();
      return Response.json({ log_job_id: logger.jobId });
    }
    const raw = await rawObjectRoute(request, url, env.JOB_LOGS);
    if (raw !== undefined) return raw;
    if (url.pathname.startsWith("/contract/")) {
      const name = decodeURIComponent(url.pathname.slice("/contract/".length));
      const check = STORE_CONTRACT[name];
      if (check === undefined) return new Response(`no check "${name}"`, { status: 404 });
      try {
        await check(store, `contract-${crypto.randomUUID()}`);
        return new Response("ok");
      } catch (error) {
        return new Response(error instanceof Error ? error.message : String(error), {
          status: 500,
        });
      }
    }
    const logs = createLogHandler({
      store,
      heartbeatMs: Number(env.HEARTBEAT_MS ?? 5_000),
    });
    return (await logs(request)) ?? new Response("not found", { status: 404 });
  },
};
