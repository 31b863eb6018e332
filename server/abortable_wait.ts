const NOOP = () => {};

/**
 * A `watch` answer for a reader that has news already: calls `listener` once
 * the current task is done (a watch never calls back synchronously) and
 * returns a stop function with nothing left to stop.
 */
export function callSoon(listener: () => void): () => void {
  queueMicrotask(listener);
  return NOOP;
}

/**
 * Resolves when `listen`'s `wake` is called or `signal` aborts, whichever
 * comes first, then removes both: `listen(wake)` registers `wake` wherever the
 * news comes from and returns how to unregister it. Waiting this way holds no
 * timer and no read: one callback and one abort listener.
 */
export function abortableWait(
  signal: AbortSignal,
  listen: (wake: () => void) => () => void,
): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    let woken = false;
    const listening: { stop?: () => void } = {};
    const wake = () => {
      if (woken) return;
      woken = true;
      signal.removeEventListener("abort", wake);
      listening.stop?.();
      resolve();
    };
    signal.addEventListener("abort", wake);
    const stop = listen(wake);
    if (woken) stop(); // `listen` called `wake` before it returned
    else listening.stop = stop;
  });
}
