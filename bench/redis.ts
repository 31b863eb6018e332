/**
 * The Redis store against a real `redis-server` (Debian's, started here on a
 * free 127.0.0.1 port without persistence):
 *
 * - latency from `log()` in a writer process to SSE receipt by 100
 *   subscribers in this process, at 1,000 entries/s: the Redis store, the
 *   DynamoDB store on dynalite (its documented 1 s poll), and the memory
 *   store (writer and readers in one process, as it must be);
 * - writer throughput: `log()` into the Redis store against a plain
 *   pipelined `XADD` loop on `@redis/client`, the same entries;
 * - cost: Redis commands per 10,000 `log()` calls, both the ones the store
 *   sends (each one request and one reply, seen with `MONITOR`) and the ones
 *   Redis runs, those inside scripts included (INFO commandstats); `MEMORY
 *   USAGE` per entry against its JSON length; and commands per second while
 *   1, 10 and 100 idle readers in one process watch one job.
 *
 * Usage: deno run -A bench/redis.ts (or `deno task bench redis`)
 */
import { createClient } from "@redis/client";
import { createLogHandler, JobLogger } from "../mod.ts";
import { RedisStore } from "../redis/mod.ts";
import { DynamoStore } from "../dynamo/mod.ts";
import { startRedis } from "../tests/support/redis.ts";
import { startDynalite } from "../tests/support/dynalite.ts";
import { crossProcess, inProcess } from "./support/redis_latency.ts";
import { monitor, summary } from "./support/redis_monitor.ts";
import type { ClientResult } from "./support/sse_clients.ts";
import { fmt, ratio, type Section } from "./support/table.ts";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sizes of the run. */
export interface RedisBenchOptions {
  subscribers?: number;
  perSec?: number;
  /** How long the latency job logs, in ms. Default 5,000. */
  ms?: number;
  /** Entries of the throughput case. Default 100,000; rounds per peer, default 3. */
  entries?: number;
  rounds?: number;
  /** How long the idle readers are watched, in ms. Default 5,000. */
  idleMs?: number;
}

async function commandCalls(cli: (...args: string[]) => Promise<string>): Promise<number> {
  const stats = await cli("INFO", "commandstats");
  let calls = 0;
  for (const match of stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (!/^(info|config|monitor|echo)/.test(match[1])) calls += Number(match[2]);
  }
  return calls;
}

/** The CPU time redis-server has used since it started, in µs (INFO cpu: user + system). */
async function redisCpuUs(cli: (...args: string[]) => Promise<string>): Promise<number> {
  const info = await cli("INFO", "cpu");
  const seconds = (field: string) => Number(new RegExp(`^${field}:([\\d.]+)`, "m").exec(info)?.[1]);
  return (seconds("used_cpu_user") + seconds("used_cpu_sys")) * 1e6;
}

/** Every case; returns the table. */
export async function run(options: RedisBenchOptions = {}): Promise<Section> {
  const {
    subscribers: subs = 100,
    perSec = 1_000,
    ms = 5_000,
    entries = 100_000,
    rounds = 3,
    idleMs = 5_000,
  } = options;
  await using redis = await startRedis();
  const rows: (string | number)[][] = [];
  const notes: string[] = [];

  // Latency.
  const redisStore = new RedisStore({ url: redis.url });
  const redisLat = await crossProcess("redis", redis.url, redisStore, subs, perSec, ms);
  redisStore.dispose();
  let dynamoLat: ClientResult;
  {
    await using db = await startDynalite();
    const table = `bench-${crypto.randomUUID()}`;
    const reader = new DynamoStore({
      table,
      endpoint: db.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    });
    const target = `${db.endpoint},${table}`;
    dynamoLat = await crossProcess("dynamo", target, reader, subs, perSec, ms);
    reader.dispose();
  }
  const memoryLat = await inProcess(subs, perSec, ms);
  for (
    const [name, r] of [
      ["latency, Redis store (writer in another process)", redisLat],
      ["latency, DynamoDB store on dynalite (writer in another process, 1 s poll)", dynamoLat],
      ["latency, memory store (writer and server in one process)", memoryLat],
    ] as const
  ) {
    rows.push([
      name,
      `p50 ${r.p50!.toFixed(2)} ms, p99 ${r.p99!.toFixed(2)} ms (${fmt(r.samples!)} samples)`,
      ratio(r.p99!, redisLat.p99!),
    ]);
  }

  // Writer throughput: ours against a pipelined XADD loop, interleaved rounds.
  const client = await createClient({ url: redis.url }).connect();
  const json = JSON.stringify({
    event: "log",
    message: "Fetched page 1234 of https://example.com/catalog (200 OK)",
    level: "info",
    t: 12.345,
  });
  const ours: number[] = [];
  const plain: number[] = [];
  // What each entry costs redis-server itself, in µs of its CPU.
  const oursCpu: number[] = [];
  const plainCpu: number[] = [];
  for (let round = 0; round < rounds; round++) {
    {
      using store = new RedisStore({ url: redis.url, maxEntries: entries });
      const logger = new JobLogger({ store });
      await logger.flush();
      const cpu = await redisCpuUs(redis.cli);
      const t = performance.now();
      for (let i = 0; i < entries; i++) logger.log(json);
      await logger.close();
      ours.push(entries / ((performance.now() - t) / 1000));
      oursCpu.push((await redisCpuUs(redis.cli) - cpu) / entries);
    }
    {
      const key = `plain-${round}`;
      const cpu = await redisCpuUs(redis.cli);
      const t = performance.now();
      for (let from = 0; from < entries; from += 1_000) {
        const sends: Promise<unknown>[] = [];
        for (let i = from; i < Math.min(entries, from + 1_000); i++) {
          sends.push(client.sendCommand(["XADD", key, "*", "d", json]));
        }
        await Promise.all(sends); // node-redis pipelines the commands of one tick
      }
      plain.push(entries / ((performance.now() - t) / 1000));
      plainCpu.push((await redisCpuUs(redis.cli) - cpu) / entries);
      await client.sendCommand(["DEL", key]);
    }
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  rows.push([
    `writer throughput, ${fmt(entries)} log() into the Redis store (entries/s)`,
    fmt(median(ours)),
    ratio(median(ours), median(plain)),
  ]);
  rows.push([
    `writer throughput, ${fmt(entries)} pipelined XADD on @redis/client (entries/s)`,
    fmt(median(plain)),
    "1.00×",
  ]);
  rows.push([
    "redis-server CPU per entry, log() into the Redis store (µs)",
    median(oursCpu).toFixed(2),
    ratio(median(oursCpu), median(plainCpu)),
  ]);
  rows.push([
    "redis-server CPU per entry, pipelined XADD (µs)",
    median(plainCpu).toFixed(2),
    "1.00×",
  ]);

  // Commands per 10,000 log(), and memory per entry.
  {
    await redis.cli("CONFIG", "RESETSTAT");
    const before = await commandCalls(redis.cli);
    const watch = await monitor(redis.port);
    using store = new RedisStore({ url: redis.url });
    const logger = new JobLogger({ store });
    for (let i = 0; i < 10_000; i++) logger.log(`Fetched page ${i} of https://example.com/catalog`);
    await logger.close();
    const { sent, inScripts } = await watch.stop();
    const runs = (await commandCalls(redis.cli)) - before;
    const sends = summary(sent);
    const inside = summary(inScripts);
    rows.push([
      "Redis commands the store sends per 10,000 log() (each one request and one reply)",
      `${fmt(sends.total)} (${sends.text})`,
      sends.total <= 100 ? "goal ≤ 100: met" : "goal ≤ 100: missed",
    ]);
    rows.push([
      "Redis commands run per 10,000 log(), those the scripts run inside Redis included",
      `${fmt(runs)} (inside scripts: ${inside.text})`,
      "",
    ]);
    const usage = Number(
      await redis.cli("MEMORY", "USAGE", `streamator:{${logger.jobId}}:log`, "SAMPLES", "0"),
    );
    const read = await store.read(logger.jobId, 0);
    const jsonBytes = read!.entries.reduce((sum, e) => sum + new TextEncoder().encode(e).length, 0);
    rows.push([
      "MEMORY USAGE of the stream per entry vs its JSON",
      `${(usage / 10_000).toFixed(1)} B vs ${(jsonBytes / 10_000).toFixed(1)} B`,
      ratio(usage, jsonBytes),
    ]);
  }

  // Idle readers of one job in one process.
  const idle: number[] = [];
  for (const readers of [1, 10, 100]) {
    using writer = new RedisStore({ url: redis.url });
    using reader = new RedisStore({ url: redis.url });
    const logger = new JobLogger({ store: writer });
    await logger.flush();
    const logs = createLogHandler({ prefix: "/log", store: reader, heartbeatMs: 5_000 });
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      async (request) => (await logs(request)) ?? new Response(null, { status: 404 }),
    );
    const url = `http://127.0.0.1:${server.addr.port}/log/${logger.jobId}/stream`;
    const streams = await Promise.all(
      Array.from({ length: readers }, () => fetch(url)),
    );
    await pause(500);
    const before = await commandCalls(redis.cli);
    await pause(idleMs);
    const perSecond = ((await commandCalls(redis.cli)) - before) / (idleMs / 1000);
    idle.push(perSecond);
    rows.push([
      `commands/s, ${readers} idle reader${readers === 1 ? "" : "s"} of one job (lease included)`,
      perSecond.toFixed(1),
      ratio(perSecond, idle[0]),
    ]);
    for (const stream of streams) await stream.body?.cancel();
    await logger.close();
  }
  await client.close();

  notes.push(
    "Latency: each entry carries its log() time (epoch ms from performance.timeOrigin + " +
      "performance.now()); the subscribers (bench/support/sse_clients.ts, one client process) " +
      "note when the chunk holding it arrives; the writer logs the entries due every 1 ms tick.",
    "Throughput: log() in a loop, then close() (everything stored): the store sends batches of " +
      "up to 5,000 entries, one in flight per job; the peer sends one XADD per " +
      "entry, 1,000 per tick (node-redis pipelines a tick's commands). Median of " +
      `${rounds} interleaved rounds. redis-server's CPU per entry is INFO cpu's ` +
      "used_cpu_user + used_cpu_sys before and after a round, divided by its entries.",
    "Commands: the ones the store sends are the MONITOR lines from its connections (the " +
      "HELLO of each new connection and the writer's pub/sub included); the ones " +
      "Redis runs are INFO commandstats, which also counts each command a script runs (one " +
      "XADD per entry). The goal is on the commands the store sends.",
  );
  return {
    title: "Redis store",
    about: `Against Debian's redis-server ${
      (await redis.cli("INFO", "server")).match(/redis_version:(\S+)/)?.[1]
    } on 127.0.0.1, no persistence; ${fmt(perSec)} entries/s for ${
      ms / 1000
    } s with ${subs} SSE subscribers (in a client process) for latency.`,
    header: ["case", "result", "ratio"],
    rows,
    notes,
    headline: [
      `Redis store: log() → SSE in another process p99 ${redisLat.p99!.toFixed(2)} ms ` +
      `(DynamoDB ${dynamoLat.p99!.toFixed(0)} ms, memory ${memoryLat.p99!.toFixed(2)} ms); ` +
      `writer ${ratio(median(ours), median(plain))} a pipelined XADD loop`,
    ],
  };
}

if (import.meta.main) {
  const { markdown } = await import("./support/table.ts");
  console.log(markdown(await run()));
}
