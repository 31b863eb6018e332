/**
 * The SSE servers the server benchmarks run side by side, each streaming one
 * job ("bench") to its subscribers. All send `retry: 1000`, then `id: N` +
 * `data: {json}` per entry with the same JSON, then `data: {"event":"done"}`,
 * and close.
 *
 * - `ours`: `JobLogger` + `MemoryStore` + `createLogHandler`, as a user wires them.
 * - `hono`: Hono's documented idiom, `streamSSE` with `await stream.writeSSE`
 *   in a loop, one call per event (https://hono.dev/docs/helpers/streaming).
 * - `hono_batched`: the same loop writing every pending event in one
 *   `await stream.write`.
 * - `bare_per_event`: a bare `ReadableStream` per subscriber, one chunk per
 *   event (each event encoded once, shared by every subscriber).
 * - `bare_batched`: a bare `ReadableStream` per subscriber handing over bytes
 *   encoded once per batch and shared by every subscriber: no store, no
 *   per-subscriber work.
 * - `push_limit`: what this process can push at all: on `end()` it sends the
 *   same number of events as pre-encoded blocks of 4,096 events, so a client
 *   counts them like any other peer. It is the denominator of "fraction of
 *   the push limit".
 */
import { Hono } from "hono";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import { createLogHandler, JobLogger, MemoryStore } from "../../mod.ts";

/** One of the servers under test. */
export interface Peer {
  /** The path a subscriber GETs. */
  readonly path: string;
  /** Answers a subscriber's request (or anything else, with 404). */
  handle(request: Request): Response | Promise<Response>;
  /** The job logs one entry. */
  log(message: string): void;
  /** Publishes what was logged since the last flush (only the batched bare stream batches). */
  flush(): void;
  /** The job ends: subscribers get the rest, then done. */
  end(): Promise<void>;
}

/** The peers of the fan-out and memory tables (bench/scale.ts). */
export const PEERS = ["ours", "hono", "bare_batched"] as const;
/** The peers of the burst and latency tables, in the order they list them. */
export const STREAM_PEERS = [
  "ours",
  "hono",
  "hono_batched",
  "bare_per_event",
  "bare_batched",
] as const;
/** Every server `makePeer` makes. */
export const ALL_PEERS = [...STREAM_PEERS, "push_limit"] as const;
/** One of {@linkcode ALL_PEERS}. */
export type PeerName = typeof ALL_PEERS[number];

/** What the tables call each peer. */
export const PEER_LABELS: Record<PeerName, string> = {
  ours: "ours",
  hono: "Hono, documented (await writeSSE per event)",
  hono_batched: "Hono, one write per batch",
  bare_per_event: "bare stream, one chunk per event",
  bare_batched: "bare stream, batched",
  push_limit: "push limit (pre-encoded blocks)",
};

const JOB = "bench";
const DONE = '{"event":"done"}';
const encoder = new TextEncoder();

/** The entry JSON every peer sends, byte for byte what `JobLogger.log` writes. */
function entryJson(message: string, startT: number): string {
  const t = Math.round(performance.now() - startT) / 1000;
  return `{"event":"log","message":${JSON.stringify(message)},"level":"info","t":${t}}`;
}

/** Options of {@linkcode makePeer}. */
export interface PeerOptions {
  /** Idle ms before a `: ping` heartbeat comment; default: ours 5,000, the others none. */
  heartbeatMs?: number;
}

/** Makes the named peer, with a job ready for subscribers. */
export function makePeer(name: PeerName, options: PeerOptions = {}): Peer {
  const { heartbeatMs } = options;
  switch (name) {
    case "ours":
      return ours(heartbeatMs);
    case "hono":
      return hono(name, false, heartbeatMs);
    case "hono_batched":
      return hono(name, true, heartbeatMs);
    case "bare_per_event":
      return bare(name, false, heartbeatMs);
    case "bare_batched":
      return bare(name, true, heartbeatMs);
    case "push_limit":
      return pushLimit();
  }
  throw new TypeError(`makePeer: name must be one of ${ALL_PEERS.join(", ")}; got ${name}`);
}

/** The job's events as the non-ours peers keep them, and a way to wait for more. */
class Feed {
  /** `{ id, json }` of each entry, in order. */
  readonly entries: { id: number; json: string }[] = [];
  ended = false;
  #waiters: (() => void)[] = [];
  readonly #startT = performance.now();

  log(message: string) {
    this.entries.push({ id: this.entries.length, json: entryJson(message, this.#startT) });
  }
  wake() {
    const woken = this.#waiters;
    this.#waiters = [];
    for (const w of woken) w();
  }
  /** Resolves at the next flush or end. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

function ours(heartbeatMs: number | undefined): Peer {
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

/**
 * Hono as its docs show it: `streamSSE`, and in the callback a loop that
 * awaits `stream.writeSSE` for each event (or, batched, one `stream.write`
 * of every pending event).
 */
function hono(name: PeerName, batched: boolean, heartbeatMs: number | undefined): Peer {
  const feed = new Feed();
  const path = `/${name}/${JOB}`;
  const app = new Hono();
  const loop = async (stream: SSEStreamingApi) => {
    let cursor = 0;
    let aborted = false;
    stream.onAbort(() => {
      aborted = true;
      feed.wake();
    });
    await stream.write("retry: 1000\n\n");
    const beat = heartbeatMs === undefined
      ? undefined
      : setInterval(() => stream.write(": ping\n"), heartbeatMs);
    try {
      for (let i = 0; i < 100_000_000 && !aborted; i++) {
        if (cursor < feed.entries.length) {
          if (batched) {
            let text = "";
            for (; cursor < feed.entries.length; cursor++) {
              const { id, json } = feed.entries[cursor];
              text += `id: ${id}\ndata: ${json}\n\n`;
            }
            await stream.write(text);
          } else {
            const { id, json } = feed.entries[cursor++];
            await stream.writeSSE({ data: json, id: String(id) });
          }
        } else if (feed.ended) {
          await stream.writeSSE({ data: DONE });
          return;
        } else {
          await feed.changed();
        }
      }
    } finally {
      clearInterval(beat);
    }
  };
  app.get(path, (c) => streamSSE(c, loop));
  return {
    path,
    handle: (request) => app.fetch(request),
    log: (message) => feed.log(message),
    flush: () => feed.wake(),
    end: () => {
      feed.ended = true;
      feed.wake();
      return Promise.resolve();
    },
  };
}

/**
 * A bare `ReadableStream` per subscriber. Batched: the bytes of each flush,
 * encoded once and shared by every subscriber. Per event: each event's bytes,
 * encoded once and shared, one chunk per event.
 */
function bare(name: PeerName, batched: boolean, heartbeatMs: number | undefined): Peer {
  const feed = new Feed();
  const chunks: Uint8Array[] = [encoder.encode("retry: 1000\n\n")];
  let encoded = 0;
  const publish = () => {
    if (batched) {
      let text = "";
      for (; encoded < feed.entries.length; encoded++) {
        const { id, json } = feed.entries[encoded];
        text += `id: ${id}\ndata: ${json}\n\n`;
      }
      if (text !== "") chunks.push(encoder.encode(text));
    } else {
      for (; encoded < feed.entries.length; encoded++) {
        const { id, json } = feed.entries[encoded];
        chunks.push(encoder.encode(`id: ${id}\ndata: ${json}\n\n`));
      }
    }
    feed.wake();
  };
  return {
    path: `/${name}/${JOB}`,
    handle: (request) => {
      if (new URL(request.url).pathname !== `/${name}/${JOB}`) {
        return new Response("not found", { status: 404 });
      }
      return streamChunks(chunks, feed, heartbeatMs);
    },
    log: (message) => feed.log(message),
    flush: publish,
    end: () => {
      publish();
      chunks.push(encoder.encode(`data: ${DONE}\n\n`));
      feed.ended = true;
      feed.wake();
      return Promise.resolve();
    },
  };
}

/**
 * The push limit: `log()` only counts; `end()` makes the same number of
 * events as blocks of 4,096 identical pre-encoded events and streams them.
 */
function pushLimit(): Peer {
  const feed = new Feed();
  const chunks: Uint8Array[] = [encoder.encode("retry: 1000\n\n")];
  let count = 0;
  const BLOCK = 4_096;
  return {
    path: `/push_limit/${JOB}`,
    handle: (request) => {
      if (new URL(request.url).pathname !== `/push_limit/${JOB}`) {
        return new Response("not found", { status: 404 });
      }
      return streamChunks(chunks, feed);
    },
    log: () => {
      count++;
    },
    flush: () => {},
    end: () => {
      const one = `id: 0\ndata: ${
        entryJson("fetched https://example.com/items/0 (200 OK)", 0)
      }\n\n`;
      const block = encoder.encode(one.repeat(BLOCK));
      for (let i = 0; i < Math.floor(count / BLOCK); i++) chunks.push(block);
      chunks.push(encoder.encode(one.repeat(count % BLOCK) + `data: ${DONE}\n\n`));
      feed.ended = true;
      feed.wake();
      return Promise.resolve();
    },
  };
}

/**
 * A response streaming `chunks` (shared, appended to) until `feed` has ended;
 * with `heartbeatMs`, a `: ping` comment after that long with nothing sent
 * (one timer per subscriber).
 */
function streamChunks(chunks: Uint8Array[], feed: Feed, heartbeatMs?: number): Response {
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
        if (feed.ended) {
          clearTimeout(timer);
          return controller.close();
        }
        await feed.changed();
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
}
