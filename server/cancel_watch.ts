/**
 * How a job hears that it was cancelled: an `AbortSignal` aborted by the
 * store's `onCancel`, with an `AbortError` as its reason.
 */
import type { Store } from "./store.ts";

/**
 * Watches the store for a cancel of one job and aborts {@linkcode signal}
 * when one comes. A store without `onCancel` never aborts it. Call `stop()`
 * once the job has ended.
 *
 * @example
 * ```ts
 * import { MemoryStore } from "@streamator/core";
 * import { CancelWatch } from "./cancel_watch.ts";
 * const store = new MemoryStore();
 * store.create("job-1");
 * const watch = new CancelWatch(store, "job-1");
 * await store.cancel("job-1");
 * console.log(watch.signal.aborted); // true: its reason is an AbortError
 * watch.stop();
 * ```
 */
export class CancelWatch {
  readonly #abort = new AbortController();
  #unwatch: (() => void) | undefined;

  /** Starts watching the job `jobId` in `store`. */
  constructor(store: Store, jobId: string) {
    this.#unwatch = store.onCancel?.(jobId, () => {
      this.#abort.abort(new DOMException(`job ${jobId} was cancelled`, "AbortError"));
    });
  }

  /**
   * Aborted when the job is cancelled.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "@streamator/core";
   * import { CancelWatch } from "./cancel_watch.ts";
   * const store = new MemoryStore();
   * store.create("job-1");
   * const { signal } = new CancelWatch(store, "job-1");
   * await fetch("data:text/plain,page", { signal });
   * ```
   */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /**
   * Stops watching; the signal keeps the state it has.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "@streamator/core";
   * import { CancelWatch } from "./cancel_watch.ts";
   * const store = new MemoryStore();
   * store.create("job-1");
   * new CancelWatch(store, "job-1").stop();
   * ```
   */
  stop(): void {
    this.#unwatch?.();
    this.#unwatch = undefined;
  }
}
