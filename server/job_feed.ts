/**
 * The shared tail of one job in one process, whatever the store: every
 * reader of the job in the process reads from one {@linkcode FeedWindow} of
 * recent entries, at most one read of the store is in flight, and readers
 * waiting for news are woken when the window moves past their cursor or the
 * job ends. Each store extends it with how it learns of news and reads.
 *
 * @module
 */

import { callSoon } from "./abortable_wait.ts";
import { addWaiter, FeedWindow, type ReadWaiter } from "./feed_window.ts";
import type { ReadResult } from "./store.ts";

/** One job's shared reads: `read()` and `watch()` as the store's. */
export abstract class JobFeed {
  readonly jobId: string;
  /** When a reader last used the feed (ms). */
  usedAt: number = Date.now();
  /** The recent entries readers are served from. */
  protected readonly window: FeedWindow = new FeedWindow();
  /** Readers waiting for news. */
  protected readonly waiters: Set<ReadWaiter> = new Set();
  /** The read of the store in flight, shared by every caller. */
  protected inflight: Promise<void> | undefined;
  protected stopped = false;

  constructor(jobId: string) {
    this.jobId = jobId;
  }

  /** The id after the last entry the feed holds. */
  get next(): number {
    return this.window.next;
  }

  /** Whether a read is running or readers wait. */
  get busy(): boolean {
    return this.inflight !== undefined || this.waiters.size > 0;
  }

  /** Entries from `cursor` (at most `limit`); `undefined` for an unknown job. */
  abstract read(cursor: number, limit: number): Promise<ReadResult | undefined>;

  /**
   * What `read` would answer, when the feed can tell without reading the
   * store (the reader is inside the window and no read is due); else
   * `undefined`. Readers at the tail take this path on every wake-up.
   */
  abstract held(cursor: number, limit: number): ReadResult | undefined;

  /**
   * Calls `listener` once (never synchronously) when the feed has news for a
   * reader at `cursor`. Returns a function that stops watching.
   */
  watch(cursor: number, listener: () => void): () => void {
    this.usedAt = Date.now();
    if (this.stopped || cursor < this.next || this.ended) return callSoon(listener);
    const stop = addWaiter(this.waiters, cursor, listener);
    this.waiting();
    return stop;
  }

  /** Stops reading and wakes every waiter. */
  stop(): void {
    this.stopped = true;
    for (const waiter of [...this.waiters]) waiter.wake();
  }

  /** Wakes the readers with news: the window moved past their cursor, or the job ended. */
  protected wakeReaders(): void {
    for (const waiter of [...this.waiters]) {
      if (this.ended || waiter.cursor < this.next) waiter.wake();
    }
  }

  /** Whether the job ended and the feed holds all of it. */
  protected abstract get ended(): boolean;

  /** A reader began waiting: the store reads again when it is due. */
  protected abstract waiting(): void;
}
