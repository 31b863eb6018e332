/**
 * Resolves after `ms`, at once when `signal` aborts, or when `wake` is
 * called (whichever comes first). Uses only `setTimeout` and `AbortSignal`,
 * so it runs on every runtime, Cloudflare Workers included.
 *
 * @example
 * ```ts
 * import { sleep } from "./sleep.ts";
 * await sleep(10, new AbortController().signal);
 * ```
 */
export function sleep(
  ms: number,
  signal: AbortSignal,
  register?: (wake: () => void) => () => void,
): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      unregister?.();
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
    const unregister = register?.(done);
  });
}
