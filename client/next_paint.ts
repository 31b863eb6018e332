/**
 * When the log stream works on the main thread: one commit per paint (at
 * the next animation frame, or a timer when none comes: a hidden tab, a
 * worker, a test without a DOM), and slices of work of about 8 ms, with
 * the main thread given back between them.
 *
 * @module
 */

/** The timer's delay where nothing paints: about one frame at 60 Hz. */
const FRAME_MS = 16;
/** The timer's delay beside an animation frame: what commits in a hidden tab. */
const HIDDEN_TAB_MS = 1_000;

/**
 * Runs `callback` once, before the next paint (an animation frame) or after
 * a timer, whichever comes first; the returned function cancels it.
 */
export function nextPaint(callback: () => void): () => void {
  let waiting = true;
  const cancel = () => {
    waiting = false;
    clearTimeout(timer);
  };
  const run = () => {
    if (!waiting) return;
    cancel();
    callback();
  };
  // An animation frame that comes after the timer finds nothing waiting (no need to cancel it).
  const page = globalThis as { requestAnimationFrame?: (run: () => void) => number };
  const painting = typeof page.requestAnimationFrame === "function";
  if (painting) page.requestAnimationFrame!(run);
  // Browsers paint nothing in a hidden tab: the timer commits about once a second there.
  const timer = setTimeout(run, painting ? HIDDEN_TAB_MS : FRAME_MS);
  return cancel;
}

/**
 * The time in ms, from `performance.now()`.
 */
export const now = (): number => performance.now();

/** How long one slice of main-thread work runs, in ms. */
const SLICE_MS = 8;
/** `due()` reads the clock once per this many calls. */
const CALLS_PER_CHECK = 16;

// The current slice of main-thread work (shared by every stream: they share the thread).
let sliceStart = 0;
let calls = 0;

/**
 * Whether the current slice of work has run for 8 ms (checked every 16
 * calls): time to {@linkcode giveBack} the main thread.
 */
export const due = (): boolean => ++calls % CALLS_PER_CHECK === 0 && now() - sliceStart > SLICE_MS;

/**
 * Gives the main thread back (the browser can paint and handle input), then
 * starts a new slice; resolves to whether `signal` was aborted meanwhile. A
 * `MessageChannel` message, so no 4 ms clamp as with nested timers.
 */
export async function giveBack(signal: AbortSignal): Promise<boolean> {
  await new Promise<void>((resolve) => {
    if (typeof MessageChannel !== "function") {
      setTimeout(resolve, 0);
      return;
    }
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      port2.close();
      resolve();
    };
    port2.postMessage(null);
  });
  sliceStart = now();
  return signal.aborted;
}
