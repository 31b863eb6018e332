/**
 * The three SSE servers every server benchmark runs side by side, each
 * streaming one job ("bench") to its subscribers:
 *
 * - `ours`: `JobLogger` + `MemoryStore` + `createLogHandler`, as a user wires them.
 * - `hono`: Hono's `streamSSE`, fed by an `EventTarget` with one `writeSSE`
 *   per event: what a user would write instead of Streamator.
 * - `ceiling`: a bare `Deno.serve` stream: a `ReadableStream` per subscriber
 *   handing over bytes encoded once per batch and shared by every subscriber:
 *   no store, no per-subscriber encoding, the most a Deno server can do.
 *
 * All three send `retry: 1000`, then `data: {json}` + `id: N` per entry with
 * the same JSON, then `data: {"event":"done"}`, and close. With
 * `heartbeatMs`, each also sends a `: ping` comment on a subscriber idle
 * that long, with one timer per subscriber (ours as configured; the others
 * the simplest way each can).
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { createLogHandler, JobLogger, MemoryStore } from "../../mod.ts";

/** One of the servers under test. */
export interface Peer {
  /** The path a subscriber GETs. */
  readonly path: string;
  /** Answers a subscriber's request (or anything else, with 404). */
  handle(request: Request): Response | Promise<Response>;
  /** The job logs one entry. */
  log(message: string): void;
  /** Publishes what was logged since the last flush (only the ceiling batches). */
  flush(): void;
  /** The job ends: subscribers get the rest, then done. */
  end(): Promise<void>;
}

/** The names of the peers, in the order tables list them. */
export const PEERS = ["ours", "hono", "ceiling"] as const;
/** One of {@linkcode PEERS}. */
export type PeerName = typeof PEERS[number];

const JOB = "bench";
const DONE = '{"event":"done"}';
const encoder = new TextEncoder();

/** The entry JSON every peer sends, byte for byte what `JobLogger.log` writes. */
function entryJson(message: string, startT: number): string {
  const t = Math.round(performance.now() - startT) / 1000;
  return `{"event":"log","message":${JSON.stringify(message)},"level":"info","t":${t}}`;
}

/** Options every peer takes. */
export interface PeerOptions {
  /** Idle ms before a heartbeat comment; default: ours 5,000, the others none. */
  heartbeatMs?: number;
}

/** Makes the named peer, with a job ready for subscribers. */
export function makePeer(name: PeerName, options: PeerOptions = {}): Peer {
  if (name === "ours") return ours(options);
  if (name === "hono") return hono(options);
  if (name === "ceiling") return ceiling(options);
  throw new TypeError(`makePeer: name must be one of ${PEERS.join(", ")}; got ${name}`);
}

function ours({ heartbeatMs }: PeerOptions): Peer {
  // The default maxEntries (100,000) would let a 200,000-entry burst outrun a
  // slow reader; the bench keeps every entry so all peers deliver the same.
  const store = new MemoryStore({ maxEntries: 262_144 });
  const handler = createLogHandler({ store, prefix: "/log", heartbeatMs });
  const logger = new JobLogger({ store, jobId: JOB });
  return {
    path: `/log/${JOB}/stream`,
    handle: async (request) =>
      (await handler(request)) ?? new Response("not found", { status: 404 }),
    log: (message) => logger.log(message),
    flush: () => {},
    end: () => logger.close(),
  };
}

function hono({ heartbeatMs }: PeerOptions): Peer {
  const target = new EventTarget();
  const startT = performance.now();
  let next = 0;
  const app = new Hono();
  app.get(`/hono/${JOB}`, (c) =>
    streamSSE(c, async (stream) => {
      await stream.write("retry: 1000\n\n");
      const beat = heartbeatMs === undefined
        ? undefined
        : setInterval(() => stream.write(": ping\n"), heartbeatMs);
      await new Promise<void>((resolve) => {
        const onLog = (event: Event) => {
          const { json, id } = (event as CustomEvent<{ json: string; id: number }>).detail;
          stream.writeSSE({ data: json, id: String(id) });
        };
        const stop = () => {
          clearInterval(beat);
          target.removeEventListener("log", onLog);
          target.removeEventListener("done", onDone);
          resolve();
        };
        const onDone = async () => {
          await stream.writeSSE({ data: DONE });
          stop();
        };
        target.addEventListener("log", onLog);
        target.addEventListener("done", onDone);
        stream.onAbort(stop);
      });
    }));
  return {
    path: `/hono/${JOB}`,
    handle: (request) => app.fetch(request),
    log: (message) => {
      const detail = { json: entryJson(message, startT), id: next++ };
      target.dispatchEvent(new CustomEvent("log", { detail }));
    },
    flush: () => {},
    end: () => {
      target.dispatchEvent(new Event("done"));
      return Promise.resolve();
    },
  };
}

function ceiling({ heartbeatMs }: PeerOptions): Peer {
  const startT = performance.now();
  const chunks: Uint8Array[] = [encoder.encode("retry: 1000\n\n")];
  let pending = "";
  let next = 0;
  let ended = false;
  let waiters: (() => void)[] = [];
  const wake = () => {
    const woken = waiters;
    waiters = [];
    for (const w of woken) w();
  };
  const flush = () => {
    if (pending === "") return;
    chunks.push(encoder.encode(pending));
    pending = "";
    wake();
  };
  return {
    path: `/ceiling/${JOB}`,
    handle: (request) => {
      if (new URL(request.url).pathname !== `/ceiling/${JOB}`) {
        return new Response("not found", { status: 404 });
      }
      let cursor = 0;
      let cancelled = false;
      let sentAt = Date.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          if (heartbeatMs === undefined) return;
          const beat = () => {
            const idle = Date.now() - sentAt;
            if (idle < heartbeatMs) return void (timer = setTimeout(beat, heartbeatMs - idle));
            controller.enqueue(encoder.encode(": ping\n"));
            sentAt = Date.now();
            timer = setTimeout(beat, heartbeatMs);
          };
          timer = setTimeout(beat, heartbeatMs);
        },
        async pull(controller) {
          for (let i = 0; i < 1_000_000 && !cancelled; i++) {
            if (cursor < chunks.length) {
              sentAt = Date.now();
              return controller.enqueue(chunks[cursor++]);
            }
            if (ended) {
              clearTimeout(timer);
              return controller.close();
            }
            await new Promise<void>((resolve) => waiters.push(resolve));
          }
        },
        cancel() {
          cancelled = true;
          clearTimeout(timer);
        },
      }, { highWaterMark: 1 });
      return new Response(body, {
        headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" },
      });
    },
    log: (message) => {
      pending += `data: ${entryJson(message, startT)}\nid: ${next++}\n\n`;
    },
    flush,
    end: () => {
      pending += `data: ${DONE}\n\n`;
      flush();
      ended = true;
      wake();
      return Promise.resolve();
    },
  };
}
