import assert from "node:assert/strict";
import { createClient } from "@redis/client";
import { JobLogger } from "../mod.ts";
import { RedisStore } from "./mod.ts";
import { startRedis } from "../tests/support/redis.ts";
import { capturingWarnings } from "../tests/support/console.ts";

Deno.test("bad options are TypeErrors naming the option", () => {
  const url = "redis://127.0.0.1:1";
  assert.throws(() => new RedisStore({}), /exactly one of options.url and options.client/);
  assert.throws(() => new RedisStore({ url: "http://x" }), /options.url must be a redis:\/\//);
  assert.throws(() => new RedisStore({ url, leaseMs: 0 }), /options.leaseMs must be a positive/);
  assert.throws(
    () => new RedisStore({ url, maxEntries: 1.5 }),
    /options.maxEntries must be a positive integer/,
  );
  assert.throws(() => new RedisStore({ url, prefix: "a{b}" }), /options.prefix must be a string/);
  assert.throws(
    // @ts-expect-error: not a client
    () => new RedisStore({ client: {} }),
    /options.client must be a client or cluster/,
  );
  assert.throws(() => new JobLogger({ store: "redis" }), /needs options.url/);
});

Deno.test("keys: one hash tag per job, the prefix, an expiry on every key", async () => {
  await using redis = await startRedis();
  using store = new RedisStore({ url: redis.url, prefix: "app:logs:", retentionMs: 60_000 });
  const logger = new JobLogger({ store, jobId: "job-7" });
  logger.log("one");
  await logger.flush();
  assert.deepEqual((await redis.cli("KEYS", "*")).split("\n").sort(), [
    "app:logs:{job-7}:lease",
    "app:logs:{job-7}:log",
    "app:logs:{job-7}:meta",
  ]);
  for (const key of ["log", "meta"]) {
    const ttl = Number(await redis.cli("PTTL", `app:logs:{job-7}:${key}`));
    assert.ok(ttl > 55_000 && ttl <= 60_000, `${key} expires in ${ttl} ms`);
  }
  assert.equal(
    await redis.cli("XRANGE", "app:logs:{job-7}:log", "-", "+", "COUNT", "1").then(
      (text) => text.split("\n")[0],
    ),
    "0-1",
  );
  await logger.close();
  assert.equal(await redis.cli("EXISTS", "app:logs:{job-7}:lease"), "0");
});

Deno.test("a second logger with the same job id is refused, and the first keeps its job", async () => {
  await using redis = await startRedis();
  using first = new RedisStore({ url: redis.url });
  using second = new RedisStore({ url: redis.url });
  const a = new JobLogger({ store: first, jobId: "same" });
  a.log("from a");
  await a.flush();
  const warnings = await capturingWarnings(async () => {
    const b = new JobLogger({ store: second, jobId: "same" });
    b.log("from b");
    await assert.rejects(b.flush(), /job "same" is written by another logger/);
  });
  assert.match(warnings.join("\n"), /job ids must be unique/);
  await a.close();
  const read = await second.read("same", 0);
  assert.deepEqual(read?.entries.map((e) => JSON.parse(e).message), ["from a"]);
});

Deno.test("a reader far behind reads history on its own; trimmed entries are missed", async () => {
  await using redis = await startRedis();
  using writer = new RedisStore({ url: redis.url, maxEntries: 30_000 });
  using reader = new RedisStore({ url: redis.url });
  const logger = new JobLogger({ store: writer });
  for (let i = 0; i < 50_000; i++) logger.log(`entry ${i}`);
  await logger.flush();
  // A live reader at the end, then one from the start.
  const tail = await reader.read(logger.jobId, 49_990);
  assert.deepEqual([tail?.entries.length, tail?.next, tail?.missed], [10, 50_000, 0]);
  const start = await reader.read(logger.jobId, 0, 100);
  assert.deepEqual([start?.missed, start?.entries.length, start?.next], [20_000, 100, 20_100]);
  assert.equal(JSON.parse(start!.entries[0]).message, "entry 20000");
  await logger.close();
  const end = await reader.read(logger.jobId, 50_000);
  assert.deepEqual([end?.done, end?.outcome], [true, { status: "ok" }]);
});

Deno.test("the app's own connected client: the store uses it and never closes it", async () => {
  await using redis = await startRedis();
  const client = await createClient({ url: redis.url }).connect();
  try {
    const store = new RedisStore({ client });
    const logger = new JobLogger({ store });
    logger.log("on the app's client");
    await logger.close();
    assert.equal((await store.read(logger.jobId, 0))?.entries.length, 1);
    store.dispose();
    assert.equal(await client.sendCommand(["PING"]), "PONG");
  } finally {
    client.destroy();
  }
});

Deno.test("while Redis is down the writer keeps at most maxUnstored entries and says so", async () => {
  await using redis = await startRedis();
  const errors: unknown[] = [];
  using store = new RedisStore({
    url: redis.url,
    maxUnstored: 100,
    failAfterMs: 300,
    onError: (error) => errors.push(error),
  });
  const logger = new JobLogger({ store });
  logger.log("before");
  await logger.flush();
  const warnings = await capturingWarnings(async () => {
    await redis.kill();
    for (let i = 0; i < 1_000; i++) logger.log(`during ${i}`);
    // The bound applies once the batch in flight has failed.
    for (let i = 0; i < 250 && store.unstored > 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(store.unstored <= 100, `${store.unstored} unstored`);
    await assert.rejects(logger.flush(), /RedisStore: a write failed/);
    await redis.start();
    await logger.close();
  });
  assert.match(warnings.join("\n"), /entries are kept in memory and retried/);
  assert.match(warnings.join("\n"), /the oldest \d+ are dropped/);
  assert.ok(errors.length > 0);
  // Readers are told what was dropped: ids skip, and the gap is counted as missed.
  using reader = new RedisStore({ url: redis.url });
  const read = await reader.read(logger.jobId, 1);
  assert.ok(read !== undefined);
  assert.ok(read.missed >= 900, `missed ${read.missed}`);
  assert.equal(JSON.parse(read.entries.at(-1)!).message, "during 999");
  assert.equal(read.done, true);
});

Deno.test("a reader catching up through a long job is never held back to the next lease", async () => {
  await using redis = await startRedis();
  // A minute-long lease: a reader stalled until the safety net would time this test out.
  using writer = new RedisStore({ url: redis.url, leaseMs: 60_000 });
  using reader = new RedisStore({ url: redis.url, leaseMs: 60_000 });
  const logger = new JobLogger({ store: writer });
  for (let i = 0; i < 30_000; i++) logger.log(`entry ${i}`);
  await logger.flush();
  let cursor = 0;
  const seen: string[] = [];
  const deadline = Date.now() + 10_000;
  while (cursor < 30_000 && Date.now() < deadline) {
    const result = await reader.read(logger.jobId, cursor, 512);
    assert.ok(result);
    assert.equal(result.missed, 0);
    seen.push(...result.entries);
    cursor = result.next;
    if (result.entries.length === 0) {
      await reader.wait(logger.jobId, cursor, AbortSignal.timeout(10_000));
    }
  }
  assert.equal(seen.length, 30_000);
  assert.equal(JSON.parse(seen[29_999]).message, "entry 29999");
  await logger.close();
});

Deno.test("a writer started while Redis is down says so, keeps its entries and stores them later", async () => {
  await using redis = await startRedis();
  await redis.kill();
  const errors: unknown[] = [];
  using store = new RedisStore({ url: redis.url, onError: (error) => errors.push(error) });
  const logger = new JobLogger({ store });
  const warnings = await capturingWarnings(async () => {
    logger.log("logged while Redis is down");
    for (let i = 0; i < 100 && errors.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  assert.match(warnings.join("\n"), /a write failed .*ECONNREFUSED.* kept in memory and retried/);
  assert.equal(store.unstored, 1);
  await redis.start();
  await capturingWarnings(() => logger.close());
  using reader = new RedisStore({ url: redis.url });
  const read = await reader.read(logger.jobId, 0);
  assert.deepEqual(read?.entries.map((e) => JSON.parse(e).message), ["logged while Redis is down"]);
  assert.equal(read?.done, true);
});

Deno.test("a reader at the tail gets new entries from the message itself, with no read of Redis", async () => {
  await using redis = await startRedis();
  using writer = new RedisStore({ url: redis.url, leaseMs: 60_000 });
  using reader = new RedisStore({ url: redis.url, leaseMs: 60_000 });
  const logger = new JobLogger({ store: writer });
  logger.log("first");
  await logger.flush();
  assert.equal((await reader.read(logger.jobId, 0))?.next, 1);
  let cursor = 1;
  for (let batch = 0; batch < 11; batch++) {
    // Batch 0 lets the feed re-read once after its subscription took effect (as it must).
    if (batch === 1) await redis.cli("CONFIG", "RESETSTAT");
    const waiting = reader.wait(logger.jobId, cursor, AbortSignal.timeout(5_000));
    for (let i = 0; i < 10; i++) logger.log(`batch ${batch} entry ${i}`);
    await waiting;
    const result = await reader.read(logger.jobId, cursor);
    assert.equal(result?.entries.length, 10);
    assert.equal(JSON.parse(result!.entries[9]).message, `batch ${batch} entry 9`);
    cursor = result!.next;
  }
  const stats = await redis.cli("INFO", "commandstats");
  assert.equal(stats.match(/cmdstat_xrange:calls=(\d+)/)?.[1] ?? "0", "0", stats);
  await logger.close();
});
