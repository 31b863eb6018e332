/**
 * Browser: 100,000 events in a burst into `useLogStream` (its fetch() reader)
 * + `LogPanel`; into `useLogStream` + `LogViewer` (ANSI colours in every
 * entry, a search term typed in); into the EventSource hook (`useLogStream` as it was before
 * the fetch() reader, kept in bench/browser/eventsource_hook.ts) + the same
 * `LogPanel`; into `@melloware/react-logviewer` (its LazyLog reading the
 * same SSE route); and into a naive hook that calls `setState` with a copied
 * array per event (rendered by the same LogPanel). Headless Debian Chromium
 * driven over the DevTools protocol (bench/browser/cdp.mjs, with no DevTools
 * domain on that the page does not need); the job is served by our handler on 127.0.0.1.
 * Reports total main-thread time, the longest task, React commits (and the
 * most in one frame), DOM nodes and the time until the last entry is shown,
 * against the targets: longest task < 50 ms, main thread ≤ 0.3× and the
 * last entry ≥ 5× sooner than the EventSource hook, ≤ 1 commit per frame.
 * Ours (panel and viewer) also run with Chromium's CPU throttled 4× (a
 * phone-class CPU), where no task may take 50 ms or more either.
 *
 * Usage: deno run -A bench/browser.ts
 */
import { createLogHandler, JobLogger, MemoryStore } from "../mod.ts";
import { node, requireTools } from "./support/node_tools.ts";
import { fmt, ratio, type Section } from "./support/table.ts";

/** Sizes of the run. */
export interface BrowserOptions {
  entries?: number;
  /** Per round: how long to wait for the last entry. Default 30,000 ms (keeps the whole bench near 10 minutes). */
  deadlineMs?: number;
  /** Which viewers to run; default all (ours and the EventSource hook are always in the table's targets). */
  apps?: readonly (typeof APPS)[number][];
  /** Rounds per viewer, interleaved (every viewer gets the same number). Default 3. */
  rounds?: number;
  /** Which viewers also run with the CPU throttled; default ours (panel and viewer). */
  throttled?: readonly (typeof APPS)[number][];
  /** How many times slower the throttled CPU is. Default 4. */
  throttleRate?: number;
}

interface AppResult {
  app: string;
  /** The CPU slow-down of the round (1: none). */
  throttle: number;
  finished: boolean;
  received: number;
  wallMs: number;
  mainThreadMs: number;
  scriptMs: number;
  longestTaskMs: number;
  longTasks: number;
  /** Throttled rounds: the longest task by thread time (CPU the main thread spent in it), ms. */
  longestThreadMs?: number;
  /** ...that task's wall time, ms. */
  longestThreadWallMs?: number;
  /** ...and how many tasks took 50 ms or more of thread time. */
  longThreadTasks?: number;
  /** Throttled rounds: the most thread time the page's script ran in one task, ms. */
  scriptInTaskMs?: number;
  commits: number;
  frames: number;
  maxCommitsPerFrame: number;
  updates: number;
  maxUpdatesPerFrame: number;
  renderMs: number;
  domNodes: number;
  heapMB: number;
}

const APPS = ["ours", "viewer", "eventsource", "melloware", "naive"] as const;
const LABEL: Record<string, string> = {
  ours: "ours (useLogStream + LogPanel)",
  viewer: "ours (useLogStream + LogViewer, ansi, searching)",
  eventsource: "EventSource hook + LogPanel",
  melloware: "@melloware/react-logviewer",
  naive: "naive setState-copy hook + LogPanel",
};

/** What the viewer's search box holds during its rounds (about one entry in nine matches). */
const VIEWER_SEARCH = "items/4";

/** One entry of the job a viewer reads; the LogViewer's have ANSI colours. */
function entryText(app: string, i: number): string {
  return app === "viewer"
    ? `entry ${i}: fetched https://example.com/items/${i} (\x1b[32m200 OK\x1b[39m)`
    : `entry ${i}: fetched https://example.com/items/${i} (200 OK)`;
}

/** Serves the page and the jobs, runs the driver, returns the table. */
export async function run(options: BrowserOptions = {}): Promise<Section> {
  const { entries = 100_000, deadlineMs = 30_000, apps = APPS, rounds = 3 } = options;
  const { throttled = ["ours", "viewer"], throttleRate = 4 } = options;
  await requireTools();
  const dir = await Deno.makeTempDir({ prefix: "streamator-bench-page-" });
  try {
    // The page with react-dom's profiling build (it counts commits), and with
    // its production build (what an app ships), for the throttled rounds.
    const scripts = new Map<string, Uint8Array<ArrayBuffer>>();
    for (const build of ["profiling", "production"]) {
      const file = `${dir}/page-${build}.js`;
      await node("build.mjs", [file, build], 120_000).catch(async (error) => {
        // build.mjs prints nothing: success is the bundle being there
        await Deno.stat(file).catch(() => {
          throw error;
        });
      });
      scripts.set(`/page-${build}.js`, await Deno.readFile(file));
    }
    const store = new MemoryStore({ maxEntries: Math.max(100_000, entries) });
    const logs = createLogHandler({ store, prefix: "/log" });
    const css = await Deno.readTextFile(new URL("../react/log.css", import.meta.url));
    const html = (build: string) =>
      `<!doctype html><html><head><meta charset="utf-8"><title>bench</title>` +
      `<style>${css}</style></head><body><div id="root"></div>` +
      `<script type="module" src="/page-${build}.js"></script></body></html>`;
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
      const url = new URL(req.url);
      if (url.pathname === "/") {
        const build = url.searchParams.get("react") === "production" ? "production" : "profiling";
        return new Response(html(build), { headers: { "Content-Type": "text/html" } });
      }
      const script = scripts.get(url.pathname);
      if (script !== undefined) {
        return new Response(script, { headers: { "Content-Type": "text/javascript" } });
      }
      return (await logs(req)) ?? new Response("not found", { status: 404 });
    });
    try {
      // Round by round, every viewer in turn (so drift on a shared machine hits them alike),
      // each reading a job of its own.
      const runs = [];
      const plan = [
        ...apps.map((app) => ({ app, throttle: 1 })),
        ...apps.filter((app) => throttled.includes(app)).map((app) => ({
          app,
          throttle: throttleRate,
        })),
      ];
      for (let round = 0; round < rounds; round++) {
        for (const { app, throttle } of plan) {
          const logger = new JobLogger({ store });
          for (let i = 0; i < entries; i++) logger.log(entryText(app, i));
          await logger.close();
          const search = app === "viewer" ? VIEWER_SEARCH : undefined;
          // Throttled rounds run React's production build, as an app ships it.
          const react = throttle > 1 ? "production" : "profiling";
          runs.push({ app, job: logger.jobId, n: entries, throttle, search, react });
        }
      }
      const results = await node<AppResult[]>(
        "driver.mjs",
        [JSON.stringify({ base: `http://127.0.0.1:${server.addr.port}`, runs, deadlineMs })],
        runs.length * (deadlineMs + 60_000),
      );
      const of = (app: string, throttle: number) =>
        results.filter((r) => r.app === app && r.throttle === throttle);
      return table(
        apps.map((app) => summary(of(app, 1))),
        apps.filter((app) => throttled.includes(app)).map((app) => summary(of(app, throttleRate))),
        { entries, deadlineMs, rounds, throttleRate },
      );
    } finally {
      await server.shutdown();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** One viewer's rounds: the median round (by main-thread time), with the range and the worst case. */
interface Summary extends AppResult {
  /** The fastest and slowest rounds' main-thread ms. */
  mainThreadRange: [number, number];
}

/**
 * The median round of one viewer, with the main-thread range of all rounds,
 * and the worst longest task and most commits in a frame of any round (the
 * targets must hold in every round). Finished only if every round finished.
 */
function summary(rounds: AppResult[]): Summary {
  const sorted = [...rounds].sort((a, b) => a.mainThreadMs - b.mainThreadMs);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  const byThread = [...rounds].sort((a, b) => (b.longestThreadMs ?? 0) - (a.longestThreadMs ?? 0));
  return {
    ...median,
    longestThreadMs: byThread[0].longestThreadMs,
    longestThreadWallMs: byThread[0].longestThreadWallMs,
    scriptInTaskMs: Math.max(...rounds.map((r) => r.scriptInTaskMs ?? 0)),
    finished: rounds.every((r) => r.finished),
    longestTaskMs: Math.max(...rounds.map((r) => r.longestTaskMs)),
    maxCommitsPerFrame: Math.max(...rounds.map((r) => r.maxCommitsPerFrame)),
    maxUpdatesPerFrame: Math.max(...rounds.map((r) => r.maxUpdatesPerFrame)),
    mainThreadRange: [sorted[0].mainThreadMs, sorted[sorted.length - 1].mainThreadMs],
  };
}

function table(
  results: Summary[],
  slowed: Summary[],
  { entries, deadlineMs, rounds, throttleRate }: {
    entries: number;
    deadlineMs: number;
    rounds: number;
    throttleRate: number;
  },
): Section {
  const ours = results.find((r) => r.app === "ours")!;
  const es = results.find((r) => r.app === "eventsource");
  /** The throttled figures of one viewer, beside its unthrottled ones. */
  const atRate = (app: string, cell: (r: Summary) => string) => {
    const r = slowed.find((s) => s.app === app);
    return r === undefined ? "–" : cell(r);
  };
  /** A throttled viewer's longest task: by the clock, by thread time, and its script's most in one. */
  const throttledTask = (s: Summary) =>
    `${fmt(s.longestTaskMs)} ms` +
    (s.longestThreadMs === undefined
      ? ""
      : `, ${fmt(s.longestThreadMs)} ms of thread, at most ${
        fmt(s.scriptInTaskMs!)
      } ms of page script in one task`);
  const rows = results.map((r) => [
    LABEL[r.app],
    r.finished ? fmt(r.wallMs) : `> ${fmt(deadlineMs)} (${fmt(r.received)} shown)`,
    `${fmt(r.mainThreadMs)} (${fmt(r.mainThreadRange[0])}–${fmt(r.mainThreadRange[1])})`,
    fmt(r.longestTaskMs),
    atRate(r.app, (s) =>
      `${fmt(s.longestTaskMs)} (${fmt(s.longTasks)} ≥ 50 ms)` +
      (s.finished ? "" : `, > ${fmt(deadlineMs)} ms`)),
    atRate(
      r.app,
      (s) =>
        s.longestThreadMs === undefined
          ? "–"
          : `${fmt(s.longestThreadMs)} (wall ${fmt(s.longestThreadWallMs!)}; ` +
            `${fmt(s.longThreadTasks!)} ≥ 50 ms)`,
    ),
    atRate(r.app, (s) => s.scriptInTaskMs === undefined ? "–" : fmt(s.scriptInTaskMs)),
    atRate(r.app, (s) => fmt(s.mainThreadMs)),
    fmt(r.renderMs),
    fmt(r.commits),
    fmt(r.maxCommitsPerFrame),
    r.app === "ours" || r.app === "viewer" || r.app === "eventsource"
      ? `${fmt(r.updates)} (≤ ${fmt(r.maxUpdatesPerFrame)}/frame)`
      : "",
    fmt(r.domNodes),
    fmt(r.heapMB, 1),
    r.app === "ours" ? "1.00×" : ratio(ours.mainThreadMs, r.mainThreadMs),
  ]);
  const peers = results.filter((r) => r.app !== "ours" && r.app !== "viewer");
  const met = (ok: boolean) => ok ? "met" : "NOT met";
  const targets = [
    `longest task < 50 ms: ${fmt(ours.longestTaskMs)} ms, ${met(ours.longestTaskMs < 50)}`,
    // (Without the EventSource hook's rounds, as when only ours run, these two have no peer.)
    ...(es === undefined ? [] : [
      `main thread ≤ 0.3× the EventSource hook's: ${ratio(ours.mainThreadMs, es.mainThreadMs)}, ${
        met(ours.mainThreadMs <= 0.3 * es.mainThreadMs)
      }`,
      `last entry on screen ≥ 5× sooner than the EventSource hook: ${
        fmt(es.wallMs / ours.wallMs, 1)
      }× sooner, ${met(ours.finished && es.wallMs >= 5 * ours.wallMs)}`,
    ]),
    `≤ 1 React commit per frame: at most ${fmt(ours.maxCommitsPerFrame)} in one frame ` +
    `(${fmt(ours.commits)} in ${fmt(ours.frames)} frames), ${met(ours.maxCommitsPerFrame <= 1)}`,
    ...slowed.map((s) =>
      `${LABEL[s.app]} at ${throttleRate}× CPU throttle, no task ≥ 50 ms: longest ` +
      `${fmt(s.longestTaskMs)} ms, ${met(s.finished && s.longestTaskMs < 50)}`
    ),
  ];
  const notes = [
    `Targets for ours: ${targets.join("; ")}.`,
    `Every viewer runs ${fmt(rounds)} rounds, interleaved; a row is the median round by ` +
    "main-thread time (the range of all rounds in brackets), except the longest task and " +
    "the most commits in a frame, which are the worst of any round. " +
    `The throttled columns are the same rounds run again with Chromium's CPU slowed ` +
    `${throttleRate}× (CDP Emulation.setCPUThrottlingRate), as on a phone-class CPU, with ` +
    "react-dom's production build, as an app ships it (the unthrottled rounds use its " +
    'profiling build, whose per-component timing adds to each commit); "–": not ' +
    "run throttled. The LogViewer rounds read entries with ANSI colours, with " +
    `"${VIEWER_SEARCH}" typed in the search box before the start. ` +
    "Main-thread time is Chromium's TaskDuration (CDP Performance.getMetrics) from the start " +
    "until 500 ms after the last entry is shown; the longest task comes from the Long Tasks " +
    "API (tasks of 50 ms or more, by the clock; 0 means none that long); commits from a <Profiler> with " +
    "react-dom's profiling build, with React's render time (actualDuration); commits in one " +
    "frame are counted between two requestAnimationFrame callbacks. A hook update is a new " +
    "`logs` array handed to the panel. LogPanel applies the row heights it measures without " +
    "rendering again; it commits a second time in a frame only when the rows in the DOM " +
    "would leave part of the view empty.",
    "The throttled rounds also record a Chromium trace of the page's tasks (category " +
    '"toplevel", one event per task, with "devtools.timeline" and "v8.execute" to tell where ' +
    "the page's script ran): the longest task by thread time, the CPU time the main thread " +
    "spent in it (the throttle's share included), with its wall time, worst of any round, and " +
    "the tasks of 50 ms or more of thread time in the median round; then the most thread time " +
    "the page's script ran in one task (calls into its functions and microtasks, layout they " +
    "force included), worst of any round. The rest of a task is Chromium's own work: layout " +
    "and paint, reading a response body, garbage collection. Where a task's wall time runs " +
    "past its thread time, the main thread waited for a core: this machine has 2, shared by " +
    "Chromium's processes, the server and the driver.",
    "The EventSource hook gets one `message` event (one task) per entry from the browser; " +
    "ours reads the response body with fetch() and parses it 64 KB at a time, in slices of " +
    "about 8 ms, yielding between them.",
    "@melloware/react-logviewer reads the SSE route with its own EventSource " +
    "(eventsourceOptions.formatMessage turns each event into a line); it is done when the " +
    "last line is in the DOM. Its EventSource reader concatenates every event onto one " +
    "growing byte buffer of the whole log and emits an update per event (quadratic copying). " +
    `A viewer that does not show the last entry within ${fmt(deadlineMs)} ms is stopped ` +
    "there (the whole bench must stay near 10 minutes).",
    "The naive hook copies the whole array for every event (quadratic), so its commits are " +
    "few but each is long: see its longest task.",
  ];
  for (const p of peers) {
    if (p.finished && p.mainThreadMs < ours.mainThreadMs) {
      notes.push(`${LABEL[p.app]} used less main-thread time than ours in this run.`);
    }
  }
  return {
    title: `Browser: ${fmt(entries)} events in a burst`,
    about: `${fmt(entries)} entries of a closed job, read over SSE from our handler on ` +
      "127.0.0.1 by headless Chromium (/usr/bin/chromium over the DevTools protocol pipe, with " +
      "DevTools' network recording off, as in a user's browser), one fresh browser " +
      "profile per round.",
    header: [
      "viewer",
      "until last shown ms",
      "main-thread ms (range)",
      "longest task ms",
      `longest task ms at ${throttleRate}× CPU throttle`,
      `longest task's thread ms at ${throttleRate}× CPU throttle`,
      `most page-script thread ms in one task at ${throttleRate}× CPU throttle`,
      `main-thread ms at ${throttleRate}× CPU throttle`,
      "React render ms",
      "React commits",
      "most commits in a frame",
      "hook updates",
      "DOM nodes",
      "JS heap MB",
      "ours ÷ this (main-thread)",
    ],
    rows,
    headline: [
      `browser, ${fmt(entries)} events: ours ${fmt(ours.mainThreadMs)} ms main thread, ` +
      `longest task ${fmt(ours.longestTaskMs)} ms (${
        atRate("ours", throttledTask)
      } at ${throttleRate}× CPU throttle; LogViewer ${
        atRate("viewer", throttledTask)
      }), last entry after ${fmt(ours.wallMs)} ms; ` +
      peers.map((p) =>
        `${p.app} ${p.finished ? `${fmt(p.mainThreadMs)} ms` : "did not finish"} (${
          ratio(ours.mainThreadMs, p.mainThreadMs)
        })`
      ).join(", "),
    ],
    notes,
  };
}

if (import.meta.main) {
  const { markdown } = await import("./support/table.ts");
  console.log(markdown(await run()));
}
