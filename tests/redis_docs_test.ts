/**
 * docs/redis.md's example, run as it shows: a worker process logs a job to
 * Redis (examples/redis_worker.ts) and a web process (examples/redis_web.ts)
 * streams it to an SSE client.
 */

import assert from "node:assert/strict";
import { startRedis } from "./support/redis.ts";
import { startServerProcess } from "./support/process_server.ts";
import { SseClient } from "./support/sse_client.ts";
import { ROOT } from "./support/tools.ts";

/** The flags the examples' headers show (net narrowed to loopback). */
const FLAGS = ["--allow-net=127.0.0.1", "--allow-env"];

Deno.test("a job in a worker process streams through the web process (docs/redis.md)", async () => {
  await using redis = await startRedis();
  await using web = await startServerProcess({
    command: Deno.execPath(),
    args: ["run", ...FLAGS, "examples/redis_web.ts"],
    cwd: ROOT,
    env: { PORT: "0", REDIS_URL: redis.url },
  });
  const worker = new Deno.Command(Deno.execPath(), {
    args: ["run", ...FLAGS, "examples/redis_worker.ts", "report-42"],
    cwd: ROOT,
    env: { REDIS_URL: redis.url },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    const lines = worker.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    while (!out.includes("\n")) {
      const { done, value } = await lines.read();
      if (done) break;
      out += value;
    }
    assert.equal(out.trim(), "started report-42");
    await using sse = await SseClient.open(`${web.url}/log/report-42/stream`);
    const events = await sse.readToEnd(20, 10_000);
    assert.deepEqual(events.map((e) => e.message ?? e.event), [
      "Starting…",
      "step 1 of 5",
      "step 2 of 5",
      "step 3 of 5",
      "step 4 of 5",
      "step 5 of 5",
      "done",
    ]);
    lines.releaseLock();
    await worker.stdout.cancel().catch(() => {});
    assert.equal((await worker.status).code, 0);
  } finally {
    try {
      worker.kill("SIGKILL");
    } catch { /* exited */ }
    await worker.status;
    await worker.stderr.cancel().catch(() => {});
  }
});
