/**
 * When the log stream works on the main thread: one commit per paint (in a
 * task of its own right after the next animation frame, or on a timer when
 * none comes: a hidden tab, a worker, a test without a DOM), and slices of
 * work of about 8 ms, with the main thread given back between them.
 *
 * @module
 */

/** The timer's delay where nothing paints: about one frame at 60 Hz. */
const FRAME_MS = 16;
/** The timer's delay beside an animation frame: what commits in a hidden tab. */
const HIDDEN_TAB_MS = 1_000;

/**
 * Runs `callback` once, in a task of its own right after the next paint (an
 * animation frame), or after a timer, whichever comes first; the returned
 * function cancels it.
 *
 * Not inside the animation frame: what the callback changes (React's render
 * and commit, the rows' measuring layout) would run in the same task as the
 * frame's own style, layout and paint, and a burst would make each frame one
 * long task. After it, the frame paints the previous commit and the commit
 * is a task of its own, so each is about half as long; what it changes
 * shows one frame later.
 */
export function afterNextPaint(callback: () => void): () => void {
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
  // A task queued from the frame's callback runs once the frame has painted.
  const page = globalThis as { requestAnimationFrame?: (run: () => void) => number };
  const painting = typeof page.requestAnimationFrame === "function";
  if (painting) page.requestAnimationFrame!(() => nextTask(run));
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
 * starts a new slice; resolves to whether `signal` was aborted meanwhile.
 */
export async function giveBack(signal: AbortSignal): Promise<boolean> {
  await new Promise<void>((resolve) => nextTask(resolve));
  sliceStart = now();
  return signal.aborted;
}

/**
 * Runs `run` in a task of its own, queued now: a `MessageChannel` message,
 * so no 4 ms clamp as with nested timers.
 */
function nextTask(run: () => void): void {
  if (typeof MessageChannel !== "function") {
    setTimeout(run, 0);
    return;
  }
  const { port1, port2 } = new MessageChannel();
  port1.onmessage = () => {
    port1.close();
    port2.close();
    run();
  };
  port2.postMessage(null);
}
