/**
 * The writer of the Redis store: `append()` queues in memory, and each job
 * sends its queue in batches, one Lua script per batch (see `scripts.ts`),
 * one batch in flight per job, so entries logged while a batch is on its way
 * go together in the next. A failed batch is retried with backoff; entries
 * stay queued (at most `maxUnstored` per job, the oldest dropped past it and
 * reported) until they are stored.
 *
 * @module
 */

import type { Outcome } from "../server/store.ts";
import { type Context, LEASE_TTL_LEASES, scriptKeys } from "./context.ts";
import { APPEND, CLOSE } from "./scripts.ts";
import { RedisStoreError } from "./errors.ts";
import { RedisWriteJob } from "./write_job.ts";
import { forgetClosed } from "../server/write_job.ts";

/** Entries per script call at most. */
const BATCH_ENTRIES = 5_000;
/** Backoff after a failed request: first and longest delay, in ms. */
const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 1_000;
/** What the append script answers when another writer owns the job, or it has ended. */
const OWNED_ELSEWHERE = -1;
const ENDED = -2;

/**
 * The jobs a store writes and their send loops.
 *
 * @example
 * ```ts ignore
 * import { WriteQueue } from "./write_queue.ts";
 * declare const ctx: import("./context.ts").Context;
 * const queue = new WriteQueue(ctx);
 * queue.create("job-1");
 * queue.append("job-1", '{"event":"log","message":"hi","level":"info","t":0}');
 * await queue.close("job-1", { status: "ok" });
 * ```
 */
export class WriteQueue {
  readonly jobs: Map<string, RedisWriteJob> = new Map();
  readonly #ctx: Context;
  /** Jobs whose send loop is due: a timer, or `undefined` for a microtask. */
  readonly #timers = new Map<RedisWriteJob, ReturnType<typeof setTimeout> | undefined>();
  /** When the current outage began (ms), or undefined. */
  #failingSince: number | undefined;
  #failures = 0;
  #disposed = false;
  /** Script calls sent (appends, renewals and closes). */
  requests = 0;

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  /** Entries appended but not stored yet, over all jobs. */
  get unstored(): number {
    let count = 0;
    for (const job of this.jobs.values()) count += job.pending.length;
    return count;
  }

  job(jobId: string): RedisWriteJob | undefined {
    return this.jobs.get(jobId);
  }

  create(jobId: string): RedisWriteJob {
    if (this.#disposed) throw new Error("RedisStore: the store is disposed");
    forgetClosed(this.jobs);
    const existing = this.jobs.get(jobId);
    if (existing !== undefined && !existing.closed) return existing;
    const job = new RedisWriteJob(jobId);
    this.jobs.set(jobId, job);
    this.#schedule(job, 0);
    return job;
  }

  append(jobId: string, json: string): void {
    const job = this.jobs.get(jobId);
    if (job === undefined || job.closing || this.#disposed) return;
    job.add(json);
    const dropped = job.bound(this.#ctx.settings.maxUnstored);
    if (dropped > 0) this.#reportDropped(job, dropped);
    this.#schedule(job, 0);
  }

  flush(jobId: string): Promise<void> {
    const job = this.jobs.get(jobId);
    if (job === undefined) return Promise.resolve();
    const target = job.next;
    return this.#waitFor(job, (j) => j.created && j.pendingFrom >= target);
  }

  close(jobId: string, outcome: Outcome): Promise<void> {
    const job = this.jobs.get(jobId);
    if (job === undefined) return Promise.resolve();
    if (!job.closing) {
      job.closing = true;
      job.outcome = outcome;
      this.#schedule(job, 0);
    }
    return this.#waitFor(job, (j) => j.closed);
  }

  /** Sets the lease of `job` again (storing what is queued); a pending cancel reaches the job. */
  async renew(job: RedisWriteJob): Promise<void> {
    // A batch in flight or due sets the lease too.
    if (job.sending || job.closed || this.#timers.has(job) || this.#disposed) return;
    try {
      await this.#send(job);
    } finally {
      if (job.pending.length > 0 || job.closing) this.#schedule(job, 0);
    }
  }

  /** Rejects every goal, wakes every reader and stops; returns how many entries were not stored. */
  dispose(): number {
    if (this.#disposed) return 0;
    this.#disposed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    const unstored = this.unstored;
    const error = new RedisStoreError(`RedisStore: disposed with ${unstored} entries not stored`);
    if (unstored > 0) this.#ctx.settings.report(error);
    for (const job of this.jobs.values()) job.abandon(error);
    this.jobs.clear();
    return unstored;
  }

  #waitFor(job: RedisWriteJob, ready: (job: RedisWriteJob) => boolean): Promise<void> {
    if (this.#disposed) {
      return Promise.reject(new RedisStoreError("RedisStore: the store is disposed"));
    }
    return job.until(ready);
  }

  /**
   * Runs the job's send loop after `delay`, unless it runs or is scheduled. With
   * no delay it runs once the current task is done: entries logged together
   * still go in one batch, and none waits for a timer.
   */
  #schedule(job: RedisWriteJob, delay: number): void {
    if (this.#disposed || job.sending || job.closed || this.#timers.has(job)) return;
    if (delay === 0) {
      this.#timers.set(job, undefined);
      queueMicrotask(() => {
        if (!this.#timers.has(job)) return; // disposed meanwhile
        this.#timers.delete(job);
        this.#loop(job);
      });
      return;
    }
    this.#timers.set(
      job,
      setTimeout(() => {
        this.#timers.delete(job);
        this.#loop(job);
      }, delay),
    );
  }

  async #loop(job: RedisWriteJob): Promise<void> {
    try {
      while (!this.#disposed && !job.closed && this.jobs.get(job.jobId) === job) {
        if (!job.created || job.pending.length > 0) await this.#send(job);
        else if (job.closing) await this.#close(job);
        else break;
      }
      this.#succeeded();
    } catch (error) {
      this.#failed(error);
      if (this.#disposed) return;
      const dropped = job.bound(this.#ctx.settings.maxUnstored);
      if (dropped > 0) this.#reportDropped(job, dropped);
      // Retried well within a lease, so a writer back from an outage renews before readers give up.
      const most = Math.min(RETRY_MAX_MS, this.#ctx.settings.leaseMs / 4);
      const delay = Math.min(RETRY_MIN_MS * 2 ** Math.min(this.#failures, 10), most);
      this.#schedule(job, delay * (0.5 + Math.random() / 2));
    }
  }

  /** One append script: the next batch of queued entries (possibly none). */
  async #send(job: RedisWriteJob): Promise<void> {
    const { conn, settings, publish } = this.#ctx;
    const keys = this.#ctx.keys(job.jobId);
    const batch = job.pending.slice(0, BATCH_ENTRIES);
    const first = job.pendingFrom;
    job.sending = true;
    let reply: number | [number, number];
    try {
      this.requests++;
      reply = await conn.script<number | [number, number]>(APPEND, scriptKeys(keys), [
        job.writer,
        String(Math.ceil(LEASE_TTL_LEASES * settings.leaseMs)),
        String(settings.retentionMs),
        String(settings.maxEntries),
        String(first),
        publish,
        keys.channel,
        ...batch,
      ]);
    } finally {
      job.sending = false;
    }
    if (typeof reply === "number") return this.#refused(job, reply);
    job.leaseAt = Date.now();
    job.created = true;
    // Entries dropped meanwhile (bound) came off the front: count from pendingFrom.
    const stored = Math.max(0, first + batch.length - job.pendingFrom);
    job.pending = job.pending.slice(stored);
    job.pendingFrom += stored;
    if (Number(reply[1]) === 1) job.cancel();
    job.settle();
  }

  async #close(job: RedisWriteJob): Promise<void> {
    const { conn, settings, publish } = this.#ctx;
    const keys = this.#ctx.keys(job.jobId);
    this.requests++;
    const reply = await conn.script<number>(CLOSE, scriptKeys(keys), [
      job.writer,
      String(settings.retentionMs),
      job.outcome.status,
      job.outcome.message ?? "",
      publish,
      keys.channel,
      String(job.next),
    ]);
    if (reply === OWNED_ELSEWHERE) return this.#refused(job, reply);
    job.closed = true;
    job.closedAt = Date.now();
    job.settle();
  }

  #refused(job: RedisWriteJob, reply: number): void {
    const why = reply === ENDED ? "has already ended" : "is written by another logger";
    const error = new RedisStoreError(
      `RedisStore: job "${job.jobId}" ${why} in Redis; its entries here are dropped ` +
        `(job ids must be unique)`,
    );
    this.#ctx.settings.report(error);
    console.warn(`streamator: ${error.message}`);
    for (const goal of job.goals) goal.reject(error);
    job.closed = true;
    job.closedAt = Date.now();
    job.wake();
    this.jobs.delete(job.jobId);
  }

  #reportDropped(job: RedisWriteJob, dropped: number): void {
    const error = new RedisStoreError(
      `RedisStore: Redis is unreachable and job "${job.jobId}" has more than ` +
        `${this.#ctx.settings.maxUnstored} entries queued: the oldest ${dropped} are dropped ` +
        `(readers are told they missed them)`,
    );
    this.#ctx.settings.report(error);
    if (job.dropped === dropped) console.warn(`streamator: ${error.message}`);
  }

  #succeeded(): void {
    if (this.#failingSince !== undefined) console.warn("streamator: Redis is reachable again");
    this.#failingSince = undefined;
    this.#failures = 0;
  }

  #failed(cause: unknown): void {
    const now = Date.now();
    this.#failures++;
    const error = new RedisStoreError(
      `RedisStore: a write failed (${cause instanceof Error ? cause.message : String(cause)})`,
      { cause },
    );
    this.#ctx.settings.report(error);
    if (this.#failingSince === undefined) {
      this.#failingSince = now;
      console.warn(
        `streamator: ${error.message}; ${this.unstored} entries are kept in memory and retried`,
      );
    }
    for (const job of this.jobs.values()) {
      for (const goal of job.goals) {
        if (now - goal.since >= this.#ctx.settings.failAfterMs) goal.reject(error);
      }
    }
  }
}
