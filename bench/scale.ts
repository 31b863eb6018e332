/**
 * Scale: 10,000 concurrent SSE subscribers on one job in one server process,
 * the clients spread over 4 client processes (each process stays far below
 * the 20,000-descriptor limit; the server holds 10,000 sockets). For ours,
 * Hono and a bare `Deno.serve` stream, each with a heartbeat every 5 s:
 *
 * - the JS heap and resident memory per connected, idle subscriber;
 * - the CPU the server uses while every subscriber is idle (heartbeats only);
 * - the time for one entry to reach all of them.
 *
 * Usage: deno run -A bench/scale.ts [subscribers] [idle window ms]
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
  /** How long every subscriber stays idle while the server's CPU time is measured, in ms. Default 15,000. */
  idleMs?: number;
  /** The heartbeat of every peer, in ms. Default 5,000 (the handler's default). */
  heartbeatMs?: number;
}

interface Memory {
  rss: number;
  heap: number;
}

interface ScaleResult {
  bytesPerSubscriber: number;
  heapPerSubscriber: number;
  /** CPU time ÷ wall time while every subscriber is idle: the share of one core. */
  idleCores: number;
  fanoutMs: number;
  before: Memory;
  after: Memory;
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
  idleMs = 15_000,
  heartbeatMs = 5_000,
): Promise<ScaleResult> {
  await using server = JsonProcess.deno(SERVER, SERVER_FLAGS, [peer, String(heartbeatMs)]);
  const { port } = await server.next<{ port: number }>(20_000);
  const path = peer === "ours" ? "/log/bench/stream" : `/${peer}/bench`;
  const before = await control<Memory>(port, "/memory", "GET");
  const deadlineMs = 120_000 + idleMs;
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
    const after = await control<Memory>(port, "/memory", "GET");
    const cpuBefore = await control<{ us: number }>(port, "/cpu", "GET");
    const idleStart = performance.now();
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const cpuAfter = await control<{ us: number }>(port, "/cpu", "GET");
    const idleCores = (cpuAfter.us - cpuBefore.us) / 1000 / (performance.now() - idleStart);
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
      bytesPerSubscriber: (after.rss - before.rss) / subscribers,
      heapPerSubscriber: (after.heap - before.heap) / subscribers,
      idleCores,
      fanoutMs: reached - sent,
      before,
      after,
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
  const wanted = options.subscribers ?? 10_000;
  const subscribers = Math.min(wanted, possible);
  const processes = options.processes ?? 4;
  const idleMs = options.idleMs ?? 15_000;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const results: Record<string, ScaleResult> = {};
  for (const peer of PEERS) {
    results[peer] = await measure(peer, subscribers, processes, idleMs, heartbeatMs);
    const r = results[peer];
    console.error(
      `  scale ${peer}: ${fmt(r.heapPerSubscriber / 1024, 2)} KiB heap/subscriber, ` +
        `${fmt(r.bytesPerSubscriber / 1024, 1)} KiB RSS/subscriber, idle ${
          r.idleCores.toFixed(3)
        } cores, fan-out ${r.fanoutMs.toFixed(1)} ms`,
    );
  }
  const ours = results.ours;
  const bare = results.bare_batched;
  const row = (peer: string, label: string) => {
    const r = results[peer];
    return [
      label,
      fmt(r.heapPerSubscriber / 1024, 2),
      fmt(r.bytesPerSubscriber / 1024, 1),
      `${fmt(r.before.rss / 2 ** 20, 0)} → ${fmt(r.after.rss / 2 ** 20, 0)}`,
      r.idleCores.toFixed(3),
      r.fanoutMs.toFixed(1),
      peer === "ours"
        ? "1.00× / 1.00× / 1.00×"
        : `${ratio(ours.heapPerSubscriber, r.heapPerSubscriber)} / ${
          ratio(ours.idleCores, r.idleCores)
        } / ${ratio(ours.fanoutMs, r.fanoutMs)}`,
    ];
  };
  const notes = [
    `The descriptor limit here is ${fmt(limit)} per process (ulimit -n); the server holds one ` +
    `socket per subscriber, the clients are spread over ${processes} processes.`,
    `Idle CPU: the server process's user + system CPU time over ${fmt(idleMs)} ms with every ` +
    `subscriber connected and nothing logged (each peer sends a heartbeat every ${
      fmt(heartbeatMs)
    } ms), divided by the wall time: 1.000 is one core.`,
  ];
  notes.push(
    "Ours leaves `request.signal` unread on Deno's own server (it cancels the body when the " +
      "client leaves); elsewhere it reads the signal, so a Node bridge that only aborts it " +
      "stops the stream at once.",
  );
  if (subscribers < wanted) {
    notes.push(`Only ${fmt(subscribers)} subscribers: the descriptor limit allows no more.`);
  }
  return {
    title: `Scale: ${fmt(subscribers)} subscribers on one job`,
    about: `${fmt(subscribers)} SSE subscribers (in ${processes} client processes) on one job ` +
      "in one server process. Memory: the V8 heap and the resident set after a full GC, before " +
      "the subscribers connect and once all are connected and idle. Idle CPU: the server's CPU " +
      "while they stay idle. Fan-out: from log() of one entry to the last subscriber receiving it.",
    header: [
      "server",
      "heap KiB per subscriber",
      "RSS KiB per subscriber",
      "RSS MiB (before → after)",
      "idle CPU (cores)",
      "fan-out ms",
      "ours ÷ this (heap / idle CPU / fan-out; below 1: ours better)",
    ],
    rows: [
      row("ours", "ours"),
      row("hono", "Hono, documented (await writeSSE per event)"),
      row("bare_batched", "bare Deno.serve stream, batched"),
    ],
    headline: [
      `${fmt(subscribers)} idle subscribers: ours uses ${
        ours.idleCores.toFixed(3)
      } of a core (bare Deno.serve stream ${bare.idleCores.toFixed(3)}), ${
        fmt(ours.heapPerSubscriber / 1024, 2)
      } KiB of heap each (${
        ratio(ours.heapPerSubscriber, bare.heapPerSubscriber)
      } the bare stream's); one entry reaches all in ${ours.fanoutMs.toFixed(0)} ms (${
        ratio(ours.fanoutMs, bare.fanoutMs)
      } the bare stream's)`,
    ],
    notes,
  };
}

if (import.meta.main) {
  const { markdown } = await import("./support/table.ts");
  const [subscribers, idleMs] = Deno.args.map(Number);
  console.log(markdown(await run({ subscribers, idleMs })));
}
