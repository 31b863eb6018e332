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
    let unlisten: (() => void) | undefined;
    const wake = () => {
      if (woken) return;
      woken = true;
      signal.removeEventListener("abort", wake);
      unlisten?.();
      resolve();
    };
    signal.addEventListener("abort", wake);
    unlisten = listen(wake);
    if (woken) unlisten(); // `listen` called `wake` before it returned
  });
}
