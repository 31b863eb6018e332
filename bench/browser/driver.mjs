// Drives Debian's Chromium through the browser benchmark over the DevTools
// protocol (cdp.mjs, no DevTools domain on that the page does not need): for
// each run, a fresh headless Chromium (fresh --user-data-dir) opens the page,
// the app starts reading its job, and main-thread time (CDP
// Performance.getMetrics TaskDuration), the longest task, React commits and
// DOM nodes are read once the last entry is shown. A run with `throttle`
// slows the page's CPU that many times (CDP Emulation.setCPUThrottlingRate),
// as on a phone-class CPU, and records a trace of the page's tasks for their
// thread time and the time its script ran in them (task_trace.mjs); a run
// with `search` types it into the page's
// search box before the start; `react` picks react-dom's build
// ("profiling" or "production").
// Usage: node driver.mjs '{"base":"http://127.0.0.1:P","runs":[{"app":"ours","job":"x","n":100000,"throttle":4}],"deadlineMs":90000}'
// Prints one JSON line: [{ app, throttle, ... }].
import { openPage } from "./cdp.mjs";
import { recordTasks } from "./task_trace.mjs";
import { CHROMIUM_ARGS } from "../../tests/support/chromium_args.mjs";

const options = JSON.parse(process.argv[2]);
/** How long the page may take to load and start its app. */
const LOAD_TIMEOUT_MS = 30_000;

async function metrics(page) {
  const { metrics } = await page.send("Performance.getMetrics");
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/** Types `text` into the page's search box as a user would (React sees an input event). */
function typeSearch(text) {
  return `(() => {
    const box = document.querySelector("input[type=search]");
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(box, ${
    JSON.stringify(text)
  });
    box.dispatchEvent(new Event("input", { bubbles: true }));
  })()`;
}

async function measure(run) {
  const page = await openPage({
    executablePath: "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS],
    width: 1280,
    height: 800,
  });
  try {
    await page.send("Performance.enable", { timeDomain: "threadTicks" });
    await page.send("Page.navigate", {
      url: `${options.base}/?app=${run.app}&job=${run.job}&n=${run.n}&react=${run.react}`,
    });
    if (
      !await page.waitFor(
        `typeof globalThis.__start === "function"`,
        LOAD_TIMEOUT_MS,
      )
    ) {
      throw new Error(`the page of ${run.app} did not load`);
    }
    if (run.search) {
      await page.evaluate(typeSearch(run.search));
      await page.waitFor(
        `document.querySelector("input[type=search]").value === ${JSON.stringify(run.search)}`,
        LOAD_TIMEOUT_MS,
      );
    }
    if (run.throttle > 1) {
      await page.send("Emulation.setCPUThrottlingRate", { rate: run.throttle });
    }
    // Throttled rounds also record the thread time of their tasks.
    const recording = run.throttle > 1 ? await recordTasks(page) : undefined;
    const before = await metrics(page);
    await page.evaluate("globalThis.__start()");
    const finished = await page.waitFor(
      "globalThis.__bench.doneAt > 0",
      options.deadlineMs,
      250,
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the last frame's work finish
    const after = await metrics(page);
    const tasks = await recording?.stop();
    const bench = await page.evaluate(
      `({ ...globalThis.__bench, domNodes: document.getElementsByTagName("*").length })`,
    );
    return {
      app: run.app,
      throttle: run.throttle ?? 1,
      finished,
      received: bench.received,
      wallMs: finished ? bench.doneAt - bench.startAt : options.deadlineMs,
      mainThreadMs: (after.TaskDuration - before.TaskDuration) * 1000,
      scriptMs: (after.ScriptDuration - before.ScriptDuration) * 1000,
      longestTaskMs: bench.longest,
      longTasks: bench.longTasks,
      longestThreadMs: tasks?.threadMs,
      longestThreadWallMs: tasks?.wallMs,
      longThreadTasks: tasks?.long,
      scriptInTaskMs: tasks?.scriptMs,
      commits: bench.commits,
      frames: bench.frames,
      maxCommitsPerFrame: bench.maxCommitsPerFrame,
      updates: bench.updates,
      maxUpdatesPerFrame: bench.maxUpdatesPerFrame,
      renderMs: bench.renderMs,
      domNodes: bench.domNodes,
      heapMB: after.JSHeapUsedSize / 2 ** 20,
    };
  } finally {
    await page.close();
  }
}

const results = [];
for (const run of options.runs) results.push(await measure(run));
console.log(JSON.stringify(results));
