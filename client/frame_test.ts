/** Frames and time slices without a DOM (Deno has no requestAnimationFrame: the timer runs). */
import assert from "node:assert/strict";
import { giveBack, nextFrame } from "./frame.ts";

Deno.test("nextFrame: runs the callback once; cancelling stops it", async () => {
  let runs = 0;
  nextFrame(() => runs++);
  let cancelledRuns = 0;
  const cancel = nextFrame(() => cancelledRuns++);
  cancel();
  await new Promise<void>((resolve) => nextFrame(resolve));
  await new Promise<void>((resolve) => nextFrame(resolve));
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
