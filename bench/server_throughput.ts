/**
 * Burst throughput: one job logs N entries as fast as it can while S SSE
 * subscribers (in a separate client process) read them all. For each case,
 * every peer runs the same number of rounds, interleaved, and the median is
 * shown: events and bytes delivered per second, and the fraction of the
 * process's push limit (pre-encoded blocks streamed to the same S clients,
 * measured in the same rounds) that the bytes per second take.
 *
 * Usage: deno run -A bench/server_throughput.ts
 */
import { CLIENT_FLAGS, control, epochNow, JsonProcess, SERVER_FLAGS } from "./support/process.ts";
import type { ClientResult } from "./support/sse_clients.ts";
import { PEER_LABELS, type PeerName, STREAM_PEERS } from "./support/peers.ts";
import { measurePushLimit } from "./support/push_limit.ts";
import { fmt, ratio, type Section } from "./support/table.ts";

const SERVER = new URL("./support/stream_server.ts", import.meta.url);
const CLIENTS = new URL("./support/sse_clients.ts", import.meta.url);

/** Sizes of the run. */
export interface ThroughputOptions {
  /**
   * Entries the job logs per subscriber count. Default 100,000 for 1 and 10
   * subscribers and 20,000 for 100 (2,000,000 events delivered, a few seconds
   * for every peer), so that no case is over in a fraction of a second.
   */
  entries?: Record<number, number>;
  /** Rounds per peer and case, interleaved; the median is shown. Default 3. */
  rounds?: number;
}

/** One peer, one subscriber count: events delivered per second. */
export async function measure(
  peer: PeerName,
  subscribers: number,
  entries: number,
): Promise<{ eps: number; seconds: number; bps: number }> {
  await using server = JsonProcess.deno(SERVER, SERVER_FLAGS, [peer]);
  const { port } = await server.next<{ port: number }>(20_000);
  const path = peer === "ours" ? "/log/bench/stream" : `/${peer}/bench`;
  const deadlineMs = 120_000;
  await using clients = JsonProcess.deno(CLIENTS, CLIENT_FLAGS, [
    JSON.stringify({ port, path, count: subscribers, mode: "count", deadlineMs }),
  ]);
  await clients.next(20_000); // {"ready":N}
  const start = epochNow();
  await control(port, `/burst?n=${entries}`);
  const result = await clients.next<ClientResult>(deadlineMs + 5_000);
  const expected = entries + 1; // every entry, then done
  if (
    result.error || result.completed !== subscribers || result.minEvents !== expected ||
    result.maxEvents !== expected
  ) {
    throw new Error(
      `${peer} × ${subscribers}: ${result.completed}/${subscribers} completed, ` +
        `${result.minEvents}..${result.maxEvents} events of ${expected} (${result.error ?? ""})`,
    );
  }
  const seconds = (result.endAt - start) / 1000;
  return {
    eps: subscribers * entries / seconds,
    seconds,
    bps: result.bytes / seconds,
  };
}

type Measured = Awaited<ReturnType<typeof measure>>;

/** A fraction with two significant digits at least: 0.24, 0.013. */
function share(fraction: number): string {
  return fraction >= 0.1 ? fraction.toFixed(2) : fraction.toPrecision(2);
}

function median(runs: Measured[]): Measured & { range: string } {
  const sorted = runs.toSorted((a, b) => a.eps - b.eps);
  const range = `${sorted[0].seconds.toFixed(2)}–${sorted.at(-1)!.seconds.toFixed(2)}`;
  return { ...sorted[Math.floor(sorted.length / 2)], range };
}

/** Runs every peer at every subscriber count and returns the table. */
export async function run(options: ThroughputOptions = {}): Promise<Section> {
  const entries = options.entries ?? { 1: 100_000, 10: 100_000, 100: 20_000 };
  const rounds = options.rounds ?? 3;
  const peers: PeerName[] = [...STREAM_PEERS];
  const rows: (string | number)[][] = [];
  const headline: string[] = [];
  for (const [subs, n] of Object.entries(entries).map(([s, n]) => [Number(s), n])) {
    const all: Partial<Record<PeerName, Measured[]>> = {};
    const limits: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const peer of peers) {
        const r = await measure(peer, subs, n);
        (all[peer] ??= []).push(r);
        console.error(
          `  throughput ${peer} × ${subs}: ${fmt(r.eps)} events/s, ` +
            `${fmt(r.bps / 1e6, 1)} MB/s (${r.seconds.toFixed(2)} s)`,
        );
      }
      // Ten times the events: the limit is a rate, and a longer transfer measures it steadier.
      const limit = await measurePushLimit(subs, 10 * n);
      limits.push(limit.bps);
      console.error(`  throughput push limit × ${subs}: ${fmt(limit.bps / 1e6, 1)} MB/s`);
    }
    const m = Object.fromEntries(peers.map((peer) => [peer, median(all[peer]!)])) as Record<
      PeerName,
      Measured & { range: string }
    >;
    const limit = limits.toSorted((a, b) => a - b)[Math.floor(limits.length / 2)];
    for (const peer of peers) {
      rows.push([
        `${subs} × ${fmt(n)}`,
        PEER_LABELS[peer],
        fmt(m[peer].eps),
        fmt(m[peer].bps / 1e6, 1),
        share(m[peer].bps / limit),
        peer === "ours" ? "" : ratio(m.ours.eps, m[peer].eps),
        m[peer].range,
      ]);
    }
    rows.push([
      `${subs} × ${fmt(n)}`,
      "push limit (pre-encoded blocks, draining clients)",
      "",
      fmt(limit / 1e6, 1),
      "1.00",
      "",
      "",
    ]);
    const vs = STREAM_PEERS.filter((peer) => peer !== "ours")
      .map((peer) => `${ratio(m.ours.eps, m[peer].eps)} ${PEER_LABELS[peer]}`).join(", ");
    headline.push(
      `burst, ${subs} × ${fmt(n)}: ours ${fmt(m.ours.eps)} events/s, ${
        fmt(m.ours.bps / 1e6, 1)
      } MB/s = ${share(m.ours.bps / limit)} of the push limit (${
        fmt(limit / 1e6, 1)
      } MB/s); ours = ${vs}`,
    );
  }
  return {
    title: "Burst throughput (events and bytes delivered per second)",
    about: "One job logs N entries as fast as it can (yielding to the event loop every 1,000); " +
      "S subscribers in a separate client process read every one over HTTP on 127.0.0.1. " +
      "Events/s = S × N ÷ (time from the first log() to the last subscriber's end of stream); " +
      `MB/s the same for body bytes. Every peer runs ${rounds} rounds per case, interleaved; ` +
      "the median (by events/s) is shown, with the range of the rounds' times.",
    header: [
      "subscribers × entries",
      "server",
      "events/s",
      "MB/s",
      "fraction of the push limit",
      "ours ÷ this (events/s)",
      "seconds (fastest–slowest round)",
    ],
    rows,
    headline,
    notes: [
      "Push limit: a server process with nothing to do but push the same number of events, as " +
      "pre-encoded blocks of 4,096, to S clients that only drain their sockets (no parsing), " +
      "ten times as many events as the case (the limit is a rate; a longer transfer is steadier), " +
      "timed from the moment the blocks exist; once per round, the median shown. Each server's " +
      "fraction is its MB/s over that. The servers' clients parse every frame and the servers' " +
      "times include the producer loop (which bounds every batched server at 1 subscriber), " +
      "so part of the gap to the limit is the measurement's own work, the same for every server.",
      "Hono, documented: `streamSSE` with `await stream.writeSSE(...)` per event in a loop, " +
      "as Hono's streaming docs show. Hono, one write per batch: the same loop, every pending " +
      "event in one `await stream.write`. Bare stream, one chunk per event: a ReadableStream " +
      "enqueueing each event's bytes (encoded once, shared). Bare stream, batched: the bytes of " +
      "each batch of 1,000 entries, encoded once and shared by every subscriber.",
      "What batching buys: fewer, larger writes, so less work per event in the stream and the " +
      "socket. What it does not: a reader still gets every entry in order, and the per-event " +
      "work of encoding the JSON is the same; a batched peer is not a ceiling.",
      "The client process shares the 2 cores with the server, so every figure is a lower bound " +
      "and the ratios are what to compare.",
      "Ours runs a MemoryStore with maxEntries 262,144 so a burst larger than the default " +
      "100,000 cannot outrun a reader; every subscriber is checked to receive every entry.",
    ],
  };
}

if (import.meta.main) {
  const { markdown } = await import("./support/table.ts");
  console.log(markdown(await run()));
}
