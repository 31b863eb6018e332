/**
 * What a store that writes through a queue of {@linkcode WriteJob}s and reads
 * other processes' jobs through one shared feed per job does, whatever it
 * stores in: jobs written here are served from the writer's memory, others
 * from their feed; a lease is kept while a job is open; idle feeds are
 * forgotten; disposing stops the lease, the queue and every feed. A
 * `QueuedStore` is made from one; the DynamoDB and Redis stores
 * keep it too, for what only they do (results, cancels, their client or
 * connections).
 *
 * Internal: no entry point exports it.
 *
 * @module
 */

import { abortableWait, callSoon } from "./abortable_wait.ts";
import { checkOutcome } from "./outcome.ts";
import type { Outcome, ReadResult, ResultRead } from "./store.ts";
import type { JobFeed } from "./job_feed.ts";
import type { WriteJob } from "./write_job.ts";
import type { WriteQueue } from "./write_queue.ts";

/** A feed is forgotten once no reader used it for this long at the least, in ms. */
const FEED_IDLE_MIN_MS = 60_000;
/** ...or for this many of its read intervals, when that is longer. */
const FEED_IDLE_INTERVALS = 10;

/** The lease a {@linkcode StoreCore} keeps for the open jobs of its queue. */
export interface CoreLease {
  /** Starts the timer when a job is open, stops it when none is. */
  update(): void;
  stop(): void;
}

/** The parts a {@linkcode StoreCore} is made of. */
export interface StoreCoreParts<J extends WriteJob, F extends JobFeed> {
  /** The store's class name, for error messages (`"DynamoStore"`). */
  name: string;
  queue: WriteQueue<J, Error>;
  lease: CoreLease;
  /** Makes the feed of a job (called on the job's first read elsewhere). */
  feed(jobId: string): F;
  /** How often a feed reads on its own, in ms: an idle feed is forgotten after ten of these. */
  feedIntervalMs: number;
  /** Called each time a reader starts waiting on a feed. */
  onFeedWait?(): void;
}

/**
 * A store's writer, lease and feeds, and the {@linkcode Store} methods that
 * only use them.
 */
export class StoreCore<J extends WriteJob, F extends JobFeed> {
  readonly queue: WriteQueue<J, Error>;
  readonly #parts: StoreCoreParts<J, F>;
  readonly #feeds = new Map<string, F>();
  #disposed = false;

  constructor(parts: StoreCoreParts<J, F>) {
    this.#parts = parts;
    this.queue = parts.queue;
  }

  /** Whether {@linkcode StoreCore.dispose} was called. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** The feeds of jobs read here and written elsewhere. */
  get feeds(): IterableIterator<F> {
    return this.#feeds.values();
  }

  /** The job `jobId` this process writes (closed ones too, for a while). */
  job(jobId: string): J | undefined {
    return this.queue.job(jobId);
  }

  create(jobId: string): void {
    this.queue.create(jobId);
    this.#parts.lease.update();
  }

  close(jobId: string, outcome: Outcome): Promise<void> {
    const checked = checkOutcome(outcome, `${this.#parts.name}.close`);
    return this.queue.close(jobId, checked).finally(() => this.#parts.lease.update());
  }

  /**
   * The entries of a job from `cursor` on: from the writer when it holds
   * them, else from the job's shared feed; `undefined` for an unknown job.
   */
  read(jobId: string, cursor: number, limit: number): Promise<ReadResult | undefined> {
    const job = this.queue.job(jobId);
    if (job !== undefined && job.holds(cursor)) return Promise.resolve(job.read(cursor, limit));
    const feed = this.#feed(jobId);
    const held = feed.held(cursor, limit);
    if (held !== undefined) return Promise.resolve(held);
    return this.#readFeed(feed, job, cursor, limit);
  }

  /** A read that waits on the feed (its first read, or one that is due). */
  async #readFeed(
    feed: F,
    job: J | undefined,
    cursor: number,
    limit: number,
  ): Promise<ReadResult | undefined> {
    const { jobId } = feed;
    const result = await feed.read(cursor, limit);
    if (result === undefined && !feed.busy && this.#feeds.get(jobId) === feed) {
      feed.stop(); // no such job: nothing is kept for it
      this.#feeds.delete(jobId);
    }
    // A job this store writes exists before its first write lands: no 404 in between.
    if (result === undefined && job !== undefined) {
      return { entries: [], next: cursor, done: false, missed: 0 };
    }
    return result;
  }

  /**
   * Calls `listener` once (never synchronously) when there may be news for a
   * reader at `cursor`: at once in the writer's process, through the job's
   * feed elsewhere. Returns a function that stops watching.
   */
  watch(jobId: string, cursor: number, listener: () => void): () => void {
    if (this.#disposed) return callSoon(listener);
    const job = this.queue.job(jobId);
    if (job !== undefined && job.holds(cursor)) return job.watch(cursor, listener);
    const stop = this.#feed(jobId).watch(cursor, listener);
    this.#parts.onFeedWait?.();
    return stop;
  }

  /** Resolves as {@linkcode StoreCore.watch} calls back, or when `signal` aborts. */
  wait(jobId: string, cursor: number, signal: AbortSignal): Promise<void> {
    return abortableWait(signal, (wake) => this.watch(jobId, cursor, wake));
  }

  /**
   * Checks `json` for `setResult` and, when this process writes the job,
   * stores its entries first (so that its meta record exists).
   */
  async beforeSetResult(jobId: string, json: string): Promise<void> {
    if (typeof json !== "string") {
      throw new TypeError(`${this.#parts.name}.setResult: json must be a string of JSON text`);
    }
    if (this.queue.job(jobId) !== undefined) await this.queue.flush(jobId);
  }

  /**
   * `stored`, the result the store read, or, when it has none and this
   * process writes the job, no result yet; `undefined` for an unknown job.
   */
  resultOrLocal(jobId: string, stored: ResultRead | undefined): ResultRead | undefined {
    const job = this.queue.job(jobId);
    if (stored === undefined && job !== undefined) return { json: undefined, done: job.closed };
    return stored;
  }

  /**
   * Calls `listener` once when a cancel is requested for a job this process
   * writes; `watch(job)` may listen for cancels from elsewhere too, and
   * returns how to stop.
   */
  onCancel(jobId: string, listener: () => void, watch?: (job: J) => () => void): () => void {
    const job = this.queue.job(jobId);
    if (job === undefined) return () => {};
    if (job.cancelled) {
      queueMicrotask(listener);
      return () => {};
    }
    job.cancelListeners.add(listener);
    const stop = watch?.(job);
    return () => {
      job.cancelListeners.delete(listener);
      stop?.();
    };
  }

  /** Resolves once every job of this process is stored (rejects as `flush()` does). */
  async flushAll(): Promise<void> {
    await Promise.all([...this.queue.jobs.keys()].map((jobId) => this.queue.flush(jobId)));
  }

  /** Stops the lease, the writer and the feeds; `false` when already disposed. */
  dispose(): boolean {
    if (this.#disposed) return false;
    this.#disposed = true;
    this.#parts.lease.stop();
    this.queue.dispose();
    for (const feed of this.#feeds.values()) feed.stop();
    this.#feeds.clear();
    return true;
  }

  /** The shared feed of a job (made on first use; idle feeds are forgotten). */
  #feed(jobId: string): F {
    let feed = this.#feeds.get(jobId);
    if (feed !== undefined) return feed;
    const now = Date.now();
    const idle = Math.max(FEED_IDLE_MIN_MS, FEED_IDLE_INTERVALS * this.#parts.feedIntervalMs);
    for (const [id, other] of this.#feeds) {
      if (!other.busy && now - other.usedAt > idle) {
        other.stop();
        this.#feeds.delete(id);
      }
    }
    feed = this.#parts.feed(jobId);
    this.#feeds.set(jobId, feed);
    return feed;
  }
}
