/**
 * A server process for the server benchmarks: one peer (`ours`, `hono` or
 * `bare_batched`) on 127.0.0.1 at a free port, with control routes the
 * orchestrator calls. Prints `{"port":N}` on stdout once listening.
 *
 * - `POST /burst?n=N`: the job logs N entries as fast as it can (yielding to
 *   the event loop every 1,000 so the server can write), then ends.
 * - `POST /rate?perSec=R&ms=D`: logs R entries a second for D ms, each
 *   message carrying its log() time (epoch ms), then ends.
 * - `POST /one`: logs one entry carrying its log() time.
 * - `POST /end`: ends the job.
 * - `GET /rss`: resident memory after a full GC, in bytes.
 * - `GET /memory`: `{ rss, heap }` after a full GC (heap: V8 heap used), in bytes.
 * - `GET /cpu`: `{ us }`, the CPU time this process has used (user + system), in µs.
 *
 * Usage: deno run --allow-net=127.0.0.1 --v8-flags=--expose-gc stream_server.ts <peer> [heartbeatMs]
 */
import process from "node:process";
import { ALL_PEERS, makePeer, type PeerName } from "./peers.ts";

const name = Deno.args[0] as PeerName;
if (!ALL_PEERS.includes(name)) {
  console.error(`usage: stream_server.ts <${ALL_PEERS.join("|")}>`);
  Deno.exit(2);
}
const heartbeatMs = Deno.args[1] === undefined ? undefined : Number(Deno.args[1]);
const peer = makePeer(name, { heartbeatMs });
const now = () => performance.timeOrigin + performance.now();
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

async function burst(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    peer.log(`fetched https://example.com/items/${i} (200 OK)`);
    if (i % 1_000 === 999) {
      peer.flush();
      await tick();
    }
  }
  peer.flush();
  await peer.end();
}

async function rate(perSec: number, ms: number): Promise<number> {
  const start = performance.now();
  const total = Math.floor(perSec * ms / 1000);
  let sent = 0;
  for (let round = 0; round < ms + 1_000 && sent < total; round++) {
    const due = Math.min(total, Math.floor((performance.now() - start) * perSec / 1000));
    for (; sent < due; sent++) peer.log(`at ${now()}`);
    peer.flush();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  peer.flush();
  await peer.end();
  return sent;
}

function rss(): number {
  return memory().rss;
}

function memory(): { rss: number; heap: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) gc?.();
  const { rss, heapUsed } = Deno.memoryUsage();
  return { rss, heap: heapUsed };
}

const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen() {} },
  async (request) => {
    const url = new URL(request.url);
    const q = (key: string) => Number(url.searchParams.get(key));
    switch (`${request.method} ${url.pathname}`) {
      case "POST /burst":
        await burst(q("n"));
        return Response.json({ ok: true });
      case "POST /rate":
        return Response.json({ sent: await rate(q("perSec"), q("ms")) });
      case "POST /one": {
        peer.log(`at ${now()}`);
        peer.flush();
        return Response.json({ ok: true });
      }
      case "POST /end":
        await peer.end();
        return Response.json({ ok: true });
      case "GET /rss":
        return Response.json({ rss: rss() });
      case "GET /memory":
        return Response.json(memory());
      case "GET /cpu": {
        const { user, system } = process.cpuUsage();
        return Response.json({ us: user + system });
      }
      default:
        return peer.handle(request);
    }
  },
);
console.log(JSON.stringify({ port: server.addr.port }));
Deno.addSignalListener("SIGTERM", () => Deno.exit(0));
