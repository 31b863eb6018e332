/**
 * One callback per animation frame, with a timer where there are no frames
 * (old engines, workers, tests without a DOM).
 */

/** Cancels a scheduled callback. */
export type CancelFrame = () => void;

/** Runs `callback` at the next animation frame, or after about 16 ms without one. */
export function nextFrame(callback: () => void): CancelFrame {
  const g = globalThis as {
    requestAnimationFrame?: (callback: () => void) => number;
    cancelAnimationFrame?: (handle: number) => void;
  };
  if (typeof g.requestAnimationFrame === "function") {
    const request = g.requestAnimationFrame;
    const cancel = g.cancelAnimationFrame;
    const handle = request.call(globalThis, callback);
    return () => {
      if (typeof cancel === "function") cancel.call(globalThis, handle);
    };
  }
  const timer = setTimeout(callback, 16);
  return () => clearTimeout(timer);
}
