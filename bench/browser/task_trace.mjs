// The page's main-thread tasks, from a Chromium trace of a throttled round:
// the longest by thread time (the CPU time the main thread spent in it, the
// throttle's share included), how many took 50 ms or more, and the most time
// the page's own script ran in one task. What a task spent outside its
// script is Chromium's own work (layout and paint, reading a response body,
// garbage collection); layout the script forces counts as the script's.

/** A long task, as the Long Tasks API counts them: 50 ms or more, here in µs. */
const LONG_TASK_US = 50_000;
/** Trace events of the page's script running: a call into its functions, microtasks. */
const SCRIPT_EVENTS = new Set(["FunctionCall", "RunMicrotasks"]);
/** The trace event of the driver's own evaluations (CDP Runtime.evaluate). */
const DRIVER_EVENT = "EvaluateScript";

/**
 * Starts recording the page's tasks (trace category "toplevel", one event
 * per task) and where its script runs in them ("devtools.timeline" for calls
 * into its functions, "v8.execute" for microtasks). `stop()` ends the
 * recording and resolves to {@link summarizeTasks}' figures.
 */
export async function recordTasks(page) {
  const events = [];
  page.on("Tracing.dataCollected", ({ value }) => events.push(...value));
  const complete = new Promise((resolve) => page.on("Tracing.tracingComplete", resolve));
  await page.send("Tracing.start", {
    transferMode: "ReportEvents",
    traceConfig: { includedCategories: ["toplevel", "devtools.timeline", "v8.execute"] },
  });
  return {
    async stop() {
      await page.send("Tracing.end");
      await complete;
      return summarizeTasks(events);
    },
  };
}

/**
 * The page's main thread (the renderer main thread that ran the most tasks)
 * in `events`: its longest task by thread time (`threadMs`, with its
 * `wallMs`), how many tasks took 50 ms or more of thread time (`long`), and
 * the most thread time the page's script ran in one task (`scriptMs`). The
 * tasks in which the driver evaluates its own expressions (the start, the
 * polls for the end) are left out: they are the driver's work, not the
 * page's.
 */
export function summarizeTasks(events) {
  const thread = mainThread(events);
  const onThread = events
    .filter((e) => e.ph === "X" && `${e.pid}:${e.tid}` === thread)
    .sort((a, b) => a.ts - b.ts);
  const tasks = onThread.filter((e) => e.name === "ThreadControllerImpl::RunTask");
  if (!tasks.some((task) => task.tdur !== undefined)) {
    throw new Error("the trace has no thread times");
  }
  // (An event of a few µs may come without its thread time: its wall time stands in.)
  const threadTime = (event) => event.tdur ?? event.dur;
  let longest = { tdur: 0, dur: 0 };
  let long = 0;
  let scriptMost = 0;
  let first = 0; // the first event not before the current task
  for (const task of tasks) {
    while (onThread[first].ts < task.ts) first++;
    let driver = false;
    let script = 0;
    let scriptEnd = -Infinity; // script events nested in one already counted are not counted again
    for (let i = first; i < onThread.length && onThread[i].ts <= task.ts + task.dur; i++) {
      const event = onThread[i];
      if (event.name === DRIVER_EVENT) driver = true;
      if (SCRIPT_EVENTS.has(event.name) && event.ts >= scriptEnd) {
        script += threadTime(event);
        scriptEnd = event.ts + event.dur;
      }
    }
    if (driver) continue;
    if (threadTime(task) > threadTime(longest)) longest = task;
    if (threadTime(task) >= LONG_TASK_US) long++;
    scriptMost = Math.max(scriptMost, script);
  }
  return {
    threadMs: threadTime(longest) / 1000,
    wallMs: longest.dur / 1000,
    long,
    scriptMs: scriptMost / 1000,
  };
}

/** The renderer main thread (`pid:tid`) that ran the most tasks. */
function mainThread(events) {
  const mains = new Set();
  for (const e of events) {
    if (e.ph === "M" && e.name === "thread_name" && e.args.name === "CrRendererMain") {
      mains.add(`${e.pid}:${e.tid}`);
    }
  }
  const tasks = new Map();
  for (const e of events) {
    const thread = `${e.pid}:${e.tid}`;
    if (e.ph === "X" && e.name === "ThreadControllerImpl::RunTask" && mains.has(thread)) {
      tasks.set(thread, (tasks.get(thread) ?? 0) + 1);
    }
  }
  return [...tasks].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
}
