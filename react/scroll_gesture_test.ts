import assert from "node:assert/strict";
import { BOTTOM_SLACK_PX, createScrollGestures } from "./scroll_gesture.ts";

/** Gestures on a clock the test moves. */
function gesturesAt() {
  let time = 1_000;
  const gestures = createScrollGestures(() => time);
  return { gestures, wait: (ms: number) => (time += ms) };
}

Deno.test("scroll gestures: at the bottom, within the slack, follows; above it does not", () => {
  const { gestures, wait } = gesturesAt();
  const view = { height: 1_000, clientHeight: 200, lastTop: 800 };
  assert.equal(gestures.atBottom({ ...view, top: 800 - BOTTOM_SLACK_PX }), true);
  wait(500);
  assert.equal(gestures.atBottom({ ...view, top: 700, lastTop: 800 }), false);
});

Deno.test("scroll gestures: a gesture down to where the bottom was follows, though entries arrived meanwhile", () => {
  const { gestures, wait } = gesturesAt();
  gestures.grew(1_000);
  wait(50);
  // The reader starts at 500 and heads down; the content grows to 1,300 under them.
  gestures.grew(1_300);
  assert.equal(
    gestures.atBottom({ top: 600, height: 1_300, clientHeight: 200, lastTop: 500 }),
    false,
  );
  wait(50);
  // They end where the bottom was when the gesture began (1,000 - 200).
  assert.equal(
    gestures.atBottom({ top: 800, height: 1_300, clientHeight: 200, lastTop: 600 }),
    true,
  );
});

Deno.test("scroll gestures: the same place reached heading up, or in a later gesture, does not follow", () => {
  const { gestures, wait } = gesturesAt();
  gestures.grew(1_300);
  assert.equal(
    gestures.atBottom({ top: 900, height: 1_300, clientHeight: 200, lastTop: 1_100 }),
    false,
  );
  wait(50);
  // Heading up within the gesture.
  assert.equal(
    gestures.atBottom({ top: 800, height: 1_300, clientHeight: 200, lastTop: 900 }),
    false,
  );
  // A new gesture, long after the content last grew: the bottom is where it is now.
  wait(1_000);
  assert.equal(
    gestures.atBottom({ top: 850, height: 1_300, clientHeight: 200, lastTop: 800 }),
    false,
  );
});
