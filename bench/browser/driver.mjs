// Drives Debian's Chromium through the browser benchmark over the DevTools
// protocol (cdp.mjs, no DevTools domain on that the page does not need): for
// each run, a fresh headless Chromium (fresh --user-data-dir) opens the page,
// the app starts reading its job, and main-thread time (CDP
// Performance.getMetrics TaskDuration), the longest task, React commits and
// DOM nodes are read once the last entry is shown. A run with `throttle`
// slows the page's CPU that many times (CDP Emulation.setCPUThrottlingRate),
// as on a phone-class CPU, and records a trace of the page's tasks for their
// thread time (recordTasks); a run with `search` types it into the page's
// search box before the start; `react` picks react-dom's build
// ("profiling" or "production").
// Usage: node driver.mjs '{"base":"http://127.0.0.1:P","runs":[{"app":"ours","job":"x","n":100000,"throttle":4}],"deadlineMs":90000}'
// Prints one JSON line: [{ app, throttle, ... }].
import { openPage } from "./cdp.mjs";
import { CHROMIUM_ARGS } from "../../tests/support/chromium_args.mjs";

const options = JSON.parse(process.argv[2]);
/** A long task, as the Long Tasks API counts them: 50 ms or more, here in µs. */
const LONG_TASK_US = 50_000;
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

/**
 * Records the page's main-thread tasks (trace category "toplevel" only, one
 * event per task, so the recording itself adds little to them). `stop()`
 * resolves to the longest task by thread time (the CPU time the main thread
 * spent in it), with its wall time, and how many tasks took 50 ms or more of
 * thread time. On a machine with few cores, a task's wall time can run past
 * its thread time while other processes have the core.
 */
async function recordTasks(page) {
  const events = [];
  page.on("Tracing.dataCollected", ({ value }) => events.push(...value));
  const complete = new Promise((resolve) => page.on("Tracing.tracingComplete", resolve));
  await page.send("Tracing.start", {
    transferMode: "ReportEvents",
    traceConfig: { includedCategories: ["toplevel"] },
  });
  return {
    async stop() {
      await page.send("Tracing.end");
      await complete;
      // The page's main thread: the renderer main thread that ran the most tasks.
      const tasksOf = new Map();
      const mains = new Set();
      for (const e of events) {
        if (e.ph === "M" && e.name === "thread_name" && e.args.name === "CrRendererMain") {
          mains.add(`${e.pid}:${e.tid}`);
        }
      }
      for (const e of events) {
        const thread = `${e.pid}:${e.tid}`;
        if (e.ph !== "X" || e.name !== "ThreadControllerImpl::RunTask" || !mains.has(thread)) {
          continue;
        }
        if (!tasksOf.has(thread)) tasksOf.set(thread, []);
        tasksOf.get(thread).push(e);
      }
      const tasks = [...tasksOf.values()].sort((a, b) => b.length - a.length)[0] ?? [];
      let longest = { tdur: 0, dur: 0 };
      let long = 0;
      if (!tasks.some((task) => task.tdur !== undefined)) {
        throw new Error("the trace has no thread times");
      }
      // (A task of a few µs may come without its thread time: its wall time stands in.)
      const threadTime = (task) => task.tdur ?? task.dur;
      for (const task of tasks) {
        if (threadTime(task) > threadTime(longest)) longest = task;
        if (threadTime(task) >= LONG_TASK_US) long++;
      }
      return { threadMs: threadTime(longest) / 1000, wallMs: longest.dur / 1000, long };
    },
  };
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
