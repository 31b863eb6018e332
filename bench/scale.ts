/**
 * Scale: 10,000 concurrent SSE subscribers on one job in one server process,
 * the clients spread over 4 client processes (each process stays far below
 * the 20,000-descriptor limit; the server holds 10,000 sockets). Resident
 * memory per subscriber, and the time for one entry to reach all of them,
 * for ours, Hono and the ceiling.
 *
 * Usage: deno run -A bench/scale.ts
 */
import { CLIENT_FLAGS, control, JsonProcess, SERVER_FLAGS } from "./support/process.ts";
import type { ClientResult } from "./support/sse_clients.ts";
import { type PeerName, PEERS } from "./support/peers.ts";
import { fmt, ratio, type Section } from "./support/table.ts";

const SERVER = new URL("./support/stream_server.ts", import.meta.url);
const CLIENTS = new URL("./support/sse_clients.ts", import.meta.url);

/** Sizes of the run. */
export interface ScaleOptions {
  subscribers?: number;
  processes?: number;
}

interface ScaleResult {
  bytesPerSubscriber: number;
  fanoutMs: number;
  rssBefore: number;
  rssAfter: number;
}

/** The descriptors a process started here may open (`ulimit -n`, the soft limit). */
export async function fdLimit(): Promise<number> {
  try {
    const out = await new Deno.Command("sh", { args: ["-c", "ulimit -n"], stdout: "piped" })
      .output();
    return Number(new TextDecoder().decode(out.stdout).trim());
  } catch {
    return NaN;
  }
}

/** One peer with `subscribers` connected subscribers. */
export async function measure(
  peer: PeerName,
  subscribers: number,
  processes: number,
): Promise<ScaleResult> {
  await using server = JsonProcess.deno(SERVER, SERVER_FLAGS, [peer]);
  const { port } = await server.next<{ port: number }>(20_000);
  const path = peer === "ours" ? "/log/bench/stream" : `/${peer}/bench`;
  const { rss: rssBefore } = await control<{ rss: number }>(port, "/rss", "GET");
  const deadlineMs = 120_000;
  const per = Math.ceil(subscribers / processes);
  const clients: JsonProcess[] = [];
  try {
    for (let i = 0; i < processes; i++) {
      const count = Math.min(per, subscribers - i * per);
      clients.push(JsonProcess.deno(CLIENTS, CLIENT_FLAGS, [
        JSON.stringify({ port, path, count, mode: "first", deadlineMs, concurrency: 100 }),
      ]));
    }
    for (const c of clients) await c.next(60_000); // every subscriber has its headers
    const { rss: rssAfter } = await control<{ rss: number }>(port, "/rss", "GET");
    await control(port, "/one");
    await control(port, "/end");
    const results: ClientResult[] = [];
    for (const c of clients) results.push(await c.next<ClientResult>(deadlineMs + 5_000));
    const completed = results.reduce((sum, r) => sum + r.completed, 0);
    const bad = results.find((r) =>
      r.error !== undefined || r.minEvents !== 2 || r.maxEvents !== 2
    );
    if (completed !== subscribers || bad) {
      throw new Error(`${peer}: ${completed}/${subscribers} completed; ${JSON.stringify(bad)}`);
    }
    const sent = Math.min(...results.map((r) => r.firstSentAt!));
    const reached = Math.max(...results.map((r) => r.firstAllAt!));
    return {
      bytesPerSubscriber: (rssAfter - rssBefore) / subscribers,
      fanoutMs: reached - sent,
      rssBefore,
      rssAfter,
    };
  } finally {
    for (const c of clients) await c[Symbol.asyncDispose]();
  }
}

/** Runs every peer and returns the table. */
export async function run(options: ScaleOptions = {}): Promise<Section> {
  const limit = await fdLimit();
  // The server needs one descriptor per subscriber plus a few dozen of its own.
  const possible = Number.isFinite(limit) ? limit - 200 : 10_000;
  const subscribers = Math.min(options.subscribers ?? 10_000, possible);
  const processes = options.processes ?? 4;
  const results: Record<string, ScaleResult> = {};
  for (const peer of PEERS) {
    results[peer] = await measure(peer, subscribers, processes);
    const r = results[peer];
    console.error(
      `  scale ${peer}: ${fmt(r.bytesPerSubscriber / 1024, 1)} KiB/subscriber, ` +
        `fan-out ${r.fanoutMs.toFixed(1)} ms`,
    );
  }
  const row = (peer: string, label: string) => {
    const r = results[peer];
    return [
      label,
      fmt(r.bytesPerSubscriber / 1024, 1),
      `${fmt(r.rssBefore / 2 ** 20, 0)} → ${fmt(r.rssAfter / 2 ** 20, 0)}`,
      r.fanoutMs.toFixed(1),
      peer === "ours"
        ? "1.00× / 1.00×"
        : `${ratio(results.ours.bytesPerSubscriber, r.bytesPerSubscriber)} / ${
          ratio(results.ours.fanoutMs, r.fanoutMs)
        }`,
    ];
  };
  const notes = [
    `The descriptor limit here is ${fmt(limit)} per process (ulimit -n); the server holds one ` +
    `socket per subscriber, the clients are spread over ${processes} processes.`,
  ];
  if (subscribers < (options.subscribers ?? 10_000)) {
    notes.push(`Only ${fmt(subscribers)} subscribers: the descriptor limit allows no more.`);
  }
  return {
    title: `Scale: ${fmt(subscribers)} subscribers on one job`,
    about: `${fmt(subscribers)} SSE subscribers (in ${processes} client processes) on one job ` +
      "in one server process. Memory: resident set after a full GC, before the subscribers " +
      "connect and once all are connected and idle. Fan-out: from log() of one entry to the " +
      "last subscriber receiving it.",
    header: [
      "server",
      "KiB per subscriber",
      "RSS MiB (before → after)",
      "fan-out ms",
      "ours ÷ this (memory / fan-out; below 1: ours better)",
    ],
    rows: [row("ours", "ours"), row("hono", "Hono streamSSE"), row("ceiling", "ceiling")],
    headline: [
      `${fmt(subscribers)} subscribers: ours ${
        fmt(results.ours.bytesPerSubscriber / 1024, 1)
      } KiB each, one entry reaches all in ${results.ours.fanoutMs.toFixed(0)} ms (Hono ${
        fmt(results.hono.bytesPerSubscriber / 1024, 1)
      } KiB, ${results.hono.fanoutMs.toFixed(0)} ms)`,
    ],
    notes,
  };
}

if (import.meta.main) {
  const { markdown } = await import("./support/table.ts");
  console.log(markdown(await run()));
}
