/**
 * The job every runtime example starts: `POST /jobs?count=N&delayMs=D` runs a
 * job that logs N lines D ms apart and then closes, and answers
 * `{ "log_job_id": "..." }` at once. The browser (or a test) then reads
 * `GET /log/{log_job_id}/stream`.
 *
 * Stands in for your own long-running work: scraping, an import, a build.
 * It imports nothing: the server hands it a way to make a `JobLogger`
 * (`() => new JobLogger()`), so the same file works with `@streamator/core`
 * on Deno and with `streamator` from npm.
 */

/** The part of a `JobLogger` the demo job uses. */
export interface DemoLogger {
  readonly jobId: string;
  log(message: string, level?: "info" | "success"): void;
  close(): Promise<void>;
}

/** A started job: the response to send, and a promise that settles when the job has ended. */
export interface StartedJob {
  response: Response;
  /** Give it to `ctx.waitUntil()` on Cloudflare Workers; elsewhere it can be ignored. */
  finished: Promise<void>;
}

/**
 * Starts the demo job that `request` (a `POST /jobs?count=N&delayMs=D`) asks
 * for, logging through `newLogger()`; answers 400 with a JSON error for a bad
 * `count` (0 to 10,000) or `delayMs` (0 to 60,000).
 *
 * @example
 * ```ts
 * import { JobLogger } from "@streamator/core";
 * import { startJob } from "./demo_job.ts";
 * const request = new Request("http://x/jobs?count=3", { method: "POST" });
 * const { response } = startJob(request, () => new JobLogger());
 * const { log_job_id } = await response.json();
 * ```
 */
export function startJob(request: Request, newLogger: () => DemoLogger): StartedJob {
  const query = new URL(request.url).searchParams;
  const count = integer(query.get("count"), 3, 10_000);
  const delayMs = integer(query.get("delayMs"), 0, 60_000);
  if (count === undefined || delayMs === undefined) {
    const error = "count must be an integer from 0 to 10000 and delayMs from 0 to 60000";
    return { response: Response.json({ error }, { status: 400 }), finished: Promise.resolve() };
  }
  const logger = newLogger();
  const finished = run(logger, count, delayMs);
  return { response: Response.json({ log_job_id: logger.jobId }), finished };
}

async function run(logger: DemoLogger, count: number, delayMs: number): Promise<void> {
  try {
    for (let i = 1; i <= count; i++) {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      logger.log(`step ${i} of ${count}`, i === count ? "success" : "info");
    }
  } finally {
    await logger.close();
  }
}

function integer(text: string | null, fallback: number, max: number): number | undefined {
  if (text === null) return fallback;
  const value = Number(text);
  return /^\d+$/.test(text) && value <= max ? value : undefined;
}
