/**
 * What a store's writer holds for one job, whatever the store: entries not
 * stored yet, the recent entries readers in this process are served from, and
 * the flushes and the close waiting on it. Each store extends it with what
 * only it keeps (its outbox, its in-flight flag).
 *
 * @module
 */

import { callSoon } from "./abortable_wait.ts";
import type { Outcome, ReadResult } from "./store.ts";

/** Recent entries a writer keeps for readers in its process (older ones are read from the store). */
export const RECENT_ENTRIES = 20_000;

/** How long a closed job stays in a writer's memory for readers in its process, in ms. */
export const KEEP_CLOSED_MS = 60_000;

/** Forgets the jobs of `jobs` that were closed more than {@linkcode KEEP_CLOSED_MS} ago. */
export function forgetClosed(jobs: Map<string, WriteJob>): void {
  const now = Date.now();
  for (const [jobId, job] of jobs) {
    if (job.closed && now - job.closedAt > KEEP_CLOSED_MS) jobs.delete(jobId);
  }
}

/** A flush or close waiting for the job to reach a goal. */
export interface Goal<J extends WriteJob = WriteJob> {
  /** Whether the goal is reached. */
  ready(job: J): boolean;
  /** When the flush or close started waiting (ms). */
  since: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A job a store writes.
 */
export class WriteJob {
  readonly jobId: string;
  /** Marks the job's meta record as this logger's: no other logger (or reused id) writes to it. */
  readonly writer: string = crypto.randomUUID();
  /** Whether the meta record was stored (this store owns the job id). */
  created = false;
  /** The id the next appended entry gets. */
  next = 0;
  /** Entries not stored yet; the first has id `pendingFrom`. */
  pending: string[] = [];
  pendingFrom = 0;
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
  /** Whether a cancel was requested. */
  cancelled = false;
  readonly cancelListeners: Set<() => void> = new Set();
  /** Flushes and the close waiting on this job. */
  readonly goals: Set<Goal<this>> = new Set();
  /** Readers in this process waiting for news of this job. */
  readers: Set<() => void> = new Set();

  constructor(jobId: string) {
    this.jobId = jobId;
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

  /** The contiguous stored prefix: every id below it is stored. */
  get stored(): number {
    return this.pendingFrom;
  }

  /** Entries appended but not stored yet. */
  get unstored(): number {
    return this.pending.length;
  }

  /**
   * Calls `listener` once (never synchronously) when a reader at `cursor` has
   * news: a new entry or the end. Returns a function that stops watching.
   */
  watch(cursor: number, listener: () => void): () => void {
    if (this.closed || this.next > cursor) return callSoon(listener);
    this.readers.add(listener);
    return () => this.readers.delete(listener);
  }

  /** Whether a reader at `cursor` can be served from memory. */
  holds(cursor: number): boolean {
    return cursor >= this.recentFrom;
  }

  /** Entries from `cursor` on, from memory (see {@linkcode WriteJob.holds}). */
  read(cursor: number, limit: number): ReadResult {
    const ended = this.closed ? { outcome: this.outcome } : {};
    if (cursor > this.next) {
      // Past the end: the end comes back (less than the cursor), so the reader can tell.
      return { entries: [], next: this.next, done: this.closed, missed: 0, ...ended };
    }
    const to = Math.min(this.next, cursor + limit);
    const entries = this.recent.slice(cursor - this.recentFrom, to - this.recentFrom);
    const done = this.closed && to >= this.next;
    return { entries, next: to, done, missed: 0, ...(done ? ended : {}) };
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

  /**
   * Resolves when `ready(job)` holds (checked at each {@linkcode WriteJob.settle});
   * rejects if the store gives the goal up.
   */
  until(ready: (job: this) => boolean): Promise<void> {
    if (ready(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const goal: Goal<this> = {
        ready,
        since: Date.now(),
        resolve: () => {
          this.goals.delete(goal);
          resolve();
        },
        reject: (error) => {
          this.goals.delete(goal);
          reject(error);
        },
      };
      this.goals.add(goal);
    });
  }

  /** Resolves the goals reached and wakes the readers in this process. */
  settle(): void {
    for (const goal of this.goals) if (goal.ready(this)) goal.resolve();
    this.wake();
  }

  /**
   * Rejects every flush and close waiting on the job with `error` (its store
   * is disposed), and wakes its readers.
   */
  abandon(error: unknown): void {
    for (const goal of this.goals) goal.reject(error);
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
