/**
 * DynamoDB requests and bytes for 10,000 `log()` calls, against a real
 * dynalite on 127.0.0.1: our `DynamoStore` (immutable chunk items written in
 * the background) beside the seed's design, implemented here for the
 * comparison (each `log()` reads the job's whole item, appends the entry and
 * writes the item back). A poller follows each job every 250 ms, as
 * `GET /log/{jobId}?from=N` would: ours queries the new chunks from its
 * cursor, the seed's design reads the whole item.
 *
 * The modules of `dynamo/` and the AWS SDK are loaded at run time, so this
 * file type-checks on a branch without them and says so when run.
 *
 * Usage: deno run -A bench/dynamo_requests.ts
 */
import { fmt, ratio, type Section } from "./support/table.ts";

/** Sizes of the run. */
export interface DynamoOptions {
  entries?: number;
  /** log() calls per second. Default 2,000. */
  perSec?: number;
  /** How often the poller reads, in ms. Default 250. */
  pollMs?: number;
  /** The seed's design is stopped after this many ms. Default 30,000 (keeps the run under 10 minutes). */
  seedDeadlineMs?: number;
}

interface Tally {
  requests: Map<string, number>;
  bytesSent: number;
  itemBytesRead: number;
}

interface DesignResult {
  logged: number;
  seconds: number;
  writes: Tally;
  reads: Tally;
  polls: number;
  stopped?: string;
}

// deno-lint-ignore no-explicit-any
type Any = any;
/** A run-time import: not part of the type-checked graph. */
const load = (specifier: string): Promise<Any> => import(specifier);
const ROOT = new URL("../", import.meta.url);

function newTally(): Tally {
  return { requests: new Map(), bytesSent: 0, itemBytesRead: 0 };
}

const total = (t: Tally) => [...t.requests.values()].reduce((a, b) => a + b, 0);

/** A DynamoDB client on dynalite that counts requests, request bytes and item bytes read. */
function countingClient(sdk: Any, endpoint: string, tally: () => Tally): Any {
  const client = new sdk.DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  client.middlewareStack.add(
    (next: Any, context: Any) => async (args: Any) => {
      const t = tally();
      const name = String(context.commandName ?? "?").replace(/Command$/, "");
      t.requests.set(name, (t.requests.get(name) ?? 0) + 1);
      const body = args.request?.body;
      if (typeof body === "string") t.bytesSent += new TextEncoder().encode(body).length;
      else if (body instanceof Uint8Array) t.bytesSent += body.length;
      const result = await next(args);
      const out = result.output ?? {};
      if (out.Items) t.itemBytesRead += JSON.stringify(out.Items).length;
      if (out.Item) t.itemBytesRead += JSON.stringify(out.Item).length;
      return result;
    },
    { step: "finalizeRequest", priority: "low", name: "benchCount" },
  );
  return client;
}

const entry = (i: number, t: number) =>
  `{"event":"log","message":"fetched https://example.com/items/${i} (200 OK)","level":"info","t":${t}}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ours: a JobLogger on a DynamoStore, paced, with a poller reading from its cursor. */
async function ours(sdk: Any, endpoint: string, o: Required<DynamoOptions>): Promise<DesignResult> {
  const { DynamoStore } = await load(new URL("dynamo/mod.ts", ROOT).href);
  const { JobLogger } = await import("../mod.ts");
  const writes = newTally();
  const reads = newTally();
  let phase: Tally = writes;
  const client = countingClient(sdk, endpoint, () => phase);
  const writer = new DynamoStore({ table: `bench-ours-${Date.now()}`, client });
  const readerClient = countingClient(sdk, endpoint, () => reads);
  const reader = new DynamoStore({ table: writer.table, client: readerClient, createTable: false });
  try {
    const logger = new JobLogger({ store: writer });
    await logger.flush(); // the table and the job's meta item exist
    phase = writes;
    writes.requests.clear();
    writes.bytesSent = 0;
    let polls = 0;
    let cursor = 0;
    let done = false;
    const poller = (async () => {
      for (let i = 0; i < 100_000 && !done; i++) {
        await sleep(o.pollMs);
        const result = await reader.read(logger.jobId, cursor);
        polls++;
        if (result) {
          cursor = result.next;
          done = result.done;
        }
      }
    })();
    const start = performance.now();
    for (let i = 0; i < o.entries;) {
      const due = Math.min(o.entries, Math.floor((performance.now() - start) * o.perSec / 1000));
      for (; i < due; i++) logger.log(`fetched https://example.com/items/${i} (200 OK)`);
      await sleep(1);
    }
    await logger.close();
    const seconds = (performance.now() - start) / 1000;
    await poller;
    if (cursor !== o.entries) throw new Error(`the poller read ${cursor} of ${o.entries} entries`);
    return { logged: o.entries, seconds, writes, reads, polls };
  } finally {
    writer.dispose?.();
    reader.dispose?.();
    client.destroy();
    readerClient.destroy();
  }
}

/** The seed's design: every log() reads the whole item, appends, and writes it back. */
async function seed(sdk: Any, endpoint: string, o: Required<DynamoOptions>): Promise<DesignResult> {
  const lib = await load("@aws-sdk/lib-dynamodb");
  const writes = newTally();
  const reads = newTally();
  const raw = countingClient(sdk, endpoint, () => writes);
  const rawReader = countingClient(sdk, endpoint, () => reads);
  const doc = lib.DynamoDBDocumentClient.from(raw);
  const docReader = lib.DynamoDBDocumentClient.from(rawReader);
  const table = `bench-seed-${Date.now()}`;
  try {
    await raw.send(
      new sdk.CreateTableCommand({
        TableName: table,
        KeySchema: [{ AttributeName: "jobId", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "jobId", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    await sdk.waitUntilTableExists({ client: raw, maxWaitTime: 60 }, { TableName: table });
    writes.requests.clear();
    writes.bytesSent = 0;
    const jobId = "seed-job";
    await doc.send(
      new lib.PutCommand({ TableName: table, Item: { jobId, logs: [], done: false } }),
    );
    let polls = 0;
    let finished = false;
    const poller = (async () => {
      for (let i = 0; i < 100_000 && !finished; i++) {
        await sleep(o.pollMs);
        await docReader.send(new lib.GetCommand({ TableName: table, Key: { jobId } }));
        polls++;
      }
    })();
    const start = performance.now();
    let logged = 0;
    let stopped: string | undefined;
    for (; logged < o.entries; logged++) {
      if (performance.now() - start > o.seedDeadlineMs) {
        stopped = `stopped after ${fmt(o.seedDeadlineMs / 1000)} s`;
        break;
      }
      const t = Math.round(performance.now() - start) / 1000;
      try {
        const { Item } = await doc.send(new lib.GetCommand({ TableName: table, Key: { jobId } }));
        Item.logs.push(entry(logged, t));
        await doc.send(new lib.PutCommand({ TableName: table, Item }));
      } catch (error) {
        stopped = `failed at log() #${fmt(logged + 1)}: ${
          String((error as Error).message ?? error).slice(0, 80)
        }`;
        break;
      }
    }
    const seconds = (performance.now() - start) / 1000;
    finished = true;
    await poller;
    return { logged, seconds, writes, reads, polls, stopped };
  } finally {
    raw.destroy();
    rawReader.destroy();
  }
}

/** Starts dynalite, runs both designs, returns the table. */
export async function run(options: DynamoOptions = {}): Promise<Section> {
  const o: Required<DynamoOptions> = {
    entries: 10_000,
    perSec: 2_000,
    pollMs: 250,
    seedDeadlineMs: 30_000,
    ...options,
  };
  try {
    await Deno.stat(new URL("dynamo/mod.ts", ROOT));
  } catch {
    throw new Error("dynamo/ is not on this branch yet (git merge main)");
  }
  const { startDynalite } = await load(new URL("tests/support/dynalite.ts", ROOT).href);
  const sdk = await load("@aws-sdk/client-dynamodb");
  await using dynalite = await startDynalite();
  const a = await ours(sdk, dynalite.endpoint, o);
  console.error(`  dynamo ours: ${total(a.writes)} write requests, ${fmt(a.writes.bytesSent)} B`);
  const b = await seed(sdk, dynalite.endpoint, o);
  console.error(`  dynamo seed: ${total(b.writes)} write requests, ${fmt(b.writes.bytesSent)} B`);
  const ops = (t: Tally) =>
    [...t.requests.entries()].map(([k, v]) => `${k} ${fmt(v)}`).join(", ") || "–";
  const row = (label: string, r: DesignResult) => [
    label,
    `${fmt(r.logged)}${r.stopped ? ` (${r.stopped})` : ""}`,
    `${fmt(total(r.writes))} (${ops(r.writes)})`,
    fmt(r.writes.bytesSent / 1024, 0),
    `${fmt(total(r.reads))} (${fmt(r.polls)} polls)`,
    fmt(r.reads.itemBytesRead / 1024, 0),
    r.seconds.toFixed(1),
  ];
  const perLog = (r: DesignResult) => r.writes.bytesSent / Math.max(1, r.logged);
  const notes = [
    `Both designs log the same entries at up to ${fmt(o.perSec)} a second; the seed's ` +
    "design waits for each read-modify-write, so it logs as fast as dynalite answers.",
    "Request bytes are the HTTP request bodies the AWS SDK sent (writes: everything but the " +
    "poller); read bytes are the JSON size of the items the poller got back.",
    "The seed's item keeps each entry as its JSON string (a list of strings), the cheapest " +
    "form for it; it still rewrites the whole list on every log(), so bytes grow with the " +
    "square of the entries, and DynamoDB's 400 KB item limit ends it after a few thousand entries " +
    "of this size.",
  ];
  if (b.stopped) {
    notes.push(
      `The seed's design ${b.stopped}; its figures cover ${fmt(b.logged)} log() calls: ` +
        `${fmt(perLog(b) / 1024, 1)} KB written per log() against ours ${fmt(perLog(a), 0)} bytes.`,
    );
  }
  return {
    title: `DynamoDB: requests and bytes for ${fmt(o.entries)} log() calls`,
    about: "Against dynalite on 127.0.0.1. Ours: `JobLogger` on `DynamoStore` (entries queued " +
      "and written in the background as immutable chunk items). Seed: each log() does GetItem " +
      "of the job's item, appends, PutItem of the whole item. A poller follows each job every " +
      `${o.pollMs} ms.`,
    header: [
      "design",
      "log() calls stored",
      "write requests",
      "KB sent",
      "poller requests",
      "KB read by poller",
      "seconds",
    ],
    rows: [row("ours (DynamoStore)", a), row("seed (read-modify-write)", b)],
    headline: [
      `DynamoDB, ${fmt(o.entries)} log(): ours ${fmt(total(a.writes))} write requests, ${
        fmt(a.writes.bytesSent / 1024, 0)
      } KB; seed design ${fmt(total(b.writes))} requests, ${
        fmt(b.writes.bytesSent / 1024, 0)
      } KB for ${fmt(b.logged)} calls (${ratio(perLog(a), perLog(b))} the bytes per log())`,
    ],
    notes,
  };
}

if (import.meta.main) {
  const { markdown } = await import("./support/table.ts");
  console.log(markdown(await run()));
}
