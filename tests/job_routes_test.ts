/** A whole job over real HTTP: its outcome in the done event and snapshot, and its result. */
import assert from "node:assert/strict";
import { createLogHandler, JobLogger, MemoryStore, type Store } from "../mod.ts";
import { ends, setup } from "./support/log_job.ts";
import { serve } from "./support/serve.ts";

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
