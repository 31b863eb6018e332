import assert from "node:assert/strict";
import { BOTTOM_SLACK_PX, createScrollGestures } from "./scroll_gesture.ts";

/** A scrolled element: its scrollTop, scrollHeight and clientHeight. */
const box = (scrollTop: number, scrollHeight: number, clientHeight: number) => ({
  scrollTop,
  scrollHeight,
  clientHeight,
});

/** Gestures on a clock the test moves. */
function gesturesAt() {
  let time = 1_000;
  const gestures = createScrollGestures(() => time);
  return { gestures, wait: (ms: number) => (time += ms) };
}

Deno.test("scroll gestures: at the bottom, within the slack, follows; above it does not", () => {
  const { gestures, wait } = gesturesAt();
  assert.equal(gestures.atBottom(box(800 - BOTTOM_SLACK_PX, 1_000, 200), 800), true);
  wait(500);
  assert.equal(gestures.atBottom(box(700, 1_000, 200), 800), false);
});

Deno.test("scroll gestures: a gesture down to where the bottom was follows, though entries arrived meanwhile", () => {
  const { gestures, wait } = gesturesAt();
  gestures.grew(1_000);
  wait(50);
  // The reader starts at 500 and heads down; the content grows to 1,300 under them.
  gestures.grew(1_300);
  assert.equal(
    gestures.atBottom(box(600, 1_300, 200), 500),
    false,
  );
  wait(50);
  // They end where the bottom was when the gesture began (1,000 - 200).
  assert.equal(
    gestures.atBottom(box(800, 1_300, 200), 600),
    true,
  );
});

Deno.test("scroll gestures: the same place reached heading up, or in a later gesture, does not follow", () => {
  const { gestures, wait } = gesturesAt();
  gestures.grew(1_300);
  assert.equal(
    gestures.atBottom(box(900, 1_300, 200), 1_100),
    false,
  );
  wait(50);
  // Heading up within the gesture.
  assert.equal(
    gestures.atBottom(box(800, 1_300, 200), 900),
    false,
  );
  // A new gesture, long after the content last grew: the bottom is where it is now.
  wait(1_000);
  assert.equal(
    gestures.atBottom(box(850, 1_300, 200), 800),
    false,
  );
});
