/**
 * Burst throughput: one job logs N entries as fast as it can while 1, 10 and
 * 100 SSE subscribers (in a separate client process) read them all. Events
 * delivered per second, for ours, Hono's `streamSSE` and the bare-stream
 * ceiling, run one after the other in the same run.
 *
 * Usage: deno run -A bench/server_throughput.ts
 */
import { CLIENT_FLAGS, control, epochNow, JsonProcess, SERVER_FLAGS } from "./support/process.ts";
import type { ClientResult } from "./support/sse_clients.ts";
import { type PeerName, PEERS } from "./support/peers.ts";
import { fmt, ratio, type Section } from "./support/table.ts";

const SERVER = new URL("./support/stream_server.ts", import.meta.url);
const CLIENTS = new URL("./support/sse_clients.ts", import.meta.url);

/** Sizes of the run. */
export interface ThroughputOptions {
  /**
   * Entries the job logs per subscriber count. Default 200,000 for 1
   * subscriber, 50,000 for 10 and 10,000 for 100: Hono delivers 20,000 to
   * 100,000 events/s here (depending on the machine's load), so 100 × 200,000
   * would take it 3 to 15 minutes of the 10-minute budget.
   */
  entries?: Record<number, number>;
}

/** One peer, one subscriber count: events delivered per second. */
export async function measure(
  peer: PeerName,
  subscribers: number,
  entries: number,
): Promise<{ eps: number; seconds: number; mbps: number }> {
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
    mbps: result.bytes / seconds / 1e6,
  };
}

/** Runs every peer at every subscriber count and returns the table. */
export async function run(options: ThroughputOptions = {}): Promise<Section> {
  const entries = options.entries ?? { 1: 200_000, 10: 50_000, 100: 10_000 };
  const rows: (string | number)[][] = [];
  const headline: string[] = [];
  for (const [subs, n] of Object.entries(entries).map(([s, n]) => [Number(s), n])) {
    const eps: Record<string, number> = {};
    const secs: Record<string, number> = {};
    for (const peer of PEERS) {
      // Ours and the ceiling take under a second: 3 runs each, the median shown.
      // Hono takes up to half a minute: one run.
      const runs = [];
      for (let i = 0; i < (peer === "hono" ? 1 : 3); i++) runs.push(await measure(peer, subs, n));
      const r = runs.sort((a, b) => a.eps - b.eps)[Math.floor(runs.length / 2)];
      eps[peer] = r.eps;
      secs[peer] = r.seconds;
      console.error(
        `  throughput ${peer} × ${subs}: ${fmt(r.eps)} events/s (${r.seconds.toFixed(2)} s)`,
      );
    }
    rows.push([
      `${subs} × ${fmt(n)}`,
      fmt(eps.ours),
      fmt(eps.hono),
      fmt(eps.ceiling),
      ratio(eps.ours, eps.hono),
      ratio(eps.ours, eps.ceiling),
      `${secs.ours.toFixed(2)} / ${secs.hono.toFixed(2)} / ${secs.ceiling.toFixed(2)}`,
    ]);
    headline.push(
      `burst, ${subs} subscriber(s): ours ${fmt(eps.ours)} events/s = ${
        ratio(eps.ours, eps.hono)
      } Hono, ${ratio(eps.ours, eps.ceiling)} ceiling`,
    );
  }
  return {
    title: "Burst throughput (events delivered per second)",
    about: "One job logs N entries as fast as it can (yielding to the event loop every 1,000); " +
      "S subscribers in a separate client process read every one over HTTP on 127.0.0.1. " +
      "Events/s = S × N ÷ (time from the first log() to the last subscriber's end of stream).",
    header: [
      "subscribers × entries",
      "ours",
      "Hono streamSSE",
      "ceiling",
      "ours ÷ Hono",
      "ours ÷ ceiling",
      "seconds (ours / Hono / ceiling)",
    ],
    rows,
    headline,
    notes: [
      "Scaled down: 50,000 entries with 10 subscribers and 10,000 with 100, not 200,000 " +
      "(Hono delivers 20,000 to 100,000 events/s here, so the full sizes would take it " +
      "3 to 15 minutes; the run must stay under 10).",
      "Ours and the ceiling: median of 3 runs; Hono: one run (it takes up to 30 s a size).",
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
