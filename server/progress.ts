/**
 * `JobLogger.progress()`: its argument checks, and the coalescing that lets
 * a job call it thousands of times a second while readers get a few
 * entries a second, always ending on the newest value.
 */
import { describe } from "./describe.ts";
import { PROGRESS } from "./wire.ts";

/** The least time between two progress entries of one job, in ms. */
export const PROGRESS_INTERVAL_MS = 250;

/**
 * Checks the arguments of `progress(done, total, label)`: `done` a finite
 * number, 0 or more; `total`, when given, a finite number above 0; `label`,
 * when given, a string. Throws a TypeError naming the argument.
 */
export function checkProgressArgs(done: unknown, total: unknown, label: unknown): void {
  if (typeof done !== "number" || !Number.isFinite(done) || done < 0) {
    throw new TypeError(
      `JobLogger.progress: done must be a finite number, 0 or more; got ${shown(done)}`,
    );
  }
  if (total !== undefined && (typeof total !== "number" || !Number.isFinite(total) || total <= 0)) {
    throw new TypeError(
      `JobLogger.progress: total must be a finite number above 0, or undefined; got ${
        shown(total)
      }`,
    );
  }
  if (label !== undefined && typeof label !== "string") {
    throw new TypeError(
      `JobLogger.progress: label must be a string, or undefined; got ${describe(label)}`,
    );
  }
}

/** A refused value as an error message shows it: numbers as written, else by `describe`. */
function shown(value: unknown): string {
  return typeof value === "number" ? String(value) : describe(value);
}

/** One progress value, with the time `progress()` was called. */
interface Value {
  done: number;
  total: number | undefined;
  label: string | undefined;
  t: number;
}

/**
 * Turns a stream of progress values into at most one entry per
 * `intervalMs`: the first value of a quiet spell is written at once, later
 * ones wait and only the newest is written when the interval is over (or
 * earlier, by `flush()`, which the logger calls before any other entry and
 * before closing, so entries read in the order they were made). A value
 * equal to the last one written is not written again.
 */
export class ProgressCoalescer {
  readonly #write: (json: string) => void;
  readonly #intervalMs: number;
  /** The newest value not written yet. */
  #pending: Value | undefined;
  /** The JSON of the last entry written, to skip an unchanged value. */
  #last = "";
  /** When the last entry was written (`performance.now()`), or -Infinity. */
  #writtenAt = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(write: (json: string) => void, intervalMs: number = PROGRESS_INTERVAL_MS) {
    this.#write = write;
    this.#intervalMs = intervalMs;
  }

  /** Takes a new value (already checked), written now or when the interval is over. */
  set(done: number, total: number | undefined, label: string | undefined, t: number): void {
    this.#pending = { done, total, label, t };
    const wait = this.#writtenAt + this.#intervalMs - performance.now();
    if (wait <= 0) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), wait);
  }

  /** Writes the newest value now, if one is waiting. */
  flush(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const value = this.#pending;
    if (value === undefined) return;
    this.#pending = undefined;
    // Fields in a fixed order, so the entry starts with "event" (see isProgressJson).
    const entry: Record<string, unknown> = { event: PROGRESS, done: value.done };
    if (value.total !== undefined) entry.total = value.total;
    if (value.label !== undefined) entry.label = value.label;
    const same = JSON.stringify(entry);
    if (same === this.#last) return;
    this.#last = same;
    entry.t = value.t;
    this.#writtenAt = performance.now();
    this.#write(JSON.stringify(entry));
  }
}
