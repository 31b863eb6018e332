/**
 * Latency: a job logs 1,000 entries a second while 100 subscribers (in a
 * separate client process) read them; p50 and p99 of the time from `log()`
 * to a subscriber's receipt, for ours, Hono as documented, Hono batched, and
 * a bare stream with one chunk per event and batched.
 *
 * Usage: deno run -A bench/latency.ts
 */
import { CLIENT_FLAGS, control, JsonProcess, SERVER_FLAGS } from "./support/process.ts";
import type { ClientResult } from "./support/sse_clients.ts";
import { PEER_LABELS, type PeerName, STREAM_PEERS } from "./support/peers.ts";
import { fmt, ratio, type Section } from "./support/table.ts";

const SERVER = new URL("./support/stream_server.ts", import.meta.url);
const CLIENTS = new URL("./support/sse_clients.ts", import.meta.url);

/** Sizes of the run. */
export interface LatencyOptions {
  subscribers?: number;
  perSec?: number;
  /** How long the job logs, in ms. Default 5,000. */
  ms?: number;
  /** Runs per peer, interleaved; the median p99 is shown. Default 3. */
  rounds?: number;
}

/** p50 / p99 / max in ms for one peer. */
export async function measure(
  peer: PeerName,
  subscribers: number,
  perSec: number,
  ms: number,
): Promise<ClientResult & { sent: number }> {
  await using server = JsonProcess.deno(SERVER, SERVER_FLAGS, [peer]);
  const { port } = await server.next<{ port: number }>(20_000);
  const path = peer === "ours" ? "/log/bench/stream" : `/${peer}/bench`;
  const deadlineMs = ms + 60_000;
  await using clients = JsonProcess.deno(CLIENTS, CLIENT_FLAGS, [
    JSON.stringify({ port, path, count: subscribers, mode: "latency", deadlineMs }),
  ]);
  await clients.next(20_000);
  const { sent } = await control<{ sent: number }>(port, `/rate?perSec=${perSec}&ms=${ms}`);
  const result = await clients.next<ClientResult>(deadlineMs + 5_000);
  if (
    result.error || result.completed !== subscribers || result.minEvents !== sent + 1 ||
    result.maxEvents !== sent + 1
  ) {
    throw new Error(`${peer}: ${JSON.stringify(result)} (sent ${sent})`);
  }
  return { ...result, sent };
}

/** Runs every peer and returns the table. */
export async function run(options: LatencyOptions = {}): Promise<Section> {
  const { subscribers = 100, perSec = 1_000, ms = 5_000, rounds = 3 } = options;
  // p99 on 2 shared cores swings from run to run: every peer runs `rounds`
  // times, interleaved, and the table shows the round with the median p99.
  const all: Record<string, (ClientResult & { sent: number })[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const peer of STREAM_PEERS) {
      const r = await measure(peer, subscribers, perSec, ms);
      (all[peer] ??= []).push(r);
      console.error(`  latency ${peer}: p50 ${r.p50?.toFixed(2)} ms, p99 ${r.p99?.toFixed(2)} ms`);
    }
  }
  const results: Record<string, ClientResult & { sent: number; range: string }> = {};
  for (const peer of STREAM_PEERS) {
    const sorted = all[peer].sort((a, b) => a.p99! - b.p99!);
    results[peer] = {
      ...sorted[Math.floor(sorted.length / 2)],
      range: `${sorted[0].p99!.toFixed(1)} – ${sorted[sorted.length - 1].p99!.toFixed(1)}`,
    };
  }
  const row = (peer: PeerName) => {
    const r = results[peer];
    return [
      PEER_LABELS[peer],
      r.p50!.toFixed(2),
      r.p99!.toFixed(2),
      r.max!.toFixed(2),
      r.range,
      fmt(r.samples!),
      peer === "ours" ? "1.00×" : ratio(results.ours.p99!, r.p99!),
    ];
  };
  const ours = results.ours;
  return {
    title: "Latency from log() to a subscriber",
    about: `${fmt(perSec)} entries/s for ${ms / 1000} s with ${subscribers} subscribers in a ` +
      `separate client process, ${rounds} rounds per server (interleaved; the round with the ` +
      "median p99 is shown); each entry carries its log() time (epoch ms), each subscriber " +
      "notes when the chunk holding it arrives.",
    header: [
      "server",
      "p50 ms",
      "p99 ms",
      "max ms",
      "p99 of each round, ms",
      "samples",
      "ours p99 ÷ this p99 (below 1: ours faster)",
    ],
    rows: STREAM_PEERS.map(row),
    headline: [
      `latency at ${fmt(perSec)}/s, ${subscribers} subscribers: ours p50 ${
        ours.p50!.toFixed(2)
      } ms, p99 ${ours.p99!.toFixed(2)} ms (${
        STREAM_PEERS.filter((peer) => peer !== "ours")
          .map((peer) => `${PEER_LABELS[peer]} p99 ${results[peer].p99!.toFixed(2)} ms`)
          .join("; ")
      })`,
    ],
    notes: [
      "The producer logs the entries due every millisecond timer tick, so entries come in " +
      "small groups, the same for every server. Times are wall-clock ms compared across two " +
      "processes on one machine.",
    ],
  };
}

if (import.meta.main) {
  const { markdown } = await import("./support/table.ts");
  console.log(markdown(await run()));
}
