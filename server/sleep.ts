import { abortableWait } from "./abortable_wait.ts";

/**
 * Resolves after `ms`, at once when `signal` aborts, or when `wake` is
 * called (whichever comes first). Uses only `setTimeout` and `AbortSignal`,
 * so it runs on every runtime, Cloudflare Workers included.
 */
export function sleep(
  ms: number,
  signal: AbortSignal,
  register?: (wake: () => void) => () => void,
): Promise<void> {
  return abortableWait(signal, (wake) => {
    const timer = setTimeout(wake, ms);
    const unregister = register?.(wake);
    return () => {
      clearTimeout(timer);
      unregister?.();
    };
  });
}
