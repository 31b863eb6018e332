/**
 * Scheduling for the log stream: one callback per animation frame (with a
 * timer when no frame comes: a hidden tab, a worker, a test without a DOM),
 * and a way to give the main thread back between slices of work.
 */

/** Runs `callback` once, at the next animation frame or after a timer, whichever comes first; the returned function cancels it. */
export function nextFrame(callback: () => void): () => void {
  const g = globalThis as {
    requestAnimationFrame?: (callback: () => void) => number;
    cancelAnimationFrame?: (handle: number) => void;
  };
  const run = () => {
    cancel();
    callback();
  };
  const cancel = () => {
    clearTimeout(timer);
    g.cancelAnimationFrame?.(handle!);
  };
  const handle = g.requestAnimationFrame?.(run);
  // Browsers run no frames in a hidden tab: the timer commits about once a second there.
  const timer = setTimeout(run, handle ? 1_000 : 16);
  return cancel;
}

/**
 * Resolves in a new task, so the browser can paint and handle input first
 * (a `MessageChannel` message: no 4 ms clamp as with nested timers).
 */
export function yieldToMain(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof MessageChannel != "function") return void setTimeout(resolve, 0);
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      port2.close();
      resolve();
    };
    port2.postMessage(0);
  });
}
