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
 * - cost: Redis commands per 10,000 `log()` calls (INFO commandstats),
 *   `MEMORY USAGE` per entry against its JSON length, and commands per
 *   second while 1, 10 and 100 idle readers in one process watch one job.
 *
 * Usage: deno run -A bench/redis.ts (or `deno task bench redis`)
 */
import { createClient } from "@redis/client";
import { createLogHandler, JobLogger, MemoryStore, type Store } from "../mod.ts";
import { RedisStore } from "../redis/mod.ts";
import { DynamoStore } from "../dynamo/mod.ts";
import { startRedis } from "../tests/support/redis.ts";
import { startDynalite } from "../tests/support/dynalite.ts";
import { fmt, quantile, ratio, type Section } from "./support/table.ts";

const WRITER = new URL("./support/redis_bench_writer.ts", import.meta.url).pathname;
const now = () => performance.timeOrigin + performance.now();
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

/** `count` SSE subscribers of `url` in this process; resolves with every tick's latency. */
async function subscribe(url: string, count: number): Promise<Promise<number[]>[]> {
  const readers: Promise<number[]>[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(url);
    if (!response.ok || response.body === null) throw new Error(`GET ${url}: ${response.status}`);
    readers.push((async () => {
      const latencies: number[] = [];
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (let n = 0; n < 10_000_000; n++) {
        const { done, value } = await reader.read();
        if (done) return latencies;
        const arrived = now();
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = frame.split("\n").find((line) => line.startsWith("data: "));
          if (data === undefined) continue;
          const event = JSON.parse(data.slice(6));
          if (event.event === "tick") latencies.push(arrived - event.at);
          if (event.event === "done") {
            await reader.cancel();
            return latencies;
          }
        }
      }
      return latencies;
    })());
  }
  return readers;
}

/** Runs the writer process against `store` and returns every subscriber's latencies. */
async function crossProcess(
  kind: "redis" | "dynamo",
  target: string,
  store: Store,
  subscribers: number,
  perSec: number,
  ms: number,
): Promise<number[]> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WRITER, kind, target, String(perSec), String(ms)],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    while (!out.includes("\n")) {
      const { done, value } = await lines.read();
      if (done) throw new Error(`the ${kind} writer exited`);
      out += value;
    }
    const { jobId } = JSON.parse(out.trim());
    const logs = createLogHandler({ prefix: "/log", store, heartbeatMs: 5_000 });
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      async (request) => (await logs(request)) ?? new Response(null, { status: 404 }),
    );
    const readers = await subscribe(
      `http://127.0.0.1:${server.addr.port}/log/${jobId}/stream`,
      subscribers,
    );
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode("go\n"));
    const all = (await Promise.all(readers)).flat();
    await writer.close();
    lines.releaseLock();
    await child.stdout.cancel().catch(() => {});
    return all;
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
    await child.status;
  }
}

/** The memory store: writer and subscribers in this process. */
async function inProcess(subscribers: number, perSec: number, ms: number): Promise<number[]> {
  const store = new MemoryStore();
  const logs = createLogHandler({ prefix: "/log", store, heartbeatMs: 5_000 });
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => (await logs(request)) ?? new Response(null, { status: 404 }),
  );
  const logger = new JobLogger({ store });
  const readers = await subscribe(
    `http://127.0.0.1:${server.addr.port}/log/${logger.jobId}/stream`,
    subscribers,
  );
  const start = now();
  let sent = 0;
  while (now() - start < ms) {
    const due = Math.floor(((now() - start) / 1000) * perSec);
    for (; sent < due; sent++) logger.emit("tick", { at: now() });
    await pause(1);
  }
  await logger.close();
  return (await Promise.all(readers)).flat();
}

async function commandCalls(cli: (...args: string[]) => Promise<string>): Promise<number> {
  const stats = await cli("INFO", "commandstats");
  let calls = 0;
  for (const match of stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (!/^(info|config)/.test(match[1])) calls += Number(match[2]);
  }
  return calls;
}

/** Every case; returns the table. */
export async function run(options: RedisBenchOptions = {}): Promise<Section> {
  const {
    subscribers = 100,
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
  const lat = (values: number[]) => {
    const sorted = values.sort((a, b) => a - b);
    return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), n: sorted.length };
  };
  const redisStore = new RedisStore({ url: redis.url });
  const redisLat = lat(
    await crossProcess("redis", redis.url, redisStore, subscribers, perSec, ms),
  );
  redisStore.dispose();
  let dynamoLat = { p50: NaN, p99: NaN, n: 0 };
  {
    await using db = await startDynalite();
    const table = `bench-${crypto.randomUUID()}`;
    const setup = new DynamoStore({
      table,
      endpoint: db.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    });
    dynamoLat = lat(
      await crossProcess("dynamo", `${db.endpoint},${table}`, setup, subscribers, perSec, ms),
    );
    setup.dispose();
  }
  const memoryLat = lat(await inProcess(subscribers, perSec, ms));
  for (
    const [name, r] of [
      ["latency, Redis store (writer in another process)", redisLat],
      ["latency, DynamoDB store on dynalite (another process, 1 s poll)", dynamoLat],
      ["latency, memory store (one process)", memoryLat],
    ] as const
  ) {
    rows.push([
      name,
      `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (${fmt(r.n)} samples)`,
      ratio(r.p99, redisLat.p99),
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
  for (let round = 0; round < rounds; round++) {
    {
      using store = new RedisStore({ url: redis.url, maxEntries: entries });
      const logger = new JobLogger({ store });
      await logger.flush();
      const t = performance.now();
      for (let i = 0; i < entries; i++) logger.log(json);
      await logger.close();
      ours.push(entries / ((performance.now() - t) / 1000));
    }
    {
      const key = `plain-${round}`;
      const t = performance.now();
      for (let from = 0; from < entries; from += 1_000) {
        const sends: Promise<unknown>[] = [];
        for (let i = from; i < Math.min(entries, from + 1_000); i++) {
          sends.push(client.sendCommand(["XADD", key, "*", "d", json]));
        }
        await Promise.all(sends); // node-redis pipelines the commands of one tick
      }
      plain.push(entries / ((performance.now() - t) / 1000));
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

  // Commands per 10,000 log(), and memory per entry.
  {
    await redis.cli("CONFIG", "RESETSTAT");
    const before = await commandCalls(redis.cli);
    using store = new RedisStore({ url: redis.url });
    const logger = new JobLogger({ store });
    for (let i = 0; i < 10_000; i++) logger.log(`Fetched page ${i} of https://example.com/catalog`);
    await logger.close();
    const calls = (await commandCalls(redis.cli)) - before;
    const scripts = (await redis.cli("INFO", "commandstats")).match(
      /cmdstat_evalsha:calls=(\d+)/,
    )?.[1];
    rows.push([
      "Redis commands per 10,000 log() (inside scripts included; round trips: EVALSHA)",
      `${fmt(calls)} commands, ${scripts} EVALSHA`,
      "goal ≤ 100 round trips",
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
      "performance.now()) and each subscriber notes when the chunk holding it arrives; the " +
      "writer logs the entries due every 1 ms timer tick.",
    "Throughput: log() in a loop, then close() (everything stored); the peer sends one XADD per " +
      "entry, 1,000 per tick (node-redis pipelines a tick's commands). Median of " +
      `${rounds} interleaved rounds.`,
    "Commands are counted with INFO commandstats, which counts the commands a script runs too; " +
      "EVALSHA is the number of round trips.",
  );
  return {
    title: "Redis store",
    about: `Against Debian's redis-server ${
      (await redis.cli("INFO", "server")).match(/redis_version:(\S+)/)?.[1]
    } on 127.0.0.1, no persistence; ${fmt(perSec)} entries/s for ${
      ms / 1000
    } s with ${subscribers} SSE subscribers for latency.`,
    header: ["case", "result", "ratio"],
    rows,
    notes,
    headline: [
      `Redis store: log() → SSE in another process p99 ${redisLat.p99.toFixed(2)} ms ` +
      `(DynamoDB ${dynamoLat.p99.toFixed(0)} ms, memory ${memoryLat.p99.toFixed(2)} ms); ` +
      `writer ${ratio(median(ours), median(plain))} a pipelined XADD loop`,
    ],
  };
}

if (import.meta.main) {
  const { markdown } = await import("./support/table.ts");
  console.log(markdown(await run()));
}
