/**
 * The result writes of one job: each value checked as JSON, written in the
 * order given, and waited for by the job's end, so a reader that sees the end
 * can read the result.
 */
import type { Store } from "./store.ts";
import { errorMessage } from "./outcome.ts";
import { typeName } from "./describe.ts";

/**
 * Writes one job's result to its store, one write after another, and runs the
 * job's end after the writes under way. `JobLogger.setResult` and
 * `JobLogger.close` are built on it.
 */
export class ResultWrites {
  readonly #store: Store;
  readonly #jobId: string;
  /** Settles when the last write does (never rejects); `undefined` when none is under way. */
  #pending: Promise<unknown> | undefined;

  /** Writes for the job `jobId` in `store`. */
  constructor(store: Store, jobId: string) {
    this.#store = store;
    this.#jobId = jobId;
  }

  /**
   * Stores `value` as the job's result, after the writes already under way.
   * Rejects with a TypeError for a value JSON cannot encode or a store that
   * keeps no results, and with an Error once the job is `closed`.
   */
  set(value: unknown, closed: boolean): Promise<void> {
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch (error) {
      return Promise.reject(
        new TypeError(`JobLogger.setResult: value must be JSON: ${errorMessage(error)}`),
      );
    }
    if (json === undefined) {
      return Promise.reject(
        new TypeError(`JobLogger.setResult: value must be JSON, got ${typeName(value)}`),
      );
    }
    if (closed) {
      return Promise.reject(
        new Error(
          `JobLogger.setResult: job ${this.#jobId} is closed; set the result before close()`,
        ),
      );
    }
    if (typeof this.#store.setResult !== "function") {
      return Promise.reject(new TypeError("JobLogger.setResult: this store keeps no results"));
    }
    const write = (this.#pending ?? Promise.resolve()).then(() =>
      this.#store.setResult!(this.#jobId, json)
    );
    const settled: Promise<unknown> = write.catch(() => {}).then(() => {
      if (this.#pending === settled) this.#pending = undefined;
    });
    this.#pending = settled;
    return write;
  }

  /**
   * Calls `end` once every write under way has settled (failed or not); at
   * once when none is, so a `using` block's end closes synchronously.
   */
  afterWrites<T>(end: () => Promise<T>): Promise<T> {
    return this.#pending === undefined ? end() : this.#pending.then(() => end());
  }
}
