/**
 * DynamoDB requests, counted against a real dynalite on 127.0.0.1 (counts,
 * not times):
 *
 * - the writer: 10,000 `log()` calls at 2,000 a second on `DynamoStore`;
 * - readers: R SSE readers of one job in one process while it logs
 *   10 entries a second, on `DynamoStore` (one shared poll per job) beside
 *   per-reader polling (each reader queries from its own cursor every
 *   `pollMs`, as a store without shared reads does), and the writer's
 *   requests over the same minute, its lease included;
 * - one idle reader: Queries per `pollMs`, and chunk items returned twice.
 *
 * Usage: deno run -A bench/dynamo_requests.ts
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createLogHandler, JobLogger, type Store } from "../mod.ts";
import { DynamoStore } from "../dynamo/mod.ts";
import { documentClient, storeSettings } from "../dynamo/client_options.ts";
import { readHistory } from "../dynamo/log_query.ts";
import { sleep as sleepFor } from "../server/sleep.ts";
import { startDynalite } from "../tests/support/dynalite.ts";
import { fmt, ratio, type Section } from "./support/table.ts";

/** Sizes of the run. */
export interface DynamoOptions {
  /** log() calls of the writer case. Default 10,000, at `perSec` (default 2,000) a second. */
  entries?: number;
  perSec?: number;
  /** SSE readers of the readers case. Default 100, for `readSeconds` (default 60) at 10 entries/s. */
  readers?: number;
  readSeconds?: number;
  /** The idle reader is watched this long. Default 20 s. */
  idleSeconds?: number;
}

const POLL_MS = 1_000;
const LEASE_MS = 10_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Requests per operation, items Query returned, and chunk items seen more than once. */
class Tally {
  requests = new Map<string, number>();
  queryItems = 0;
  bytesSent = 0;
  seen = new Set<string>();
  repeated = 0;
  total = () => [...this.requests.values()].reduce((a, b) => a + b, 0);
  get = (op: string) => this.requests.get(op) ?? 0;
  ops = () => [...this.requests].map(([k, v]) => `${k} ${fmt(v)}`).join(", ") || "–";
}

/** A client on dynalite that counts into `tally()`. */
function counting(endpoint: string, tally: () => Tally): DynamoDBClient {
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    maxAttempts: 1,
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const t = tally();
      const name = String(context.commandName ?? "?").replace(/Command$/, "");
      t.requests.set(name, t.get(name) + 1);
      const body = (args.request as { body?: unknown })?.body;
      if (typeof body === "string") t.bytesSent += new TextEncoder().encode(body).length;
      const result = await next(args);
      // The document client's items: plain values (a raw client's would be { N: "..." }).
      const items = (result.output as { Items?: Record<string, unknown>[] }).Items;
      if (name === "Query" && items !== undefined) {
        t.queryItems += items.length;
        for (const item of items) {
          const seq = String((item.seq as { N?: string })?.N ?? item.seq);
          if (seq === String(Number.MAX_SAFE_INTEGER)) continue; // the meta item, in every poll
          const key = `${JSON.stringify(item.jobId)}\n${seq}`;
          if (t.seen.has(key)) t.repeated++;
          t.seen.add(key);
        }
      }
      return result;
    },
    { step: "finalizeRequest", priority: "low", name: "benchCount" },
  );
  return client;
}

/** The writer case on DynamoStore: requests and bytes for `entries` log() calls. */
async function writerOurs(endpoint: string, o: Required<DynamoOptions>) {
  const writes = new Tally();
  const client = counting(endpoint, () => writes);
  using store = new DynamoStore({ table: `bench-w-${Date.now()}`, client });
  const logger = new JobLogger({ store });
  await logger.flush(); // the table and the job's meta item exist
  writes.requests.clear();
  writes.bytesSent = 0;
  const start = performance.now();
  for (let i = 0; i < o.entries;) {
    const due = Math.min(o.entries, Math.floor((performance.now() - start) * o.perSec / 1000));
    for (; i < due; i++) logger.log(`fetched https://example.com/items/${i} (200 OK)`);
    await pause(1);
  }
  await logger.close();
  client.destroy();
  return { logged: o.entries, writes, seconds: (performance.now() - start) / 1000 };
}

/** Per-reader polling: every read queries the table from the reader's cursor; a wait sleeps pollMs. */
function perReaderStore(endpoint: string, table: string, tally: Tally): Store & Disposable {
  const client = counting(endpoint, () => tally);
  const settings = storeSettings({ table, pollMs: POLL_MS });
  const ctx = { doc: documentClient({ table, client }, 10_000).client, settings };
  return {
    create() {},
    append() {},
    close: () => Promise.resolve(),
    read: (jobId, cursor, limit = Infinity) => readHistory(ctx, jobId, cursor, limit),
    wait: (_jobId, _cursor, signal) => sleepFor(POLL_MS, signal),
    [Symbol.dispose]: () => client.destroy(),
  };
}

/** Reads an SSE response to its end; resolves to the number of data lines. */
async function drain(url: string): Promise<number> {
  const response = await fetch(url);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let events = 0;
  let rest = "";
  for (let i = 0; i < 10_000_000; i++) {
    const { done, value } = await reader.read();
    if (done) break;
    const lines = (rest + value).split("\n");
    rest = lines.pop()!;
    events += lines.filter((line) => line.startsWith("data:")).length;
  }
  return events;
}

/** R SSE readers of one job in one process for `readSeconds` at 10 entries/s. */
async function readersCase(endpoint: string, o: Required<DynamoOptions>, shared: boolean) {
  const writes = new Tally();
  const reads = new Tally();
  const writeClient = counting(endpoint, () => writes);
  const table = `bench-r-${shared ? "shared" : "each"}-${Date.now()}`;
  using writer = new DynamoStore({ table, client: writeClient, leaseMs: LEASE_MS });
  const logger = new JobLogger({ store: writer });
  await logger.flush();
  const readClient = counting(endpoint, () => reads);
  using store = shared
    ? new DynamoStore({ table, client: readClient, pollMs: POLL_MS, createTable: false })
    : perReaderStore(endpoint, table, reads);
  const handler = createLogHandler({ prefix: "/log", store, heartbeatMs: 5_000 });
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => (await handler(request)) ?? new Response("no", { status: 404 }),
  );
  const url = `http://127.0.0.1:${server.addr.port}/log/${logger.jobId}/stream`;
  writes.requests.clear();
  const readers = Array.from({ length: o.readers }, () => drain(url));
  const total = o.readSeconds * 10;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    logger.log(`entry ${i}`);
    await pause(Math.max(0, start + (i + 1) * 100 - performance.now()));
  }
  await logger.close();
  const counts = await Promise.all(readers);
  if (counts.some((n) => n !== total + 1)) throw new Error(`a reader missed entries: ${counts}`);
  readClient.destroy();
  writeClient.destroy();
  return { reads, writes, seconds: (performance.now() - start) / 1000 };
}

/** One SSE reader of an idle job for `idleSeconds`: Queries and chunk items returned twice. */
async function idleCase(endpoint: string, o: Required<DynamoOptions>) {
  const reads = new Tally();
  const table = `bench-idle-${Date.now()}`;
  using writer = new DynamoStore({
    table,
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "b", secretAccessKey: "b" },
  });
  const logger = new JobLogger({ store: writer });
  for (let i = 0; i < 300; i++) logger.log(`entry ${i}`);
  await logger.flush();
  const readClient = counting(endpoint, () => reads);
  using store = new DynamoStore({ table, client: readClient, pollMs: POLL_MS, createTable: false });
  const handler = createLogHandler({ prefix: "/log", store, heartbeatMs: 5_000 });
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => (await handler(request)) ?? new Response("no", { status: 404 }),
  );
  const reader = drain(`http://127.0.0.1:${server.addr.port}/log/${logger.jobId}/stream`);
  await pause(o.idleSeconds * 1000);
  const queries = reads.get("Query");
  await logger.close();
  await reader;
  readClient.destroy();
  return { queries, repeated: reads.repeated };
}

/** Starts dynalite, runs every case, returns the table. */
export async function run(options: DynamoOptions = {}): Promise<Section> {
  const o: Required<DynamoOptions> = {
    entries: 10_000,
    perSec: 2_000,
    readers: 100,
    readSeconds: 60,
    idleSeconds: 20,
    ...options,
  };
  await using dynalite = await startDynalite();
  const { endpoint } = dynalite;
  const warn = console.warn;
  console.warn = () => {}; // dynalite cannot turn TTL on: the store says so once per table
  try {
    const a = await writerOurs(endpoint, o);
    const shared = await readersCase(endpoint, o, true);
    const each = await readersCase(endpoint, o, false);
    const idle = await idleCase(endpoint, o);
    const polls = o.readSeconds * 1000 / POLL_MS;
    const perMin = (n: number, s: number) => fmt(n * 60 / s);
    const renewals = shared.writes.get("UpdateItem") - 1; // minus the close
    const q = (t: Tally) => t.get("Query");
    return {
      title: "DynamoDB: requests per job, per reader and per minute",
      about: `Counted requests against dynalite on 127.0.0.1 (not times); pollMs ${POLL_MS}, ` +
        `leaseMs ${LEASE_MS}. Readers: ${o.readers} SSE readers of one job in one process for ` +
        `${o.readSeconds} s while it logs 10 entries/s.`,
      header: ["case", "design", "requests", "items read", "per minute"],
      rows: [
        [
          `writer: ${fmt(o.entries)} log() at ${fmt(o.perSec)}/s`,
          "DynamoStore",
          `${fmt(a.writes.total())} (${a.writes.ops()})`,
          "–",
          perMin(a.writes.total(), a.seconds),
        ],
        [
          `${o.readers} readers, ${o.readSeconds} s`,
          "DynamoStore (one shared poll per job)",
          `Query ${fmt(q(shared.reads))} (limit 1.1 × ${fmt(polls)} = ${fmt(1.1 * polls)})`,
          fmt(shared.reads.queryItems),
          perMin(q(shared.reads), shared.seconds),
        ],
        [
          `${o.readers} readers, ${o.readSeconds} s`,
          "per-reader polling",
          `Query ${fmt(q(each.reads))}`,
          fmt(each.reads.queryItems),
          perMin(q(each.reads), each.seconds),
        ],
        [
          `the writer over the same ${o.readSeconds} s`,
          "DynamoStore",
          `${fmt(shared.writes.total())} (${shared.writes.ops()})`,
          "–",
          perMin(shared.writes.total(), shared.seconds),
        ],
        [
          "lease, per job-hour",
          "DynamoStore",
          `UpdateItem ${fmt(renewals)} in ${fmt(shared.seconds)} s → ${
            fmt(renewals * 3600 / shared.seconds)
          } per hour (3,600 s ÷ leaseMs = ${fmt(3_600_000 / LEASE_MS)})`,
          "–",
          perMin(renewals, shared.seconds),
        ],
        [
          `1 idle reader, ${o.idleSeconds} s`,
          "DynamoStore",
          `Query ${fmt(idle.queries)} (${fmt(o.idleSeconds * 1000 / POLL_MS)} poll intervals)`,
          `chunk items returned twice: ${idle.repeated}`,
          perMin(idle.queries, o.idleSeconds),
        ],
      ],
      notes: [
        "Per-reader polling is the same table read by a store without shared reads: each SSE " +
        "reader reads from its own cursor (one Query) whenever it wakes, and waits pollMs " +
        "between reads.",
        `Shared: ${ratio(q(shared.reads), q(each.reads))} the Queries of per-reader polling. ` +
        "Every poll also returns the job's meta item (about 200 bytes): it carries the lease and the end.",
      ],
      headline: [
        `DynamoDB: ${fmt(o.entries)} log() cost ${fmt(a.writes.total())} write requests; ` +
        `${o.readers} SSE readers of one job cost ${fmt(q(shared.reads))} Queries in ` +
        `${o.readSeconds} s (per-reader polling ${fmt(q(each.reads))})`,
      ],
    };
  } finally {
    console.warn = warn;
  }
}

if (import.meta.main) {
  const { markdown } = await import("./support/table.ts");
  console.log(markdown(await run()));
}
