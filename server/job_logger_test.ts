import assert from "node:assert/strict";
import { JobLogger } from "./job_logger.ts";
import { MemoryStore } from "./memory_store.ts";
import type { Store } from "./store.ts";
import type { StoreName } from "./store_registry.ts";
import { capturingWarnings } from "../tests/support/console.ts";

async function entries(store: MemoryStore, jobId: string) {
  const result = await store.read(jobId, 0);
  assert.ok(result);
  return result.entries.map((json) => JSON.parse(json));
}

Deno.test("log() appends an entry { event: log, message, level, t }, info by default", async () => {
  const store = new MemoryStore();
  const logger = new JobLogger({ store });
  logger.log("Scraping https://example.com");
  logger.log("Done", "success");
  const [first, second] = await entries(store, logger.jobId);
  assert.deepEqual(Object.keys(first), ["event", "message", "level", "t"]);
  assert.equal(first.event, "log");
  assert.equal(first.message, "Scraping https://example.com");
  assert.equal(first.level, "info");
  assert.equal(second.level, "success");
});

Deno.test("t is seconds since creation, rounded to ms, taken at the call", async () => {
  const store = new MemoryStore();
  const logger = new JobLogger({ store });
  logger.log("now");
  await new Promise((resolve) => setTimeout(resolve, 120));
  logger.log("later");
  const [now, later] = await entries(store, logger.jobId);
  assert.ok(now.t >= 0 && now.t < 0.1, `t=${now.t}`);
  assert.ok(later.t >= 0.11 && later.t < 2, `t=${later.t}`);
  assert.equal(later.t, Math.round(later.t * 1000) / 1000);
});

Deno.test("an unknown level is a TypeError naming the allowed levels", () => {
  const logger = new JobLogger({ store: new MemoryStore() });
  assert.throws(
    // @ts-expect-error: a level outside the four
    () => logger.log("x", "debug"),
    (error: unknown) =>
      error instanceof TypeError &&
      error.message.includes('"info", "success", "warning", "error"') &&
      error.message.includes('"debug"'),
  );
});

Deno.test("a non-string message is a TypeError", () => {
  const logger = new JobLogger({ store: new MemoryStore() });
  // @ts-expect-error: not a string
  assert.throws(() => logger.log(42), /message must be a string, got number/);
  // @ts-expect-error: not a string
  assert.throws(() => logger.log({ text: "x" }), TypeError);
});

Deno.test("emit() appends { event, ...fields, t }; the event name and t win", async () => {
  const store = new MemoryStore();
  const logger = new JobLogger({ store });
  logger.emit("scraping", { url: "https://example.com" });
  logger.emit("retry", { attempt: 2, event: "spoofed", t: -1 });
  logger.emit("browser_ready");
  const [scraping, retry, ready] = await entries(store, logger.jobId);
  assert.deepEqual(Object.keys(scraping), ["event", "url", "t"]);
  assert.equal(scraping.url, "https://example.com");
  assert.equal(retry.event, "retry");
  assert.equal(retry.attempt, 2);
  assert.ok(retry.t >= 0);
  assert.deepEqual(Object.keys(ready), ["event", "t"]);
});

Deno.test("emit() refuses bad names and bad fields", () => {
  const logger = new JobLogger({ store: new MemoryStore() });
  assert.throws(() => logger.emit(""), /event must be a non-empty string/);
  // @ts-expect-error: the types refuse a reserved name; this checks the run-time refusal
  assert.throws(() => logger.emit("done"), /"done" is reserved/);
  // @ts-expect-error: the types refuse a reserved name; this checks the run-time refusal
  assert.throws(() => logger.emit("missed"), /"missed" is reserved/);
  // @ts-expect-error: fields must be an object
  assert.throws(() => logger.emit("x", "y"), /fields must be an object, got string/);
  // @ts-expect-error: fields must be an object
  assert.throws(() => logger.emit("x", [1]), /fields must be an object, got an array/);
});

Deno.test("close() is idempotent; log() after it is ignored with one warning", async () => {
  const store = new MemoryStore();
  const logger = new JobLogger({ store });
  logger.log("before");
  const first = logger.close();
  assert.equal(logger.close(), first);
  await first;
  const warnings = await capturingWarnings(() => {
    logger.log("after");
    logger.emit("after");
    logger.log("again", "error");
  });
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0],
    /is closed; log\(\), emit\(\) and progress\(\) after close\(\) are ignored/,
  );
  assert.equal(logger.closed, true);
  const result = await store.read(logger.jobId, 0);
  assert.equal(result?.entries.length, 1);
  assert.equal(result?.done, true);
});

Deno.test("using and await using close the logger, also when the job throws", async () => {
  const store = new MemoryStore();
  let id = "";
  await assert.rejects(async () => {
    await using logger = new JobLogger({ store });
    id = logger.jobId;
    logger.log("working");
    throw new Error("job failed");
  }, /job failed/);
  assert.equal(store.stats(id)?.done, true);

  {
    using logger = new JobLogger({ store });
    id = logger.jobId;
  }
  assert.equal(store.stats(id)?.done, true);
});

Deno.test("jobId is a random UUID unless given; a given one must be well formed", () => {
  const store = new MemoryStore();
  const ids = new Set(Array.from({ length: 1000 }, () => new JobLogger({ store }).jobId));
  assert.equal(ids.size, 1000);
  for (const id of ids) {
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  }
  assert.equal(new JobLogger({ store, jobId: "job_42" }).jobId, "job_42");
  assert.throws(() => new JobLogger({ store, jobId: "../x" }), /options.jobId must be/);
});

Deno.test("startT is the monotonic clock at creation", () => {
  const before = performance.now();
  const logger = new JobLogger({ store: new MemoryStore() });
  assert.ok(logger.startT >= before && logger.startT <= performance.now());
});

Deno.test("the store option: memory by default, a Store, or a clear TypeError", () => {
  assert.doesNotThrow(() => new JobLogger({ store: "memory" }));
  assert.throws(
    () => new JobLogger({ store: "dynamo", table: "t" }),
    /store "dynamo" needs the DynamoDB store: import "@streamator\/core\/dynamo"/,
  );
  assert.throws(
    () => new JobLogger({ store: "redis", url: "redis://127.0.0.1:6379" }),
    /store "redis" needs the Redis store: import "@streamator\/core\/redis"/,
  );
  assert.throws(
    // @ts-expect-error: a name no store registered is a type error too
    () => new JobLogger({ store: "mongo" }),
    /options.store must be "memory", "dynamo"/,
  );
  // @ts-expect-error: not a store
  assert.throws(() => new JobLogger({ store: 3 }), /got number/);
});

Deno.test("a store registered through another copy of the module is found", async () => {
  // Bundlers (Next.js bundles each route on its own) can load the core twice.
  const copy = await import(
    `./store_registry.ts?copy=${Date.now()}`
  ) as typeof import("./store_registry.ts");
  const store = new MemoryStore();
  copy.registerStoreFactory("from-copy", () => store);
  const logger = new JobLogger({ store: "from-copy" as StoreName });
  assert.equal(logger.store, store);
});

Deno.test("close(outcome) is stored; a bad outcome is a TypeError naming the allowed statuses", async () => {
  const store = new MemoryStore();
  const logger = new JobLogger({ store });
  assert.throws(
    // @ts-expect-error: not a status
    () => logger.close({ status: "failed" }),
    /outcome.status must be one of "ok", "error", "cancelled", "lost"; got "failed"/,
  );
  // @ts-expect-error: not a string
  assert.throws(() => logger.close({ status: "error", message: 3 }), /message must be a string/);
  assert.equal(logger.closed, false);
  await logger.close({ status: "error", message: "x".repeat(5_000) });
  const { outcome } = (await store.read(logger.jobId, 0))!;
  assert.equal(outcome?.status, "error");
  assert.equal(outcome?.message?.length, 2_000);
  assert.ok(outcome?.message?.endsWith("…"));
  // The first close decides.
  await logger.close({ status: "ok" });
  assert.equal(logger.outcome?.status, "error");
});

Deno.test("fail() keeps an error's message (never its stack) and describes other thrown values", async () => {
  const store = new MemoryStore();
  const messages = [];
  for (const thrown of [new TypeError("bad input"), "plain text", 42, null, new Error("")]) {
    const logger = new JobLogger({ store });
    await logger.fail(thrown);
    messages.push(logger.outcome?.message);
    assert.equal(logger.outcome?.status, "error");
  }
  assert.deepEqual(messages, ["bad input", "plain text", "42", "null", "Error"]);
});

Deno.test("run() takes a promise already under way, too", async () => {
  const store = new MemoryStore();
  const logger = new JobLogger({ store });
  const work = Promise.reject(new Error("rejected early"));
  assert.deepEqual(await logger.run(work), { status: "error", message: "rejected early" });
  const other = new JobLogger({ store });
  assert.deepEqual(await other.run(Promise.resolve({ n: 1 })), { status: "ok" });
  assert.deepEqual(await store.readResult(other.jobId), { json: '{"n":1}', done: true });
});

Deno.test("signal: aborted by store.cancel with an AbortError; a late cancel changes nothing", async () => {
  const store = new MemoryStore();
  const logger = new JobLogger({ store });
  assert.equal(logger.signal.aborted, false);
  assert.equal(await store.cancel(logger.jobId), true);
  assert.equal(logger.cancelled, true);
  assert.equal((logger.signal.reason as DOMException).name, "AbortError");
  // An AbortError after a cancel is a cancel, not an error.
  await logger.fail(logger.signal.reason);
  assert.deepEqual(logger.outcome, { status: "cancelled" });

  const ended = new JobLogger({ store });
  await ended.close();
  assert.equal(await store.cancel(ended.jobId), true);
  assert.equal(ended.cancelled, false);
  assert.equal((await store.read(ended.jobId, 0))?.outcome?.status, "ok");
  assert.equal(await store.cancel("no-such-job"), false);
});

Deno.test("an error other than the abort, after a cancel, is still an error", async () => {
  const store = new MemoryStore();
  const logger = new JobLogger({ store });
  await store.cancel(logger.jobId);
  await logger.fail(new Error("cleanup failed"));
  assert.deepEqual(logger.outcome, { status: "error", message: "cleanup failed" });
});

Deno.test("close() waits for a result being stored, so readers never see the end first", async () => {
  const inner = new MemoryStore();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  const order: string[] = [];
  const store: Store = {
    create: (jobId) => inner.create(jobId),
    append: (jobId, json) => inner.append(jobId, json),
    read: (jobId, cursor) => inner.read(jobId, cursor),
    wait: (jobId, cursor, signal) => inner.wait(jobId, cursor, signal),
    async setResult(jobId, json) {
      await gate;
      order.push("result");
      return inner.setResult(jobId, json);
    },
    close(jobId, outcome) {
      order.push("close");
      return inner.close(jobId, outcome);
    },
  };
  const logger = new JobLogger({ store });
  const stored = logger.setResult({ big: true });
  const closed = logger.close();
  await Promise.resolve();
  assert.deepEqual(order, []);
  release();
  await Promise.all([stored, closed]);
  assert.deepEqual(order, ["result", "close"]);
});
