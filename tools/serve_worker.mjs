// Runs a bundled module worker in workerd through Miniflare, on 127.0.0.1.
// Usage: node tools/serve_worker.mjs path/to/worker.mjs
// PORT (default 8787, 0 for a free one) and HEARTBEAT_MS (a string binding)
// come from the environment, and WORKER_BINDINGS (a JSON object of more string
// bindings). Prints "Listening on <url>" once ready; stops on SIGTERM or SIGINT.
import { Miniflare } from "miniflare";
import { disposeOnSignal } from "./dispose_on_signal.mjs";

const scriptPath = process.argv[2];
if (!scriptPath) {
  console.error("usage: node tools/serve_worker.mjs path/to/worker.mjs");
  process.exit(2);
}

const bindings = {};
if (process.env.HEARTBEAT_MS) bindings.HEARTBEAT_MS = process.env.HEARTBEAT_MS;
Object.assign(bindings, JSON.parse(process.env.WORKER_BINDINGS ?? "{}"));

const mf = new Miniflare({
  modules: true,
  scriptPath,
  compatibilityDate: "2025-07-18",
  host: "127.0.0.1",
  port: Number(process.env.PORT ?? 8787),
  bindings,
});
const url = await mf.ready;
console.log(`Listening on ${url}`);
disposeOnSignal(mf);
