/**
 * The jobs a store's writer holds, whatever the store: creating, appending
 * to, flushing and closing them, giving up a job another logger owns, failing
 * the flushes that waited too long, and disposing. Each store extends it with
 * how it stores the entries (its loop, its requests).
 *
 * @module
 */

import type { Outcome } from "./store.ts";
import { forgetClosed, type WriteJob } from "./write_job.ts";

/** The settings a {@linkcode WriteQueue} reads. */
export interface WriteQueueSettings<E extends Error> {
  /** Where failures go (the store's `onError`). */
  report(error: E): void;
  /** How long a flush or close waits through an outage before it rejects, in ms. */
  failAfterMs: number;
}

/**
 * The jobs a store writes.
 */
export abstract class WriteQueue<J extends WriteJob, E extends Error> {
  readonly jobs: Map<string, J> = new Map();
  /** The store's class name, for error messages (`"DynamoStore"`). */
  readonly #name: string;
  readonly #settings: WriteQueueSettings<E>;
  #disposed = false;

  constructor(name: string, settings: WriteQueueSettings<E>) {
    this.#name = name;
    this.#settings = settings;
  }

  /** Whether {@linkcode WriteQueue.dispose} was called. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** Entries appended but not stored yet, over all jobs. */
  get unstored(): number {
    let count = 0;
    for (const job of this.jobs.values()) count += job.unstored;
    return count;
  }

  /** The job `jobId` this store writes (closed ones too, for a while). */
  job(jobId: string): J | undefined {
    return this.jobs.get(jobId);
  }

  /** Starts writing `jobId`; an open job of that id is kept as it is. */
  create(jobId: string): J {
    if (this.#disposed) throw new Error(`${this.#name}: the store is disposed`);
    forgetClosed(this.jobs);
    // A closed job kept for readers gives way: a logger reusing its id is then refused.
    const existing = this.jobs.get(jobId);
    if (existing !== undefined && !existing.closed) return existing;
    const job = this.newJob(jobId);
    this.jobs.set(jobId, job);
    this.kick(job);
    return job;
  }

  /** Queues one entry; ignored for unknown or closing jobs. */
  append(jobId: string, json: string): void {
    const job = this.jobs.get(jobId);
    if (job === undefined || job.closing || this.#disposed) return;
    this.add(job, json);
    this.kick(job);
  }

  /** Resolves once every entry appended so far to `jobId` is stored. */
  flush(jobId: string): Promise<void> {
    const job = this.jobs.get(jobId);
    if (job === undefined) return Promise.resolve();
    const target = job.next;
    return this.until(job, (j) => j.created && j.stored >= target);
  }

  /** Stores every entry of `jobId`, then marks it done with `outcome`. */
  close(jobId: string, outcome: Outcome): Promise<void> {
    const job = this.jobs.get(jobId);
    if (job === undefined) return Promise.resolve();
    if (!job.closing) {
      job.closing = true;
      job.outcome = outcome;
      this.kick(job);
    }
    return this.until(job, (j) => j.closed);
  }

  /** Rejects every goal, wakes every reader and stops; returns how many entries were not stored. */
  dispose(): number {
    if (this.#disposed) return 0;
    this.#disposed = true;
    this.stop();
    const unstored = this.unstored;
    const error = this.disposedWith(unstored);
    if (unstored > 0) this.#settings.report(error);
    for (const job of this.jobs.values()) job.abandon(error);
    this.jobs.clear();
    return unstored;
  }

  /** Resolves when `ready(job)` holds; a store may also start its loop here. */
  protected until(job: J, ready: (job: J) => boolean): Promise<void> {
    return job.until(ready);
  }

  /**
   * Gives up `job`: another logger owns its id (or it has ended). Says so,
   * rejects its flushes and close, wakes its readers and forgets it.
   */
  protected refuse(job: J, error: E): void {
    this.#settings.report(error);
    console.warn(`streamator: ${error.message}`);
    for (const goal of job.goals) goal.reject(error);
    job.wake();
    this.jobs.delete(job.jobId);
  }

  /**
   * A write failed with `error`: reports it (and, at the start of an outage,
   * says that the entries are kept), and rejects the flushes and closes that
   * waited longer than `failAfterMs`, or all of them when `final`.
   */
  protected failed(error: E, now: number, first: boolean, final = false): void {
    this.#settings.report(error);
    if (first) {
      console.warn(
        `streamator: ${error.message}; ${this.unstored} entries are kept in memory and retried`,
      );
    }
    for (const job of this.jobs.values()) {
      for (const goal of job.goals) {
        if (final || now - goal.since >= this.#settings.failAfterMs) goal.reject(error);
      }
    }
  }

  /** A new job of this store. */
  protected abstract newJob(jobId: string): J;
  /** Queues `json` on `job`. */
  protected abstract add(job: J, json: string): void;
  /** `job` has work: the store's loop stores it (soon, or after a running round). */
  protected abstract kick(job: J): void;
  /** Stops the store's loop and timers for good. */
  protected abstract stop(): void;
  /** The error pending flushes and closes reject with when the store is disposed. */
  protected abstract disposedWith(unstored: number): E;
}
