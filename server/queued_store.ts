/**
 * The {@linkcode Store} methods that `RedisStore` and `DynamoStore` share.
 *
 * @module
 */

import type { JobFeed } from "./job_feed.ts";
import type { Outcome, ReadResult, Store } from "./store.ts";
import type { StoreCore } from "./store_core.ts";
import type { WriteJob } from "./write_job.ts";

/**
 * What `RedisStore` and `DynamoStore` have in common: `append()` queues in
 * memory and the job's queue is written in batches in the background; a job
 * written in this process is read from its memory, and a job written
 * elsewhere through one feed per job, shared by all its readers here.
 *
 * Exported as a type only, to describe either store: those two stores are
 * the only ones made from it.
 */
export abstract class QueuedStore implements Store, Disposable, AsyncDisposable {
  readonly #core: StoreCore<WriteJob, JobFeed>;

  /** @ignore */
  protected constructor(core: StoreCore<WriteJob, JobFeed>) {
    this.#core = core;
  }

  /** Whether {@linkcode QueuedStore.dispose} was called. */
  get disposed(): boolean {
    return this.#core.disposed;
  }

  /** Entries appended but not stored yet, over all jobs of this store. */
  get unstored(): number {
    return this.#core.queue.unstored;
  }

  /** Starts writing a job; its record in the store is written in the background. */
  create(jobId: string): void {
    this.#core.create(jobId);
  }

  /** Queues one entry; it is written in the background. Ignored for unknown or closed jobs. */
  append(jobId: string, json: string): void {
    this.#core.queue.append(jobId, json);
  }

  /** Resolves once every entry appended so far to `jobId` is stored. */
  flush(jobId: string): Promise<void> {
    return this.#core.queue.flush(jobId);
  }

  /**
   * Ends a job: stores every entry, then marks the job done with `outcome`
   * (default `{ status: "ok" }`). Resolves once all is stored.
   */
  close(jobId: string, outcome: Outcome = { status: "ok" }): Promise<void> {
    return this.#core.close(jobId, outcome);
  }

  /**
   * The entries of a job from `cursor` on (at most `limit`): from this
   * process's writer when it holds them, else from the job's shared feed;
   * `undefined` when the store has no such job. Rejects with the store's own
   * error (`RedisStoreError`, `DynamoStoreError`) when it cannot be read.
   */
  read(jobId: string, cursor: number, limit = Infinity): Promise<ReadResult | undefined> {
    return this.#core.read(jobId, cursor, limit);
  }

  /**
   * Calls `listener` once (never synchronously) when there may be news for a
   * reader at `cursor`: at once in the writer's process, else when the job's
   * feed learns of it (a Redis message, a DynamoDB poll). Returns a function
   * that stops watching. The stream prefers it to `wait`: no promise or
   * signal per news.
   */
  watch(jobId: string, cursor: number, listener: () => void): () => void {
    return this.#core.watch(jobId, cursor, listener);
  }

  /** Resolves as {@linkcode QueuedStore.watch} calls back, or when `signal` aborts. */
  wait(jobId: string, cursor: number, signal: AbortSignal): Promise<void> {
    return this.#core.wait(jobId, cursor, signal);
  }

  /**
   * Stops the background writer, the lease and the feeds: pending
   * `flush()`/`close()` promises reject and entries not stored yet are
   * dropped (reported to `onError`).
   */
  abstract dispose(): void;

  /** Disposes the store at the end of a `using` block (see {@linkcode QueuedStore.dispose}). */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Waits for everything to be stored (at most as long as `flush()`), then disposes. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.#core.flushAll();
    } finally {
      this.dispose();
    }
  }
}
