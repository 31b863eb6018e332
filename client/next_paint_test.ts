/** Paints and time slices without a DOM (Deno has no requestAnimationFrame: the timer runs). */
import assert from "node:assert/strict";
import { afterNextPaint, giveBack } from "./next_paint.ts";

Deno.test("afterNextPaint: runs the callback once; cancelling stops it", async () => {
  let runs = 0;
  afterNextPaint(() => runs++);
  let cancelledRuns = 0;
  const cancel = afterNextPaint(() => cancelledRuns++);
  cancel();
  await new Promise<void>((resolve) => afterNextPaint(resolve));
  await new Promise<void>((resolve) => afterNextPaint(resolve));
  assert.equal(runs, 1);
  assert.equal(cancelledRuns, 0);
});

Deno.test("afterNextPaint: runs in a task of its own after the animation frame, not inside it", async () => {
  const page = globalThis as { requestAnimationFrame?: (run: () => void) => number };
  const frames: (() => void)[] = [];
  page.requestAnimationFrame = (run) => frames.push(run);
  try {
    let runs = 0;
    afterNextPaint(() => runs++);
    assert.equal(frames.length, 1);
    frames[0](); // the frame's callbacks, before its paint
    assert.equal(runs, 0);
    // A few tasks later (the timer beside the frame waits a second).
    for (let task = 0; task < 10 && runs === 0; task++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    assert.equal(runs, 1);
  } finally {
    delete page.requestAnimationFrame;
  }
});

Deno.test("giveBack: resolves in a later task, saying whether the signal aborted meanwhile", async () => {
  const controller = new AbortController();
  assert.equal(await giveBack(controller.signal), false);
  const back = giveBack(controller.signal);
  controller.abort();
  assert.equal(await back, true);
});
