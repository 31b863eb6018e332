/**
 * Redis itself fails under a running job: the server is SIGKILLed for
 * longer than the writer's lease (so the lease key has expired when Redis
 * comes back: the same situation as the 10 s of a real outage, in 3 s with
 * `leaseMs` 600), then restarted; and the store's pub/sub connection is
 * killed from the server side.
 */

import assert from "node:assert/strict";
import { createLogHandler } from "../mod.ts";
import { RedisStore } from "../redis/mod.ts";
import { type RedisServer, startRedis } from "./support/redis.ts";
import { spawnRedisWriter } from "./support/redis_writer.ts";
import { serve } from "./support/serve.ts";
import { SseClient } from "./support/sse_client.ts";

const LEASE_MS = 600;
const OUTAGE_MS = 3_000;

type Event = Record<string, unknown>;

/** Polls `?from=` until done, through failed requests: every entry it got, then done. */
async function poll(url: string): Promise<Event[]> {
  const events: Event[] = [];
  let from = 0;
  for (let i = 0; i < 100_000; i++) {
    const response = await fetch(`${url}?from=${from}`);
    if (response.status === 200) {
      const page = await response.json();
      events.push(...page.logs);
      if (page.done) return events;
      from = page.next;
    } else await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the poller never saw done");
}

/** The job's log served from a store of its own on Redis, and an SSE reader of it. */
async function readJob(redisUrl: string, jobId: string) {
  const stack = new AsyncDisposableStack();
  const store = stack.use(new RedisStore({ url: redisUrl, leaseMs: LEASE_MS }));
  const server = stack.use(serve(createLogHandler({ prefix: "/log", store, heartbeatMs: 200 })));
  const url = `${server.url}/log/${jobId}`;
  const sse = stack.use(await SseClient.open(`${url}/stream`));
  return { url, sse, [Symbol.asyncDispose]: () => stack.disposeAsync() };
}

/** SIGKILLs redis-server, leaves it down for `OUTAGE_MS`, then starts it again. */
async function outage(redis: RedisServer): Promise<void> {
  await redis.kill();
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  await redis.start();
}

Deno.test("redis-server killed mid-job and restarted with its AOF: readers resume exactly, nothing lost", async () => {
  await using redis = await startRedis({ aof: true });
  const count = 6_000;
  // ~1,000 entries/s: the job runs before, through and after the outage.
  await using writer = await spawnRedisWriter(redis.url, count, LEASE_MS, 10, 10);
  await using reader = await readJob(redis.url, writer.jobId);
  const { sse } = reader;
  const polled = poll(reader.url);
  await writer.go();
  const before = await sse.take(500, 10_000);
  await outage(redis);
  const after = await sse.readToEnd(count + 10, 30_000);
  const polledEvents = await polled;
  assert.equal(await writer.line(30_000), "closed");
  const expected = [...Array.from({ length: count }, (_, i) => `entry ${i}`), "(done ok)"];
  const messages = (events: Event[]) =>
    events.map((e) =>
      e.event === "log"
        ? e.message
        : e.event === "done"
        ? `(done ${e.status ?? "ok"})`
        : `(${e.event} ${e.count})`
    );
  assert.deepEqual(messages([...before, ...after]), expected);
  assert.deepEqual(messages(polledEvents), expected);
});

Deno.test("redis-server killed mid-job and restarted empty: readers are told, the writer stays bounded", async () => {
  await using redis = await startRedis();
  const count = 8_000;
  const maxUnstored = 500;
  await using writer = await spawnRedisWriter(redis.url, count, LEASE_MS, 10, 10, maxUnstored);
  await using reader = await readJob(redis.url, writer.jobId);
  const { sse } = reader;
  await writer.go();
  const before = await sse.take(500, 10_000);
  await outage(redis);
  // Never left hanging: the stream ends with done, after the gap is told.
  const after = await sse.readToEnd(count + 10, 30_000);
  const done = after.at(-1);
  assert.equal(done?.event, "done");
  const missed = after.filter((e) => e.event === "missed");
  if (done?.status === undefined) { // "ok"
    // The writer took the job up again: every id is either an entry or counted as missed.
    assert.ok(missed.length > 0, "entries stored before the restart are gone: told as missed");
    const entries = [...before, ...after].filter((e) => e.event === "log").length;
    const told = missed.reduce((sum, e) => sum + Number(e.count), 0);
    assert.equal(entries + told, count);
  } else {
    assert.equal(done?.status, "lost");
  }
  // The writer queued at most maxUnstored entries while Redis was gone, and finished.
  assert.equal(await writer.line(30_000), "closed");
  const queued = [...writer.stderr().matchAll(/unstored (\d+)/g)].map((m) => Number(m[1]));
  assert.ok(queued.some((n) => n > 0), `the writer queued during the outage: ${queued}`);
  assert.ok(Math.max(...queued) <= maxUnstored, `the writer queued ${Math.max(...queued)}`);
});

Deno.test("after CLIENT KILL TYPE pubsub, no reader stalls longer than leaseMs", async () => {
  await using redis = await startRedis();
  const count = 3_000;
  await using writer = await spawnRedisWriter(redis.url, count, LEASE_MS, 5, 10);
  await using reader = await readJob(redis.url, writer.jobId);
  const { sse } = reader;
  await writer.go();
  await sse.take(100, 10_000);
  let longest = 0;
  let last = Date.now();
  const events: Event[] = [];
  for (let i = 0; i < count; i++) {
    const event = await sse.nextEvent(LEASE_MS + 400);
    assert.ok(event, "the stream ended before done");
    const now = Date.now();
    longest = Math.max(longest, now - last);
    last = now;
    events.push(JSON.parse(event.data));
    if (events.at(-1)?.event === "done") break;
    // Every subscriber connection (the writer's and the reader's) is cut, again and again.
    if (i % 100 === 0) assert.match(await redis.cli("CLIENT", "KILL", "TYPE", "pubsub"), /^\d+$/);
  }
  assert.equal(events.at(-1)?.event, "done");
  assert.equal(events.filter((e) => e.event === "log").length, count - 100);
  assert.ok(longest <= LEASE_MS + 200, `a reader stalled ${longest} ms`);
});
