/**
 * The Redis store across processes: a job written by a `JobLogger` in another
 * `deno` process streams here through the handler, and a writer that dies is
 * told to readers as `lost`.
 */

import assert from "node:assert/strict";
import { createLogHandler } from "../mod.ts";
import { RedisStore } from "../redis/mod.ts";
import { startRedis } from "./support/redis.ts";
import { spawnRedisWriter } from "./support/redis_writer.ts";
import { serve } from "./support/serve.ts";
import { SseClient } from "./support/sse_client.ts";

type Event = Record<string, unknown>;

/** Polls `?from=` until done: every entry it got, then the done event. */
async function poll(url: string): Promise<Event[]> {
  const events: Event[] = [];
  let from = 0;
  for (let i = 0; i < 100_000; i++) {
    const page = await (await fetch(`${url}?from=${from}`)).json();
    events.push(...page.logs);
    if (page.done) return events;
    from = page.next;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("the poller never saw done");
}

Deno.test("20,000 entries from a writer process reach 3 SSE readers and a poller here, exactly, then done", async () => {
  await using redis = await startRedis();
  const count = 20_000;
  await using writer = await spawnRedisWriter(redis.url, count, "shared", 200, 5);
  using store = new RedisStore({ url: redis.url, leaseMs: 1_000 });
  const logs = createLogHandler({ prefix: "/log", store, heartbeatMs: 500 });
  await using server = serve(logs);
  const url = `${server.url}/log/${writer.jobId}`;
  const readers = await Promise.all([0, 1, 2].map(() => SseClient.open(`${url}/stream`)));
  const polled = poll(url);
  await writer.go();
  const streamed = await Promise.all(readers.map((sse) => sse.readToEnd(count + 10, 30_000)));
  assert.equal(await writer.line(), "closed");
  const expected = [
    ...Array.from({ length: count }, (_, i) => `entry ${i}`),
    "(done ok)",
  ];
  const messages = (events: Event[]) =>
    events.map((e) => e.event === "log" ? e.message : `(${e.event} ${e.status ?? "ok"})`);
  for (const events of streamed) assert.deepEqual(messages(events), expected);
  assert.deepEqual(messages(await polled), expected);
  for (const sse of readers) await sse[Symbol.asyncDispose]();
});

Deno.test("a writer SIGKILLed mid-job is told to readers as lost within 3 × leaseMs", async () => {
  await using redis = await startRedis();
  const leaseMs = 400;
  await using writer = await spawnRedisWriter(redis.url, 1_000_000, leaseMs, 10, 20);
  using store = new RedisStore({ url: redis.url, leaseMs });
  const logs = createLogHandler({ prefix: "/log", store, heartbeatMs: 200 });
  await using server = serve(logs);
  await using sse = await SseClient.open(`${server.url}/log/${writer.jobId}/stream`);
  await writer.go();
  await sse.take(50, 10_000);
  await writer.kill();
  const killedAt = Date.now();
  const rest = await sse.readToEnd(1_000_000, 10_000);
  const tookMs = Date.now() - killedAt;
  const done = rest.at(-1);
  assert.equal(done?.event, "done");
  assert.equal(done?.status, "lost");
  assert.match(String(done?.message), /lease/);
  // 3 × leaseMs, with 150 ms for the two processes' timers and the HTTP hop.
  assert.ok(tookMs <= 3 * leaseMs + 150, `lost was told after ${tookMs} ms`);
});
