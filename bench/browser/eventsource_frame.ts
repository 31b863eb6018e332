/**
 * One callback per animation frame, with a timer where there are no frames
 * (old engines, workers, tests without a DOM) or while the page is hidden
 * (browsers pause frames in background tabs; the log still catches up).
 */

/** Cancels a scheduled callback. */
export type CancelFrame = () => void;

/** Runs `callback` at the next animation frame, or after a short timer without one. */
export function nextFrame(callback: () => void): CancelFrame {
  const g = globalThis as {
    requestAnimationFrame?: (callback: () => void) => number;
    cancelAnimationFrame?: (handle: number) => void;
    document?: { hidden?: boolean };
  };
  if (typeof g.requestAnimationFrame === "function" && g.document?.hidden !== true) {
    const request = g.requestAnimationFrame;
    const cancel = g.cancelAnimationFrame;
    const handle = request.call(globalThis, callback);
    return () => {
      if (typeof cancel === "function") cancel.call(globalThis, handle);
    };
  }
  const timer = setTimeout(callback, g.document?.hidden === true ? 250 : 16);
  return () => clearTimeout(timer);
}
