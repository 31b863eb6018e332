/**
 * examples/workers_durable_object.ts, the Workers example on the Durable
 * Object store, passes the conformance suite (tests/conformance/suite.ts) in
 * workerd through miniflare, as every runtime's example does: bundled with
 * esbuild, its `JobLogObject` bound as `JOB_LOGS` with SQLite storage
 * (`tools/serve_job_log_workers.mjs`).
 */
import { bundle } from "./support/bundle.ts";
import { startServerProcess } from "./support/process_server.ts";
import { nodeBin, ROOT } from "./support/tools.ts";
import { runChecks } from "./conformance/suite.ts";

const HEARTBEAT_MS = 100;

Deno.test("conformance: Cloudflare workerd, Durable Object store (examples/workers_durable_object.ts)", async (t) => {
  const script = await bundle("examples/workers_durable_object.ts", "workers_do", "worker");
  await using server = await startServerProcess({
    command: await nodeBin(),
    args: ["tools/serve_job_log_workers.mjs", script],
    cwd: ROOT,
    env: {
      PORT: "0",
      WORKER_BINDINGS: JSON.stringify({ HEARTBEAT_MS: String(HEARTBEAT_MS) }),
    },
  });
  await runChecks(t, { url: server.url, heartbeatMs: HEARTBEAT_MS });
});
