/** Cancel over real HTTP: reaching the job through logger.signal, authorize actions, CORS for POST. */
import assert from "node:assert/strict";
import type { Authorize } from "../mod.ts";
import { ends, setup } from "./support/log_job.ts";
import { slowServer } from "./support/slow_server.ts";
import { SseClient } from "./support/sse_client.ts";

Deno.test("POST cancel reaches a job waiting on a slow fetch through logger.signal", async () => {
  const { server, logger } = setup();
  await using _ = server;
  const slow = slowServer();
  await using _slow = slow;
  const running = logger.run(async (log) => {
    log.log("fetching a slow page");
    const response = await fetch(slow.url, { signal: log.signal });
    return await response.text();
  });
  await using stream = await SseClient.open(`${server.url}/log/${logger.jobId}/stream`);
  await slow.started;

  const cancel = await fetch(`${server.url}/log/${logger.jobId}/cancel`, { method: "POST" });
  assert.equal(cancel.status, 202);
  assert.deepEqual(await cancel.json(), { cancelling: true });
  assert.deepEqual(await running, { status: "cancelled" });
  assert.equal(logger.cancelled, true);
  const events = await stream.readToEnd(10, 5_000);
  assert.deepEqual(events.map((e) => e.event), ["log", "done"]);
  assert.deepEqual(events.at(-1), { event: "done", status: "cancelled" });
  assert.equal((await fetch(`${server.url}/log/${logger.jobId}/result`)).status, 204);

  // Again, after the end: a no-op that says how the job ended.
  const again = await fetch(`${server.url}/log/${logger.jobId}/cancel`, { method: "POST" });
  assert.equal(again.status, 200);
  assert.deepEqual(await again.json(), { done: true, status: "cancelled" });
});

Deno.test("a loop that checks logger.cancelled stops and ends cancelled; close() maps ok to it", async () => {
  const { server, logger } = setup();
  await using _ = server;
  let steps = 0;
  const running = (async () => {
    await using log = logger;
    for (let i = 0; i < 10_000 && !log.cancelled; i++) {
      steps++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const cancel = await fetch(`${server.url}/log/${logger.jobId}/cancel`, { method: "POST" });
  assert.equal(cancel.status, 202);
  await running;
  assert.ok(steps < 10_000, `${steps} steps`);
  assert.deepEqual(logger.outcome, { status: "cancelled" });
  assert.deepEqual((await ends(server.url, logger.jobId)).done, {
    event: "done",
    status: "cancelled",
  });
});

Deno.test("cancel after a plain end is 200 with status ok, and changes nothing", async () => {
  const { server, logger } = setup();
  await using _ = server;
  await logger.setResult("fine");
  await logger.close();
  const response = await fetch(`${server.url}/log/${logger.jobId}/cancel`, { method: "POST" });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { done: true, status: "ok" });
  assert.deepEqual((await ends(server.url, logger.jobId)).done, { event: "done" });
  assert.equal(await (await fetch(`${server.url}/log/${logger.jobId}/result`)).json(), "fine");
});

Deno.test("authorize: a read-only viewer reads the log and result but cannot cancel", async () => {
  const calls: string[] = [];
  const authorize: Authorize = (request, _jobId, action) => {
    calls.push(action);
    if (request.headers.get("Authorization") === "Bearer owner") return true;
    return action === "read";
  };
  const { server, logger } = setup({ authorize });
  await using _ = server;
  const base = `${server.url}/log/${logger.jobId}`;
  await logger.setResult({ ok: 1 });

  assert.equal((await (await fetch(base)).json()).done, false);
  assert.equal((await fetch(`${base}/result`)).status, 200);
  const refused = await fetch(`${base}/cancel`, { method: "POST" });
  assert.equal(refused.status, 403);
  assert.deepEqual(await refused.json(), { error: "forbidden" });
  assert.equal(logger.cancelled, false);
  assert.deepEqual(calls, ["read", "read", "cancel"]);

  const owner = await fetch(`${base}/cancel`, {
    method: "POST",
    headers: { Authorization: "Bearer owner" },
  });
  assert.equal(owner.status, 202);
  await owner.body?.cancel();
  assert.equal(logger.cancelled, true);
  await logger.close();
});

Deno.test("authorize written for reading only (two arguments) decides cancel alike", async () => {
  const refuseAll = (_request: Request, _jobId: string) => false;
  const { server, logger } = setup({ authorize: refuseAll });
  await using _ = server;
  const base = `${server.url}/log/${logger.jobId}`;
  for (const response of [await fetch(`${base}/result`), await fetch(base)]) {
    assert.equal(response.status, 403);
    await response.body?.cancel();
  }
  const cancel = await fetch(`${base}/cancel`, { method: "POST" });
  assert.equal(cancel.status, 403);
  await cancel.body?.cancel();
  assert.equal(logger.cancelled, false);
  await logger.close();
});

Deno.test("CORS: the preflight for POST cancel allows POST, Authorization and Content-Type", async () => {
  const { server, logger } = setup({ cors: "https://app.example" });
  await using _ = server;
  const base = `${server.url}/log/${logger.jobId}`;
  const preflight = await fetch(`${base}/cancel`, {
    method: "OPTIONS",
    headers: {
      Origin: "https://app.example",
      "Access-Control-Request-Method": "POST",
      "Access-Control-Request-Headers": "authorization, content-type",
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "https://app.example");
  const methods = preflight.headers.get("access-control-allow-methods")!.split(/,\s*/);
  assert.ok(methods.includes("POST"), methods.join());
  const allowed = preflight.headers.get("access-control-allow-headers")!.toLowerCase();
  assert.match(allowed, /authorization/);
  assert.match(allowed, /content-type/);

  const cancel = await fetch(`${base}/cancel`, {
    method: "POST",
    headers: { Origin: "https://app.example", "Content-Type": "application/json" },
    body: "{}",
  });
  assert.equal(cancel.status, 202);
  assert.equal(cancel.headers.get("access-control-allow-origin"), "https://app.example");
  await cancel.body?.cancel();
  const result = await fetch(`${base}/result`, { headers: { Origin: "https://evil.example" } });
  assert.equal(result.headers.get("access-control-allow-origin"), null);
  await result.body?.cancel();
  await logger.close();
});
