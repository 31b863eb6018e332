/**
 * Memory over time: 10,000 jobs are created, each logs 100 entries and is
 * closed; once the store's retention time has passed, resident memory and
 * the V8 heap should be back near where they started. Runs in its own
 * process so nothing else is in its heap.
 *
 * Usage: deno run -A bench/memory.ts
 */
import { JobLogger, MemoryStore } from "../mod.ts";
import { JsonProcess } from "./support/process.ts";
import { fmt, type Section } from "./support/table.ts";

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
      "RSS stays above its start after the heap is freed: V8 keeps pages it grew into for " +
      "reuse; the heap figure is what the store still holds, and the second round (no RSS growth " +
      "past the first) shows those pages are reused, not leaked.",
    ],
  };
}

if (import.meta.main) {
  if (Deno.args[0] === "--child") {
    console.log(JSON.stringify(await child(JSON.parse(Deno.args[1]))));
  } else {
    const { markdown } = await import("./support/table.ts");
    console.log(markdown(await run()));
  }
}
