/**
 * Cloudflare Workers in workerd (miniflare): the Durable Object store
 * (`@streamator/core/cloudflare`) against the path without it, the in-memory
 * store behind `pollingStore` (100 ms, as examples/workers.ts). For each, a
 * job emits timed events in one request and readers stream them from other
 * requests (for the Durable Object store, from a second Worker script); the
 * latency is the time from `emit()` to a reader's receipt. Then the requests
 * the writer sends to the job's object per 10,000 `log()` calls.
 *
 * Usage: deno run -A bench/cloudflare_store.ts
 */
import { bundle } from "../tests/support/bundle.ts";
import { startJobLogWorkers } from "../tests/support/job_log_workers.ts";
import { startServerProcess } from "../tests/support/process_server.ts";
import { SseClient } from "../tests/support/sse_client.ts";
import { nodeBin, ROOT } from "../tests/support/tools.ts";
import { fmt, quantile, ratio, type Section } from "./support/table.ts";

/** Sizes of the run. */
export interface CloudflareBenchOptions {
  /** Readers per job. Default 10. */
  readers?: number;
  /** Events per job. Default 100. */
  events?: number;
  /** Between two events, in ms. Default 30. */
  delayMs?: number;
  /** Runs per store, interleaved. Default 3. */
  rounds?: number;
}

/** The latencies (ms) of every event at every reader of one timed job. */
async function latencies(
  writer: string,
  reader: string,
  readers: number,
  events: number,
  delayMs: number,
): Promise<number[]> {
  const started = await fetch(`${writer}/timed?count=${events}&delayMs=${delayMs}`, {
    method: "POST",
  });
  const { log_job_id } = await started.json();
  const read = async () => {
    await using client = await SseClient.open(`${reader}/log/${log_job_id}/stream`);
    const seen: number[] = [];
    for (let i = 0; i <= events; i++) {
      const event = await client.nextEvent(30_000);
      if (event === undefined) break;
      const data = JSON.parse(event.data);
      if (data.event === "done") break;
      seen.push(Date.now() - data.at);
    }
    if (seen.length !== events) throw new Error(`a reader got ${seen.length} of ${events} events`);
    return seen;
  };
  return (await Promise.all(Array.from({ length: readers }, read))).flat();
}

/** Requests the writer sent for `count` log() calls, logged as the query says. */
async function requests(writer: string, query: string): Promise<number> {
  const response = await fetch(`${writer}/burst?${query}`, { method: "POST" });
  if (!response.ok) throw new Error(`burst answered ${response.status}`);
  return (await response.json()).requests;
}

/** Runs both stores and returns the table. */
export async function run(options: CloudflareBenchOptions = {}): Promise<Section> {
  const { readers = 10, events = 100, delayMs = 30, rounds = 3 } = options;
  await using workers = await startJobLogWorkers({ HEARTBEAT_MS: "5000" });
  const script = await bundle("bench/support/polling_worker.ts", "polling_worker", "worker");
  await using polling = await startServerProcess({
    command: await nodeBin(),
    args: ["tools/serve_worker.mjs", script],
    cwd: ROOT,
    env: { PORT: "0", HEARTBEAT_MS: "5000" },
  });
  const stores = [
    { label: "Durable Object store", writer: workers.writer, reader: workers.reader },
    { label: "pollingStore(defaultStore), 100 ms", writer: polling.url, reader: polling.url },
  ];
  const cases = [1, readers].flatMap((count) => stores.map((store) => ({ ...store, count })));
  const samples = cases.map(() => [] as number[]);
  // Warm both up (bundles loaded, first object made), then measure.
  for (const store of stores) await latencies(store.writer, store.reader, 1, 3, 10);
  for (let round = 0; round < rounds; round++) {
    for (const [i, c] of cases.entries()) {
      const got = await latencies(c.writer, c.reader, c.count, events, delayMs);
      samples[i].push(...got);
      const sorted = [...got].sort((a, b) => a - b);
      console.error(`  cloudflare ${c.label}, ${c.count} readers: p50 ${quantile(sorted, 0.5)} ms`);
    }
  }
  const stats = samples.map((all) => {
    const sorted = [...all].sort((a, b) => a - b);
    return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), n: sorted.length };
  });
  /** The polling case with the same readers as case `i`. */
  const polled = (i: number) => stats[cases.findIndex((c) => c.count === cases[i].count) + 1];
  const burst = await requests(workers.writer, "count=10000");
  const paced = await requests(workers.writer, "count=10000&per=10&everyMs=1");
  const row = (i: number) => [
    `${cases[i].label}, ${cases[i].count} ${cases[i].count === 1 ? "reader" : "readers"}`,
    fmt(stats[i].p50, 1),
    fmt(stats[i].p99, 1),
    fmt(stats[i].n),
    ratio(polled(i).p50, stats[i].p50),
  ];
  const many = cases.findIndex((c) => c.count === readers);
  return {
    title: "Cloudflare Workers: the Durable Object store",
    about:
      `In workerd through miniflare. A job emits ${events} events ${delayMs} ms apart in one ` +
      `request; 1 or ${readers} readers stream them from other requests (for the Durable ` +
      `Object store, through a second Worker script bound to the namespace); ${rounds} rounds ` +
      "per case, interleaved. Latency: from `emit()` (its `Date.now()`) to the reader's receipt.",
    header: ["store", "p50 ms", "p99 ms", "samples", "pollingStore p50 ÷ this p50"],
    rows: [
      ...cases.map((_, i) => row(i)),
      ["requests to the object per 10,000 log() calls, in one burst", fmt(burst), "", "", ""],
      ["requests to the object per 10,000 log() calls, 10 every ms", fmt(paced), "", "", ""],
    ],
    headline: [
      `Workers, log() to reader (${readers} readers): Durable Object store p50 ` +
      `${fmt(stats[many].p50, 1)} ms, pollingStore p50 ${fmt(polled(many).p50, 1)} ms ` +
      `(${ratio(polled(many).p50, stats[many].p50)} lower); ${fmt(burst)} requests to the ` +
      `object per 10,000 log() calls in a burst, ${fmt(paced)} at 10 per ms`,
    ],
    notes: [
      "workerd's `Date.now()` advances with I/O (here, the timer that fires before each " +
      "`emit()`), so the times are whole ms. The request counts include the writer's lease " +
      "renewals; the store sends at most one batch per job in flight, at least `batchMs` " +
      "(10) apart, up to 1,000 entries each.",
      "The Durable Object's streams are served by the object (each batch wakes them there " +
      "as it arrives, before it is stored); the polling streams each read the in-memory store " +
      "every 100 ms, as examples/workers.ts does (the default is 250 ms).",
    ],
  };
}

if (import.meta.main) {
  const { markdown } = await import("./support/table.ts");
  console.log(markdown(await run()));
}
