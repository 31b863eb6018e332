/**
 * examples/workers_durable_object.ts, the Workers example on the Durable
 * Object store, passes the conformance suite (tests/conformance/suite.ts) in
 * workerd through miniflare, as every runtime's example does: bundled with
 * esbuild, its `JobLogObject` bound as `JOB_LOGS` with SQLite storage
 * (`tools/serve_job_log_workers.mjs`).
 */
import assert from "node:assert/strict";
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

Deno.test("docs/runtimes.md: the wrangler.toml binds and migrates the class the example exports", async () => {
  const doc = await Deno.readTextFile(`${ROOT}/docs/runtimes.md`);
  const toml = doc.match(/```toml\n([\s\S]*?)\n```/)?.[1];
  assert.ok(toml !== undefined, "no toml block in docs/runtimes.md");
  const example = await Deno.readTextFile(`${ROOT}/examples/workers_durable_object.ts`);
  const className = example.match(/export \{ (\w+) \} from "\.\.\/cloudflare\/mod\.ts"/)?.[1];
  const binding = example.match(/^\s+(\w+): JobLogNamespace;/m)?.[1];
  assert.equal(className, "JobLogObject");
  assert.equal(binding, "JOB_LOGS");
  assert.match(
    toml,
    new RegExp(
      `\\[\\[durable_objects\\.bindings\\]\\]\\nname = "${binding}"\\nclass_name = "${className}"`,
    ),
  );
  assert.match(
    toml,
    new RegExp(`\\[\\[migrations\\]\\]\\ntag = "v1"\\nnew_sqlite_classes = \\["${className}"\\]`),
  );
  // The compatibility date is the one the tests run the Worker with.
  const served = await Deno.readTextFile(`${ROOT}/tools/serve_job_log_workers.mjs`);
  const date = toml.match(/compatibility_date = "([\d-]+)"/)?.[1];
  assert.ok(date !== undefined && served.includes(`compatibilityDate: "${date}"`));
});
