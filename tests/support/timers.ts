/**
 * Test support: counts the timers started with `setTimeout` and not yet fired
 * or cleared while `body` runs, to prove that nothing is left behind.
 */

/** Runs `body` with `setTimeout`/`clearTimeout` counted; restores them after. */
export async function countingTimers<T>(
  body: (pending: () => number, started: () => number) => Promise<T>,
): Promise<T> {
  const { setTimeout: set, clearTimeout: clear } = globalThis;
  const live = new Set<unknown>();
  let started = 0;
  globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const id = set(
      (...a: unknown[]) => {
        live.delete(id);
        fn(...a);
      },
      ms,
      ...args,
    );
    live.add(id);
    started++;
    return id;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((id?: number) => {
    live.delete(id);
    clear(id);
  }) as typeof clearTimeout;
  try {
    return await body(() => live.size, () => started);
  } finally {
    globalThis.setTimeout = set;
    globalThis.clearTimeout = clear;
  }
}
