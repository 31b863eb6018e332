/**
 * Whether a reader's scrolling of the panel means "follow the newest entry":
 * they are at the bottom, or their gesture heads down and ends where the
 * bottom was when it began, even if entries arrived meanwhile (the bottom
 * moved away from under their finger).
 *
 * @module
 */

/** Within this many px of the bottom counts as at the bottom. */
export const BOTTOM_SLACK_PX = 8;
/** Scroll events further apart than this start a new gesture. */
const GESTURE_GAP_MS = 200;
/** How many recent content heights are kept. */
const HEIGHTS_KEPT = 16;

/** What a decision reads of the scrolled element. */
export type ScrollBox = Pick<Element, "scrollTop" | "scrollHeight" | "clientHeight">;

/** A panel's reader gestures and its recent content heights. */
export interface ScrollGestures {
  /** Records the content height after a commit. */
  grew(height: number): void;
  /**
   * Whether the reader's scroll of `box`, seen now, returns to (or stays at)
   * the bottom; `lastTop`: its `scrollTop` last seen or set before.
   */
  atBottom(box: ScrollBox, lastTop: number): boolean;
}

/** Creates the gesture state of one panel. */
export function createScrollGestures(now: () => number = Date.now): ScrollGestures {
  /** The current gesture: when its last event came, the height and top when it began. */
  let at = -Infinity;
  let startHeight = 0;
  let lastTop = 0;
  /** The content height after recent commits, newest last. */
  const heights: { at: number; height: number }[] = [];
  return {
    grew(height) {
      heights.push({ at: now(), height });
      if (heights.length > HEIGHTS_KEPT) heights.shift();
    },
    atBottom(box, lastTopBefore) {
      const time = now();
      const top = box.scrollTop;
      const height = box.scrollHeight;
      if (time - at > GESTURE_GAP_MS) {
        // The content may have grown between the reader's input and this
        // event: count from the height a moment before the gesture.
        startHeight = height;
        for (const sample of heights) {
          if (time - sample.at <= GESTURE_GAP_MS) {
            startHeight = Math.min(startHeight, sample.height);
          }
        }
        lastTop = lastTopBefore;
      }
      at = time;
      const gap = height - box.clientHeight - top;
      const grown = Math.max(0, height - startHeight);
      const down = top >= lastTop;
      lastTop = top;
      return gap <= BOTTOM_SLACK_PX || (down && gap <= grown + BOTTOM_SLACK_PX);
    },
  };
}
