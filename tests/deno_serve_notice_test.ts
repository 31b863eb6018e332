/**
 * On Deno's own server the handler does not read `request.signal`: Deno
 * prints no legacy-abort notice, and a client that leaves still stops its
 * stream at once (Deno cancels the response body), leaving no store waiter.
 */
import assert from "node:assert/strict";
import { createLogHandler, JobLogger, MemoryStore } from "../mod.ts";
import { startServerProcess } from "./support/process_server.ts";
import { SseClient } from "./support/sse_client.ts";
import { ROOT } from "./support/tools.ts";

const NOTICE = /legacy behavior|request\.signal aborts/;

Deno.test("examples/deno_serve.ts streams a job and a client that leaves, and Deno prints no notice", async () => {
  await using server = await startServerProcess({
    command: Deno.execPath(),
    args: ["run", "--allow-net=127.0.0.1", "--allow-env", "examples/deno_serve.ts"],
    cwd: ROOT,
    env: { PORT: "0", NO_COLOR: "1" },
  });
  for (const delayMs of [0, 200]) {
    const started = await fetch(`${server.url}/jobs?count=3&delayMs=${delayMs}`, {
      method: "POST",
    });
    const { log_job_id } = await started.json();
    await using client = await SseClient.open(`${server.url}/log/${log_job_id}/stream`);
    const first = await client.nextEvent(10_000);
    assert.equal(JSON.parse(first!.data).message, "step 1 of 3");
    if (delayMs === 200) continue; // this client leaves mid-job
    const rest = [];
    for (let i = 0; i < 3; i++) rest.push(JSON.parse((await client.nextEvent(10_000))!.data));
    assert.deepEqual(rest.map((e) => e.message ?? e.event), ["step 2 of 3", "step 3 of 3", "done"]);
  }
  // One more request after both streams ended, so the server has closed them.
  await (await fetch(`${server.url}/log/no-such-job`)).body?.cancel();
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.doesNotMatch(server.output(), NOTICE, server.output());
});

Deno.test("Deno.serve: 200 clients that leave mid-stream leave no store waiter", async () => {
  const store = new MemoryStore();
  const logger = new JobLogger({ store });
  logger.log("hello");
  const logs = createLogHandler({ store, heartbeatMs: 60_000 });
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => (await logs(request)) ?? new Response("not found", { status: 404 }),
  );
  const url = `http://127.0.0.1:${server.addr.port}/log/${logger.jobId}/stream`;
  for (let i = 0; i < 200; i++) {
    await using client = await SseClient.open(url);
    assert.equal(JSON.parse((await client.nextEvent(10_000))!.data).message, "hello");
    assert.equal(store.stats(logger.jobId)?.waiting, 1);
  }
  for (let i = 0; i < 1_000 && store.stats(logger.jobId)?.waiting !== 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  assert.equal(store.stats(logger.jobId)?.waiting, 0);
  await logger.close();
});
