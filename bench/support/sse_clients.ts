/**
 * A client process for the server benchmarks: opens `count` SSE subscribers
 * over raw HTTP/1.0 on 127.0.0.1 (no chunked encoding to undo, and cheaper
 * than `fetch`, so the clients take
 * as little of the 2 cores as possible), prints `{"ready":N}` once every
 * subscriber has its response headers, reads every stream to its end, then
 * prints one JSON line of results and exits.
 *
 * Modes: `count` counts frames; `latency` also parses every entry's message
 * (`at <epoch ms>`, written at log() time) and keeps receipt − log time;
 * `first` keeps that only for the first entry of each subscriber.
 *
 * Usage: deno run --allow-net=127.0.0.1 sse_clients.ts '{"port":1,"path":"/x","count":10,
 *   "mode":"count","deadlineMs":60000}'
 */

/** What the orchestrator passes as the one argument (JSON). */
export interface ClientOptions {
  port: number;
  path: string;
  count: number;
  mode: "count" | "latency" | "first";
  deadlineMs: number;
  /** Connections opened at once. Default 100. */
  concurrency?: number;
}

/** The last line the process prints. */
export interface ClientResult {
  /** Subscribers that read their stream to the end with status 200. */
  completed: number;
  /** Frames (`…\n\n`) per subscriber: the fewest and the most. */
  minFrames: number;
  maxFrames: number;
  /** Events (`data:` lines) per subscriber: the fewest and the most. */
  minEvents: number;
  maxEvents: number;
  /** Body bytes read, all subscribers. */
  bytes: number;
  /** Epoch ms when the last subscriber saw its stream end. */
  endAt: number;
  /** `latency`: sorted receipt − log() ms, sampled (at most 1,000,000 kept). */
  p50?: number;
  p99?: number;
  max?: number;
  samples?: number;
  /** `first`: epoch ms when the last subscriber received the first entry. */
  firstAllAt?: number;
  /** `first`: the first entry's log() time (epoch ms). */
  firstSentAt?: number;
  error?: string;
}

const now = () => performance.timeOrigin + performance.now();
const LF = 10;
const MARK = '"message":"at ';
const DATA = new TextEncoder().encode("data:");

function startsData(bytes: Uint8Array, at: number): boolean {
  for (let k = 0; k < DATA.length; k++) if (bytes[at + k] !== DATA[k]) return false;
  return true;
}

interface Sub {
  frames: number;
  /** `data:` lines (each event has one; entries are single-line JSON). */
  events: number;
  bytes: number;
  ok: boolean;
  firstAt?: number;
  firstSent?: number;
}

const options: ClientOptions = JSON.parse(Deno.args[0]);
const open = new Set<Deno.Conn>();
const latencies: number[] = [];
let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  for (const conn of open) {
    try {
      conn.close();
    } catch { /* already closed */ }
  }
}, options.deadlineMs);

async function subscribe(onHeaders: () => void): Promise<Sub> {
  const sub: Sub = { frames: 0, events: 0, bytes: 0, ok: false };
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: options.port });
  open.add(conn);
  try {
    await conn.write(
      new TextEncoder().encode(
        `GET ${options.path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n` +
          `Connection: close\r\n\r\n`,
      ),
    );
    const buf = new Uint8Array(64 * 1024);
    const decoder = new TextDecoder();
    let head = "";
    let inBody = false;
    let prev = 0;
    /** The last bytes of the previous read, for a `\ndata:` cut by a read boundary. */
    let tail = new Uint8Array(0);
    let carry = "";
    const parse = options.mode !== "count";
    for (let reads = 0; reads < 10_000_000; reads++) {
      const n = await conn.read(buf);
      if (n === null) break;
      let view = buf.subarray(0, n);
      if (!inBody) {
        head += new TextDecoder("latin1").decode(view);
        const cut = head.indexOf("\r\n\r\n");
        if (cut < 0) continue;
        if (!/^HTTP\/1\.[01] 200/.test(head)) throw new Error(head.split("\r\n")[0]);
        inBody = true;
        onHeaders();
        const bodyStart = n - (head.length - cut - 4);
        view = view.subarray(bodyStart);
      }
      sub.bytes += view.length;
      for (let i = view.indexOf(LF); i >= 0; i = view.indexOf(LF, i + 1)) {
        if ((i > 0 ? view[i - 1] : prev) === LF) sub.frames++;
        if (i + DATA.length < view.length && startsData(view, i + 1)) sub.events++;
      }
      if (tail.length > 0) {
        const joint = new Uint8Array(tail.length + Math.min(view.length, DATA.length));
        joint.set(tail);
        joint.set(view.subarray(0, DATA.length), tail.length);
        for (let i = 0; i < tail.length; i++) {
          if (joint[i] === LF && i + DATA.length < joint.length && startsData(joint, i + 1)) {
            sub.events++;
          }
        }
      }
      if (view.length > 0) prev = view[view.length - 1];
      tail = view.slice(Math.max(0, view.length - DATA.length));
      if (parse && (options.mode === "latency" || sub.firstAt === undefined)) {
        const at = now();
        const text = carry + decoder.decode(view, { stream: true });
        const end = text.lastIndexOf("\n\n");
        carry = end < 0 ? text : text.slice(end + 2);
        for (let k = text.indexOf(MARK); k >= 0 && k < end; k = text.indexOf(MARK, k + 1)) {
          const sent = parseFloat(text.slice(k + MARK.length, k + MARK.length + 24));
          if (options.mode === "first") {
            sub.firstAt = at;
            sub.firstSent = sent;
            break;
          }
          if (latencies.length < 1_000_000) latencies.push(at - sent);
        }
      }
    }
    sub.ok = inBody && !timedOut;
  } finally {
    open.delete(conn);
    try {
      conn.close();
    } catch { /* closed by the deadline */ }
  }
  return sub;
}

let ready = 0;
const onHeaders = () => {
  if (++ready === options.count) console.log(JSON.stringify({ ready }));
};
const concurrency = options.concurrency ?? 100;
const subs: Promise<Sub>[] = [];
let error: string | undefined;
for (let i = 0; i < options.count; i += concurrency) {
  const batch: Promise<Sub>[] = [];
  for (let j = i; j < Math.min(options.count, i + concurrency); j++) {
    batch.push(subscribe(onHeaders));
  }
  subs.push(...batch);
  // wait until this batch is connected before opening the next one
  await Promise.race([
    Promise.allSettled(batch.map((p) => p.catch(() => {}))),
    new Promise((resolve) => setTimeout(resolve, 50)),
  ]);
}
const settled = await Promise.allSettled(subs);
clearTimeout(timer);
const done = settled.flatMap((s) => s.status === "fulfilled" ? [s.value] : []);
for (const s of settled) if (s.status === "rejected") error ??= String(s.reason);
const frames = done.map((s) => s.frames);
const result: ClientResult = {
  completed: done.filter((s) => s.ok).length,
  minFrames: Math.min(...frames),
  maxFrames: Math.max(...frames),
  minEvents: Math.min(...done.map((s) => s.events)),
  maxEvents: Math.max(...done.map((s) => s.events)),
  bytes: done.reduce((sum, s) => sum + s.bytes, 0),
  endAt: now(),
  error: timedOut ? `deadline of ${options.deadlineMs} ms passed` : error,
};
if (options.mode === "latency" && latencies.length > 0) {
  latencies.sort((a, b) => a - b);
  const pick = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  Object.assign(result, {
    p50: pick(0.5),
    p99: pick(0.99),
    max: latencies[latencies.length - 1],
    samples: latencies.length,
  });
}
if (options.mode === "first") {
  const firsts = done.filter((s) => s.firstAt !== undefined);
  result.firstAllAt = Math.max(...firsts.map((s) => s.firstAt!));
  result.firstSentAt = Math.min(...firsts.map((s) => s.firstSent!));
  if (firsts.length < done.length) result.error ??= `${done.length - firsts.length} saw no entry`;
}
console.log(JSON.stringify(result));
