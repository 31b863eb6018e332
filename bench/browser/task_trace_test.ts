/** The figures the browser bench reads from a trace of the page's tasks. */
import assert from "node:assert/strict";
import { summarizeTasks } from "./task_trace.mjs";

const PID = 7;
const MAIN = 1;
const OTHER = 2;

/** A complete trace event ("X") on a thread, times in µs. */
const event = (name: string, ts: number, dur: number, tdur = dur, tid = MAIN) => ({
  ph: "X",
  pid: PID,
  tid,
  name,
  ts,
  dur,
  tdur,
});
const task = (ts: number, dur: number, tdur = dur, tid = MAIN) =>
  event("ThreadControllerImpl::RunTask", ts, dur, tdur, tid);
const threadName = (tid: number) => ({
  ph: "M",
  pid: PID,
  tid,
  name: "thread_name",
  args: { name: "CrRendererMain" },
});

Deno.test("summarizeTasks: the longest task by thread time, the long ones, and the most script in one task", () => {
  const events = [
    threadName(MAIN),
    threadName(OTHER),
    // A frame of Chromium's own work: long, with a short rAF callback in it.
    task(0, 80_000, 60_000),
    event("FunctionCall", 1_000, 2_000),
    // A commit: a message handler, then microtasks (React's render, a forced layout).
    task(100_000, 45_000, 40_000),
    event("FunctionCall", 100_000, 5_000),
    event("RunMicrotasks", 105_000, 35_000, 30_000),
    event("FunctionCall", 110_000, 10_000), // inside the microtasks: counted once
    // The driver's evaluation of the start: left out, however long.
    task(200_000, 300_000),
    event("EvaluateScript", 200_000, 300_000),
    event("FunctionCall", 201_000, 299_000),
    // A short task of another renderer's main thread, which ran fewer tasks.
    task(0, 90_000, 90_000, OTHER),
  ];
  assert.deepEqual(summarizeTasks(events), {
    threadMs: 60,
    wallMs: 80,
    long: 1,
    scriptMs: 35,
  });
});

Deno.test("summarizeTasks: a trace without thread times is an error", () => {
  const events = [threadName(MAIN), { ...task(0, 1_000), tdur: undefined }];
  assert.throws(() => summarizeTasks(events), /no thread times/);
});
