import assert from "node:assert/strict";
import { JobLogger } from "./job_logger.ts";
import { MemoryStore } from "./memory_store.ts";
import { capturingWarnings } from "../tests/support/console.ts";

async function entries(store: MemoryStore, jobId: string) {
  const result = await store.read(jobId, 0);
  assert.ok(result);
  return result.entries.map((json) => JSON.parse(json));
}

Deno.test("log() appends the seed's entry shape, info by default", async () => {
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
  assert.match(warnings[0], /is closed; log\(\) and emit\(\) after close\(\) are ignored/);
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
    () => new JobLogger({ store: "redis" }),
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
  const logger = new JobLogger({ store: "from-copy" });
  assert.equal(logger.store, store);
});
