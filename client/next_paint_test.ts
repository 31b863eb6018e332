/** Paints and time slices without a DOM (Deno has no requestAnimationFrame: the timer runs). */
import assert from "node:assert/strict";
import { giveBack, nextPaint } from "./next_paint.ts";

Deno.test("nextPaint: runs the callback once; cancelling stops it", async () => {
  let runs = 0;
  nextPaint(() => runs++);
  let cancelledRuns = 0;
  const cancel = nextPaint(() => cancelledRuns++);
  cancel();
  await new Promise<void>((resolve) => nextPaint(resolve));
  await new Promise<void>((resolve) => nextPaint(resolve));
  assert.equal(runs, 1);
  assert.equal(cancelledRuns, 0);
});

Deno.test("giveBack: resolves in a later task, saying whether the signal aborted meanwhile", async () => {
  const controller = new AbortController();
  assert.equal(await giveBack(controller.signal), false);
  const back = giveBack(controller.signal);
  controller.abort();
  assert.equal(await back, true);
});
