/**
 * `deno task bench`: runs every benchmark in turn, prints each table as it
 * finishes, and writes `bench/RESULTS.md` with the machine, the versions, the
 * command and the date.
 *
 * Pass names to run only some: `deno task bench throughput latency`. The
 * names are those of {@linkcode BENCHES}.
 */
import { markdown, type Section } from "./support/table.ts";

/** Every benchmark, in the order it runs. */
export const BENCHES: {
  name: string;
  file: string;
  load: () => Promise<() => Promise<Section>>;
}[] = [
  {
    name: "throughput",
    file: "bench/server_throughput.ts",
    load: async () => (await import("./server_throughput.ts")).run,
  },
  {
    name: "latency",
    file: "bench/latency.ts",
    load: async () => (await import("./latency.ts")).run,
  },
  { name: "scale", file: "bench/scale.ts", load: async () => (await import("./scale.ts")).run },
  {
    name: "log_cost",
    file: "bench/log_cost_bench.ts",
    load: async () => (await import("./support/log_cost_table.ts")).run,
  },
  { name: "memory", file: "bench/memory.ts", load: async () => (await import("./memory.ts")).run },
  {
    name: "entry_memory",
    file: "bench/memory.ts",
    load: async () => (await import("./memory.ts")).runEntries,
  },
  {
    name: "dynamo",
    file: "bench/dynamo_requests.ts",
    load: async () => (await import("./dynamo_requests.ts")).run,
  },
  {
    name: "cloudflare",
    file: "bench/cloudflare_store.ts",
    load: async () => (await import("./cloudflare_store.ts")).run,
  },
  {
    name: "redis",
    file: "bench/redis.ts",
    load: async () => (await import("./redis.ts")).run,
  },
  {
    name: "browser",
    file: "bench/browser.ts",
    load: async () => (await import("./browser.ts")).run,
  },
  {
    name: "bundle",
    file: "bench/bundle_size.ts",
    load: async () => (await import("./bundle_size.ts")).run,
  },
];

const ROOT = new URL("../", import.meta.url);

async function commandLine(cmd: string, args: string[]): Promise<string> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
    return new TextDecoder().decode(out.stdout).trim().split("\n")[0];
  } catch {
    return "not found";
  }
}

/** The machine and versions, as a markdown table. */
async function machine(): Promise<string> {
  // Deno asks for --allow-all to read /proc files, so ask grep.
  const cpuinfo = await commandLine("sh", ["-c", "grep -m1 '^model name' /proc/cpuinfo"]);
  const model = cpuinfo.replace(/^model name\s*:\s*/, "") || "unknown";
  const memory = Deno.systemMemoryInfo().total;
  const imports: Record<string, string> =
    JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT))).imports ?? {};
  const tools = await Deno.readTextFile(new URL("bench/browser/package.json", ROOT))
    .then((text) => JSON.parse(text).dependencies as Record<string, string>)
    .catch(() => ({} as Record<string, string>));
  const peers = [
    ...Object.values(imports).filter((s) => /^npm:(hono|@melloware|esbuild|playwright)/.test(s))
      .map((s) => s.replace(/^npm:/, "").replace(/(@[\d.]+)\/.*$/, "$1")),
    ...Object.entries(tools).map(([name, version]) => `${name}@${version}`),
  ];
  const rows = [
    ["CPU", `${model} (nproc ${navigator.hardwareConcurrency})`],
    ["memory", `${(memory / 2 ** 30).toFixed(1)} GiB`],
    ["OS", `${Deno.build.os} ${Deno.osRelease()} (${Deno.build.arch})`],
    ["descriptors (ulimit -n)", await commandLine("sh", ["-c", "ulimit -n"])],
    ["deno", `${Deno.version.deno} (V8 ${Deno.version.v8})`],
    ["node", await commandLine("node", ["--version"])],
    ["chromium", await commandLine("/usr/bin/chromium", ["--version"])],
    ["peers and tools", [...new Set(peers)].join(", ") || "–"],
    ["command", "`deno task bench`"],
    ["date", new Date().toISOString().replace(/\.\d+Z$/, "Z")],
  ];
  return ["| | |", "| --- | --- |", ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join("\n");
}

async function main(): Promise<number> {
  const wanted = Deno.args.length > 0 ? new Set(Deno.args) : undefined;
  const started = performance.now();
  const sections: { bench: typeof BENCHES[number]; section?: Section; error?: string }[] = [];
  for (const bench of BENCHES) {
    if (wanted && !wanted.has(bench.name)) continue;
    console.error(`▶ ${bench.name} (${bench.file})`);
    const t = performance.now();
    try {
      const section = await (await bench.load())();
      sections.push({ bench, section });
      console.log(markdown(section));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      sections.push({ bench, error: message });
      console.error(`✗ ${bench.name}: ${message}`);
    }
    console.error(`  ${bench.name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const seconds = (performance.now() - started) / 1000;
  const headline = sections.flatMap((s) => s.section?.headline ?? []);
  const failed = sections.filter((s) => s.error !== undefined);
  const text = [
    "# Benchmark results",
    "",
    "Written by `deno task bench` (bench/run.ts) from a real run; every peer runs side by side " +
    "in the same run on the same machine. Absolute numbers drift on shared machines: compare " +
    "the ratios.",
    "",
    await machine(),
    "",
    `Whole run: ${seconds.toFixed(0)} s${wanted ? ` (only: ${[...wanted].join(", ")})` : ""}.`,
    "",
    "## Headline",
    "",
    ...headline.map((h) => `- ${h}`),
    ...failed.map((s) => `- ${s.bench.name}: FAILED (${s.error})`),
    "",
    ...sections.map((s) =>
      s.section ? markdown(s.section) : `## ${s.bench.name}\n\nFailed in this run: ${s.error}\n`
    ),
  ].join("\n");
  const results = new URL("bench/RESULTS.md", ROOT);
  await Deno.writeTextFile(results, text);
  // Keep `deno fmt --check` (and so `deno task check`) clean.
  await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", results.pathname] }).output();
  console.error(`wrote bench/RESULTS.md (${seconds.toFixed(0)} s)`);
  return failed.length === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
