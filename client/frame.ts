/**
 * Scheduling for the log stream: one callback per animation frame (with a
 * timer when no frame comes: a hidden tab, a worker, a test without a DOM),
 * and slices of main-thread work of about 8 ms, with the main thread given
 * back between them.
 *
 * @module
 */

/**
 * Runs `callback` once, at the next animation frame or after a timer,
 * whichever comes first; the returned function cancels it.
 *
 * @example
 * ```ts
 * import { nextFrame } from "./frame.ts";
 * const cancel = nextFrame(() => console.log("commit"));
 * cancel();
 * ```
 */
export function nextFrame(callback: () => void): () => void {
  let waiting: unknown = 1;
  const cancel = () => {
    waiting = 0;
    clearTimeout(timer);
  };
  const run = () => waiting && (cancel(), callback());
  // A frame that comes after the timer finds nothing waiting (no need to cancel it).
  const frame = (globalThis as { requestAnimationFrame?: (run: () => void) => number })
    .requestAnimationFrame?.(run);
  // Browsers run no frames in a hidden tab: the timer commits about once a second there.
  const timer = setTimeout(run, frame ? 1_000 : 16);
  return cancel;
}

/**
 * The time in ms, from `performance.now()`.
 *
 * @example
 * ```ts
 * import { now } from "./frame.ts";
 * const start = now();
 * ```
 */
export const now = (): number => performance.now();

// The current slice of main-thread work (shared by every stream: they share the thread).
let sliceStart = 0;
let calls = 0;

/**
 * Whether the current slice of work has run for 8 ms (checked every 16
 * calls): time to {@linkcode giveBack} the main thread.
 *
 * @example
 * ```ts
 * import { due, giveBack } from "./frame.ts";
 * const signal = new AbortController().signal;
 * for (let i = 0; i < 1e5; i++) if (due() && await giveBack(signal)) break;
 * ```
 */
export const due = (): boolean => !(++calls & 15) && now() - sliceStart > 8;

/**
 * Gives the main thread back (the browser can paint and handle input), then
 * starts a new slice; resolves to whether `signal` was aborted meanwhile. A
 * `MessageChannel` message, so no 4 ms clamp as with nested timers.
 *
 * @example
 * ```ts
 * import { giveBack } from "./frame.ts";
 * const aborted = await giveBack(new AbortController().signal); // false
 * ```
 */
export async function giveBack(signal: AbortSignal): Promise<boolean> {
  await new Promise((resolve) => {
    if (typeof MessageChannel != "function") return setTimeout(resolve, 0);
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      port2.close();
      resolve(0);
    };
    port2.postMessage(0);
  });
  sliceStart = now();
  return signal.aborted;
}
