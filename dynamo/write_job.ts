/**
 * What the writer holds for one job: entries not stored yet, the chunk items
 * cut from them, the recent entries readers in this process are served from,
 * and the flushes and close waiting on it.
 *
 * @module
 */

import type { Outcome, ReadResult } from "../server/store.ts";
import type { ChunkItem } from "./key_schema.ts";

/** Recent entries a writer keeps for readers in its process (older ones are read from the table). */
export const RECENT_ENTRIES = 20_000;

/** A flush or close waiting for its entries to be written. */
export interface FlushWaiter {
  /** Whether the waiter's goal is reached. */
  ready(job: WriteJob): boolean;
  since: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A job this store writes.
 */
export class WriteJob {
  readonly jobId: string;
  /** Marks the job's meta item as this logger's, so no other logger (or reused id) writes to it. */
  readonly writer: string = crypto.randomUUID();
  /** The meta item is stored (this store owns the job id in the table). */
  created = false;
  /** The id the next appended entry gets. */
  next = 0;
  /** Appended entries not cut into chunks yet; the first has id `pendingFrom`. */
  pending: string[] = [];
  pendingFrom = 0;
  /** Chunk items cut but not stored yet, in `seq` order. */
  outbox: ChunkItem[] = [];
  /** The last entries appended (stored or not); the first has id `recentFrom`. */
  recent: string[] = [];
  recentFrom = 0;
  closing = false;
  closed = false;
  /** When the job was closed (ms), for how long it is kept. */
  closedAt = 0;
  outcome: Outcome = { status: "ok" };
  /** When the last entry came (ms). */
  lastAppendAt: number = Date.now();
  /** The `storedTo` the last lease renewal recorded. */
  leaseStoredTo = 0;
  /** Whether a cancel was requested. */
  cancelled = false;
  readonly cancelListeners = new Set<() => void>();
  /** Flushes and the close waiting on this job. */
  readonly waiters = new Set<FlushWaiter>();
  /** Readers in this process waiting for news of this job. */
  readers = new Set<() => void>();

  constructor(jobId: string) {
    this.jobId = jobId;
  }

  /** The contiguous stored prefix: every id below it is in DynamoDB. */
  get stored(): number {
    return this.outbox.length > 0 ? this.outbox[0].seq : this.pendingFrom;
  }

  /** Queues one entry and wakes the readers in this process. */
  add(json: string): void {
    this.pending.push(json);
    this.recent.push(json);
    if (this.recent.length > RECENT_ENTRIES * 2) {
      const drop = this.recent.length - RECENT_ENTRIES;
      this.recent = this.recent.slice(drop);
      this.recentFrom += drop;
    }
    this.next++;
    this.lastAppendAt = Date.now();
    this.wake();
  }

  /** Whether a reader at `cursor` can be served from memory. */
  holds(cursor: number): boolean {
    return cursor >= this.recentFrom;
  }

  /** Entries from `cursor` on, from memory (see {@linkcode WriteJob.holds}). */
  read(cursor: number, limit: number): ReadResult {
    if (cursor > this.next) {
      // Past the end: the end comes back (less than the cursor), so the reader can tell.
      return { entries: [], next: this.next, done: this.closed, missed: 0, ...this.#ended() };
    }
    const from = cursor;
    const to = Math.min(this.next, from + limit);
    const entries = this.recent.slice(from - this.recentFrom, to - this.recentFrom);
    const done = this.closed && to >= this.next;
    return { entries, next: to, done, missed: 0, ...(done ? this.#ended() : {}) };
  }

  #ended(): { outcome?: Outcome } {
    return this.closed ? { outcome: this.outcome } : {};
  }

  /** Calls the cancel listeners once. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const listener of [...this.cancelListeners]) {
      try {
        listener();
      } catch (error) {
        console.error("streamator: a cancel listener threw", error);
      }
    }
  }

  /** Resolves the waiters whose goal is reached and wakes the readers in this process. */
  settle(): void {
    for (const waiter of this.waiters) if (waiter.ready(this)) waiter.resolve();
    this.wake();
  }

  /** Wakes the readers in this process. */
  wake(): void {
    if (this.readers.size === 0) return;
    const readers = this.readers;
    this.readers = new Set();
    for (const reader of readers) reader();
  }
}
