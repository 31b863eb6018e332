/** A whole job over real HTTP: its outcome in the done event and snapshot, its result, cancel. */
import assert from "node:assert/strict";
import {
  type Authorize,
  createLogHandler,
  JobLogger,
  type LogHandlerOptions,
  MemoryStore,
  type Store,
} from "../mod.ts";
import { serve } from "./support/serve.ts";
import { SseClient } from "./support/sse_client.ts";

function setup(options: LogHandlerOptions = {}) {
  const store = options.store ?? new MemoryStore();
  const server = serve(createLogHandler({ ...options, store }));
  const logger = new JobLogger({ store });
  return { store, server, logger };
}

/** The last SSE event and the snapshot of a finished job. */
async function ends(base: string, jobId: string) {
  await using stream = await SseClient.open(`${base}/log/${jobId}/stream`);
  const events = await stream.readToEnd(100, 5_000);
  const snapshot = await (await fetch(`${base}/log/${jobId}`)).json();
  return { done: events.at(-1), snapshot };
}

Deno.test("each outcome reaches the done event and the snapshot; plain ok stays {event: done}", async () => {
  const store = new MemoryStore();
  await using server = serve(createLogHandler({ store }));
  const cases: [(logger: JobLogger) => Promise<unknown>, Record<string, unknown>][] = [
    [(l) => l.close(), {}],
    [(l) => l.close({ status: "ok" }), {}],
    [(l) => l.close({ status: "error", message: "quota exceeded" }), {
      status: "error",
      message: "quota exceeded",
    }],
    [(l) => l.close({ status: "cancelled" }), { status: "cancelled" }],
    [(l) => l.close({ status: "lost", message: "writer gone" }), {
      status: "lost",
      message: "writer gone",
    }],
  ];
  for (const [end, fields] of cases) {
    const logger = new JobLogger({ store });
    logger.log("working");
    await end(logger);
    const { done, snapshot } = await ends(server.url, logger.jobId);
    assert.deepEqual(done, { event: "done", ...fields });
    assert.equal(snapshot.done, true);
    assert.equal(snapshot.status, fields.status ?? "ok");
    assert.deepEqual(snapshot.logs.at(-1), { event: "done", ...fields });
    assert.equal(snapshot.message, fields.message);
    assert.equal(snapshot.logs[0].message, "working");
  }
});

Deno.test("a job that throws ends with status error and the error's message, never its stack", async () => {
  const { server, logger, store } = setup();
  await using _ = server;
  const outcome = await logger.run(async (log) => {
    log.log("about to fail");
    await Promise.resolve();
    throw new RangeError("page 3 is out of range");
  });
  assert.deepEqual(outcome, { status: "error", message: "page 3 is out of range" });
  const { done, snapshot } = await ends(server.url, logger.jobId);
  assert.deepEqual(done, { event: "done", status: "error", message: "page 3 is out of range" });
  assert.doesNotMatch(JSON.stringify(snapshot), /at .*job_routes_test/);

  // Inside `await using`, a catch block records it with fail().
  const other = new JobLogger({ store });
  await assert.rejects(async () => {
    await using log = other;
    try {
      throw new Error("disk full");
    } catch (error) {
      await log.fail(error);
      throw error;
    }
  }, /disk full/);
  assert.deepEqual((await ends(server.url, other.jobId)).done, {
    event: "done",
    status: "error",
    message: "disk full",
  });
});

Deno.test("setResult, then GET result: 202 while running, 200 with the value, readable twice", async () => {
  const { server, logger } = setup();
  await using _ = server;
  const url = `${server.url}/log/${logger.jobId}/result`;
  const pending = await fetch(url);
  assert.equal(pending.status, 202);
  assert.deepEqual(await pending.json(), { done: false });

  const value = { pages: 12, titles: ["Hobbit", "Smaug"], note: "ünïcode ✓", nothing: null };
  await logger.setResult(value);
  await logger.close();
  for (let i = 0; i < 2; i++) {
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
    assert.deepEqual(await response.json(), value);
  }
  const head = await fetch(url, { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), "");
});

Deno.test("the value run()'s job returns is its result; a job without one answers 204", async () => {
  const { server, logger, store } = setup();
  await using _ = server;
  await logger.run(() => Promise.resolve(["a", "b"]));
  assert.deepEqual(await (await fetch(`${server.url}/log/${logger.jobId}/result`)).json(), [
    "a",
    "b",
  ]);
  const empty = new JobLogger({ store });
  await empty.run((log) => log.log("no result"));
  const none = await fetch(`${server.url}/log/${empty.jobId}/result`);
  assert.equal(none.status, 204);
  assert.equal(await none.text(), "");
});

Deno.test("result and cancel of an unknown or malformed job are 404; wrong methods are 405", async () => {
  const { server, logger } = setup();
  await using _ = server;
  for (const path of ["no-such-job/result", "%3Cx%3E/result"]) {
    const response = await fetch(`${server.url}/log/${path}`);
    assert.equal(response.status, 404, path);
    assert.deepEqual(await response.json(), { error: "unknown job" });
  }
  const cancel = await fetch(`${server.url}/log/no-such-job/cancel`, { method: "POST" });
  assert.equal(cancel.status, 404);
  assert.deepEqual(await cancel.json(), { error: "unknown job" });

  const get = await fetch(`${server.url}/log/${logger.jobId}/cancel`);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("allow"), "POST");
  assert.deepEqual(await get.json(), { error: "method not allowed; use POST" });
  const post = await fetch(`${server.url}/log/${logger.jobId}/result`, { method: "POST" });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get("allow"), "GET, HEAD");
  await post.body?.cancel();
  await logger.close();
});

Deno.test("setResult refuses what JSON cannot encode, and comes before close()", async () => {
  const logger = new JobLogger({ store: new MemoryStore() });
  await assert.rejects(logger.setResult(undefined), /value must be JSON, got undefined/);
  await assert.rejects(logger.setResult(10n), /value must be JSON: .*BigInt/i);
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  await assert.rejects(logger.setResult(cycle), /value must be JSON/);
  await logger.close();
  await assert.rejects(logger.setResult(1), /is closed; set the result before close\(\)/);
});

/** A real HTTP server that answers only when released (or after 20 s). */
function slowServer() {
  let arrived!: () => void;
  const started = new Promise<void>((resolve) => arrived = resolve);
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  const server = serve(async () => {
    arrived();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([released, new Promise((resolve) => timer = setTimeout(resolve, 20_000))]);
    clearTimeout(timer);
    return new Response("too late");
  });
  return {
    server,
    started,
    async [Symbol.asyncDispose]() {
      release();
      await server[Symbol.asyncDispose]();
    },
  };
}

Deno.test("POST cancel reaches a job waiting on a slow fetch through logger.signal", async () => {
  const { server, logger } = setup();
  await using _ = server;
  const slow = slowServer();
  await using _slow = slow;
  const running = logger.run(async (log) => {
    log.log("fetching a slow page");
    const response = await fetch(slow.server.url, { signal: log.signal });
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

Deno.test("a store that keeps no results or cannot cancel answers 501; one that fails answers 503", async () => {
  const inner = new MemoryStore();
  // A store with only the required members, as a custom store may be.
  const minimal: Store = {
    create: (jobId) => inner.create(jobId),
    append: (jobId, json) => inner.append(jobId, json),
    close: (jobId, outcome) => inner.close(jobId, outcome),
    read: (jobId, cursor, limit) => inner.read(jobId, cursor, limit),
    wait: (jobId, cursor, signal) => inner.wait(jobId, cursor, signal),
  };
  const failing: Store = {
    ...minimal,
    readResult: () => Promise.reject(new Error("network down")),
    cancel: () => Promise.reject(new Error("network down")),
    read: () => Promise.reject(new Error("network down")),
  };
  const logger = new JobLogger({ store: minimal });
  await assert.rejects(logger.setResult(1), /this store keeps no results/);
  for (
    const [store, status, error] of [
      [minimal, 501, /keeps no job results|cannot cancel jobs/],
      [failing, 503, /the log store is unavailable; try again/],
    ] as const
  ) {
    await using server = serve(createLogHandler({ store }));
    const result = await fetch(`${server.url}/log/${logger.jobId}/result`);
    const cancel = await fetch(`${server.url}/log/${logger.jobId}/cancel`, { method: "POST" });
    for (const response of [result, cancel]) {
      assert.equal(response.status, status);
      assert.match((await response.json()).error, error);
    }
  }
  await logger.close();
});
