/**
 * How a job hears that it was cancelled: an `AbortSignal` aborted by the
 * store's `onCancel`, with an `AbortError` as its reason.
 */
import type { Store } from "./store.ts";

/**
 * Watches the store for a cancel of one job and aborts {@linkcode signal}
 * when one comes. A store without `onCancel` never aborts it. Call `stop()`
 * once the job has ended.
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
   */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /**
   * Stops watching; the signal keeps the state it has.
   */
  stop(): void {
    this.#unwatch?.();
    this.#unwatch = undefined;
  }
}
