/**
 * Memory over time: 10,000 jobs are created, each logs 100 entries and is
 * closed; once the store's retention time has passed, resident memory and
 * the V8 heap should be back near where they started. Runs in its own
 * process so nothing else is in its heap.
 *
 * Memory per entry: one job logs 100,000 entries; the heap they take, per
 * byte of their JSON, for `JobLogger` + `MemoryStore` (which packs entries
 * in blocks) and for a plain array of the same JSON strings, built flat (the
 * floor of a store that keeps one string per entry).
 *
 * Usage: deno run -A bench/memory.ts
 */
import { JobLogger, MemoryStore } from "../mod.ts";
import { JsonProcess } from "./support/process.ts";
import { fmt, ratio, type Section } from "./support/table.ts";

/** Sizes of the run. */
export interface MemoryOptions {
  jobs?: number;
  entriesPerJob?: number;
  /** The store's retention time, in ms (the default 10 minutes, scaled down). */
  retentionMs?: number;
}

interface Reading {
  rss: number;
  heap: number;
}

interface MemoryResult {
  start: Reading;
  peak: Reading;
  after: Reading;
  jobsLeft: number;
  /** The same again: the pages kept from the first round are reused, not added to. */
  peak2: Reading;
  after2: Reading;
}

function reading(): Reading {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) gc?.();
  const { rss, heapUsed } = Deno.memoryUsage();
  return { rss, heap: heapUsed };
}

async function round(store: MemoryStore, options: Required<MemoryOptions>) {
  for (let j = 0; j < options.jobs; j++) {
    const logger = new JobLogger({ store });
    for (let i = 0; i < options.entriesPerJob; i++) {
      logger.log(`job ${j}: fetched https://example.com/items/${i} (200 OK)`);
    }
    await logger.close();
  }
  const peak = reading();
  await new Promise((resolve) => setTimeout(resolve, options.retentionMs + 500));
  const jobsLeft = store.size; // using the store sweeps what expired
  return { peak, after: reading(), jobsLeft };
}

async function child(options: Required<MemoryOptions>): Promise<MemoryResult> {
  const store = new MemoryStore({ retentionMs: options.retentionMs });
  const start = reading();
  const first = await round(store, options);
  const second = await round(store, options);
  return {
    start,
    peak: first.peak,
    after: first.after,
    jobsLeft: first.jobsLeft + second.jobsLeft,
    peak2: second.peak,
    after2: second.after,
  };
}

/**
 * The V8 heap plus the memory of ArrayBuffers (which V8 keeps outside its
 * heap), after a full GC: what a store's entries cost, typed arrays included.
 */
function heapAndBuffers(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) gc?.();
  const { heapUsed, external } = Deno.memoryUsage();
  return heapUsed + external;
}

/** Heap bytes per stored entry, and per byte of the entries' JSON. */
interface EntryCost {
  bytesPerEntry: number;
  perJsonByte: number;
  jsonBytesPerEntry: number;
}

/** A realistic message: a URL, a status and a varying count; `long` adds a detail. */
function message(i: number, long: boolean): string {
  const line = `fetched https://example.com/items/${i}?page=${i % 37} (200 OK, ${
    (i * 7919) % 100_000
  } bytes)`;
  return long ? `${line}; retried after a 429 from the upstream API, then cached for 300 s` : line;
}

function cost(before: number, after: number, jsons: number, entries: number): EntryCost {
  return {
    bytesPerEntry: (after - before) / entries,
    perJsonByte: (after - before) / jsons,
    jsonBytesPerEntry: jsons / entries,
  };
}

/** One peer's entries, measured in its own process (nothing else in its heap). */
async function entriesChild(
  peer: "ours" | "plain",
  entries: number,
  long: boolean,
): Promise<EntryCost> {
  const start = heapAndBuffers();
  let jsons: string[];
  let keep: unknown;
  if (peer === "ours") {
    // the entries as JobLogger.log() stores them in a MemoryStore
    const store = new MemoryStore({ maxEntries: entries });
    const logger = new JobLogger({ store });
    for (let i = 0; i < entries; i++) logger.log(message(i, long));
    keep = store;
    const end = heapAndBuffers();
    jsons = (await store.read(logger.jobId, 0))!.entries;
    return cost(start, end, jsons.reduce((sum, json) => sum + json.length, 0), entries);
  }
  // the floor: the same JSON, each built flat by JSON.stringify, in a plain array
  jsons = [];
  for (let i = 0; i < entries; i++) {
    const entry = { event: "log", message: message(i, long), level: "info", t: i / 1000 };
    jsons.push(JSON.stringify(entry));
  }
  keep = jsons;
  const end = heapAndBuffers();
  return cost(start, end, (keep as string[]).reduce((sum, json) => sum + json.length, 0), entries);
}

/** Runs the per-entry measurement in a child process and returns its table. */
export async function runEntries(entries = 100_000): Promise<Section> {
  const measure = async (peer: "ours" | "plain", long: boolean) => {
    await using proc = JsonProcess.deno(new URL(import.meta.url), ["--v8-flags=--expose-gc"], [
      "--entries",
      peer,
      String(entries),
      long ? "long" : "short",
    ]);
    return await proc.next<EntryCost>(120_000);
  };
  const sizes = [];
  for (const long of [false, true]) {
    sizes.push({ long, ours: await measure("ours", long), plain: await measure("plain", long) });
  }
  const rows = sizes.flatMap(({ long, ours, plain }) => {
    const kind = long ? "longer lines" : "short lines";
    const row = (label: string, c: EntryCost) => [
      `${label}, ${kind}`,
      fmt(c.jsonBytesPerEntry, 0),
      fmt(c.bytesPerEntry, 0),
      `${c.perJsonByte.toFixed(2)}×`,
      ratio(c.bytesPerEntry, plain.bytesPerEntry),
    ];
    return [row("ours (JobLogger + MemoryStore)", ours), row("plain array of flat strings", plain)];
  });
  const [short, long] = sizes;
  return {
    title: "Memory per stored entry",
    about: `${fmt(entries)} entries logged by one job (ASCII messages of varying length, short ` +
      "and longer lines), the V8 heap plus ArrayBuffer memory (kept outside that heap) after a " +
      "full GC before and after, per entry and per byte of the entry's JSON; the peer holds the " +
      "same JSON strings, built flat, in a plain array.",
    header: [
      "store",
      "JSON bytes per entry",
      "heap bytes per entry",
      "heap ÷ JSON length",
      "heap ÷ plain array's",
    ],
    rows,
    headline: [
      `a stored entry costs ${short.ours.perJsonByte.toFixed(2)}× its JSON length in heap (${
        fmt(short.ours.jsonBytesPerEntry, 0)
      }-byte entries; ${long.ours.perJsonByte.toFixed(2)}× at ${
        fmt(long.ours.jsonBytesPerEntry, 0)
      } bytes), ${ratio(short.ours.bytesPerEntry, short.plain.bytesPerEntry)} a plain array of ` +
      "the same flat strings",
    ],
    notes: [
      "Each row runs in its own process. A plain array of flat strings is the floor of any " +
      "store that keeps one string per entry: V8's string header and the array slot cost the " +
      "same bytes per entry whatever its length, so the ratio to the JSON length falls as " +
      "entries get longer.",
      "The MemoryStore packs entries in blocks of 128: the block being filled keeps one string " +
      "per entry; a full block becomes one flat string (the entries joined) and a typed array " +
      "of where each entry ends (2 bytes per entry below 64 KiB of text, else 4), so the header " +
      "is paid once per block. Reads of a full block are slices of its string.",
    ],
  };
}

/** Runs the scenario in a child process and returns the table. */
export async function run(options: MemoryOptions = {}): Promise<Section> {
  const o = { jobs: 10_000, entriesPerJob: 100, retentionMs: 3_000, ...options };
  await using proc = JsonProcess.deno(new URL(import.meta.url), ["--v8-flags=--expose-gc"], [
    "--child",
    JSON.stringify(o),
  ]);
  const r = await proc.next<MemoryResult>(o.retentionMs + 120_000);
  const mib = (n: number) => fmt(n / 2 ** 20, 1);
  const row = (label: string, x: Reading) => [label, mib(x.rss), mib(x.heap)];
  return {
    title: "Memory over time",
    about: `${fmt(o.jobs)} jobs created, ${o.entriesPerJob} entries logged in each, closed; ` +
      `MemoryStore retentionMs ${fmt(o.retentionMs)} (the default 10 minutes, scaled down). ` +
      "Readings after a full GC.",
    header: ["moment", "RSS MiB", "V8 heap MiB"],
    rows: [
      row("start", r.start),
      row(`all ${fmt(o.jobs)} jobs closed`, r.peak),
      row("retention passed", r.after),
      row(`second round: all jobs closed`, r.peak2),
      row(`second round: retention passed`, r.after2),
    ],
    headline: [
      `memory: heap ${mib(r.start.heap)} → ${mib(r.peak.heap)} → ${
        mib(r.after.heap)
      } MiB (start → ${fmt(o.jobs)} jobs → after retention); RSS ${mib(r.start.rss)} → ${
        mib(r.after.rss)
      } MiB, ${mib(r.after2.rss)} MiB after a second round`,
    ],
    notes: [
      `Jobs left in the store after each retention: ${r.jobsLeft}.`,
      "After retention the store keeps only the end and outcome of the last 10,000 forgotten " +
      "jobs (so a reader that comes back late is told what it missed): that, not the entries, is " +
      "the heap left above the start.",
      "RSS stays above its start after the heap is freed: V8 keeps pages it grew into for " +
      "reuse; the heap figure is what the store still holds, and the second round (no RSS growth " +
      "past the first) shows those pages are reused, not leaked.",
    ],
  };
}

if (import.meta.main) {
  if (Deno.args[0] === "--child") {
    console.log(JSON.stringify(await child(JSON.parse(Deno.args[1]))));
  } else if (Deno.args[0] === "--entries") {
    const peer = Deno.args[1] === "ours" ? "ours" : "plain";
    const long = Deno.args[3] === "long";
    console.log(JSON.stringify(await entriesChild(peer, Number(Deno.args[2]), long)));
  } else {
    const { markdown } = await import("./support/table.ts");
    console.log(markdown(await runEntries()));
    if (Deno.args[0] !== "--entries-only") console.log(markdown(await run()));
  }
}
