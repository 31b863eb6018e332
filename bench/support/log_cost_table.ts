/** Runs bench/log_cost_bench.ts with `deno bench --json` and makes its table. */
import { fmt, ratio, type Section } from "./table.ts";

interface BenchJson {
  benches: {
    group: string;
    name: string;
    results: { ok?: { n: number; avg: number; p75: number; p99: number } }[];
  }[];
}

const FILE = new URL("../log_cost_bench.ts", import.meta.url).pathname;

/** ns as `1.23 µs` or `4.5 ms`. */
function time(ns: number): string {
  if (ns < 1_000) return `${fmt(ns, 0)} ns`;
  if (ns < 1_000_000) return `${fmt(ns / 1_000, 2)} µs`;
  return `${fmt(ns / 1_000_000, 2)} ms`;
}

/** The `Deno.bench` table: per group, each peer's avg and p75, and ours ÷ peer. */
export async function run(): Promise<Section> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["bench", "--json", "--allow-net=127.0.0.1", FILE],
    stdout: "piped",
    stderr: "inherit",
    env: { NO_COLOR: "1" },
  }).output();
  if (!output.success) throw new Error(`deno bench ${FILE} failed`);
  const json: BenchJson = JSON.parse(new TextDecoder().decode(output.stdout));
  const rows: (string | number)[][] = [];
  const headline: string[] = [];
  const groups = [...new Set(json.benches.map((b) => b.group))];
  for (const group of groups) {
    const benches = json.benches.filter((b) => b.group === group);
    const ours = benches.find((b) => b.name.startsWith("ours"))?.results[0].ok;
    for (const b of benches) {
      const r = b.results[0].ok;
      if (r === undefined || ours === undefined) throw new Error(`${b.name} failed`);
      rows.push([
        group,
        b.name,
        time(r.avg),
        time(r.p75),
        b.name.startsWith("ours") ? "1.00×" : ratio(r.avg, ours.avg),
      ]);
      if (b.name.startsWith("ours")) headline.push(`${b.name}: ${time(r.avg)} avg`);
    }
  }
  return {
    title: "Cost of log() (Deno.bench)",
    about: "`deno bench bench/log_cost_bench.ts`. With 0 subscribers: one log() call. With 100 " +
      "subscribers (in-process, reading the SSE response bodies): 100 log() calls and their " +
      "delivery, as SSE bytes, to all 100 before the iteration ends.",
    header: ["group", "benchmark", "avg", "p75", "this avg ÷ ours avg"],
    rows,
    headline,
    notes: [
      "With no subscriber, each peer appends the entry's JSON to an array of its own; ours puts " +
      "it in the store (up to maxEntries), where late and reconnecting readers find it.",
    ],
  };
}

if (import.meta.main) {
  const { markdown } = await import("./table.ts");
  console.log(markdown(await run()));
}
