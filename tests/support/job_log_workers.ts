/**
 * Test support: the Durable Object store's two Workers in workerd, through
 * miniflare (`tools/serve_job_log_workers.mjs`): `writer`
 * (tests/support/job_log_worker.ts, which defines `JobLogObject` and binds it
 * as `JOB_LOGS`) and `reader` (tests/support/job_log_reader.ts, bound to the
 * same namespace through the writer's script name). `await using` stops them.
 */
import { bundle } from "./bundle.ts";
import { startServerProcess } from "./process_server.ts";
import { nodeBin, ROOT } from "./tools.ts";

/** The two running Workers. */
export interface JobLogWorkers extends AsyncDisposable {
  /** `http://127.0.0.1:PORT` of the Worker that defines the class and runs the jobs. */
  writer: string;
  /** `http://127.0.0.1:PORT` of the second Worker script, which only reads. */
  reader: string;
}

/**
 * Bundles both Workers and starts them, with string `bindings` for both; with
 * `persist`, the objects' storage is kept in that directory across restarts.
 */
export async function startJobLogWorkers(
  bindings: Record<string, string> = {},
  persist?: string,
): Promise<JobLogWorkers> {
  const writer = await bundle("tests/support/job_log_worker.ts", "job_log_worker", "worker");
  const reader = await bundle("tests/support/job_log_reader.ts", "job_log_reader", "worker");
  const server = await startServerProcess({
    command: await nodeBin(),
    args: ["tools/serve_job_log_workers.mjs", writer, reader],
    cwd: ROOT,
    env: { PORT: "0", WORKER_BINDINGS: JSON.stringify(bindings), DO_PERSIST: persist ?? "" },
    ready: /reader http:\/\/127\.0\.0\.1:\d+/,
  });
  const readerUrl = server.output().match(/reader (http:\/\/127\.0\.0\.1:\d+)/)![1];
  return {
    writer: server.url,
    reader: readerUrl,
    [Symbol.asyncDispose]: () => server[Symbol.asyncDispose](),
  };
}

/** Starts a job on the writer Worker (`POST /jobs?...`); resolves to its id. */
export async function startJob(workers: JobLogWorkers, query: string): Promise<string> {
  const response = await fetch(`${workers.writer}/jobs?${query}`, { method: "POST" });
  if (response.status !== 200) {
    throw new Error(`POST /jobs?${query} answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()).log_job_id;
}
