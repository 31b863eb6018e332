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

import { type Context, LEASE_TTL_LEASES, scriptKeys } from "./context.ts";
import { APPEND, CLOSE } from "./scripts.ts";
import { RedisStoreError } from "./errors.ts";
import { RedisWriteJob } from "./write_job.ts";
import { WriteQueue } from "../server/write_queue.ts";

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
 */
export class RedisWriteQueue extends WriteQueue<RedisWriteJob, RedisStoreError> {
  readonly #ctx: Context;
  /** Jobs whose send loop is due: a timer, or `undefined` for a microtask. */
  readonly #timers = new Map<RedisWriteJob, ReturnType<typeof setTimeout> | undefined>();
  /** When the current outage began (ms), or undefined. */
  #failingSince: number | undefined;
  #failures = 0;
  /** Script calls sent (appends, renewals and closes). */
  requests = 0;

  constructor(ctx: Context) {
    super("RedisStore", ctx.settings);
    this.#ctx = ctx;
  }

  /** Sets the lease of `job` again (storing what is queued); a pending cancel reaches the job. */
  async renew(job: RedisWriteJob): Promise<void> {
    // A batch in flight or due sets the lease too.
    if (job.sending || job.closed || this.#timers.has(job) || this.disposed) return;
    try {
      await this.#send(job);
    } finally {
      if (job.pending.length > 0 || job.closing) this.#schedule(job, 0);
    }
  }

  protected newJob(jobId: string): RedisWriteJob {
    return new RedisWriteJob(jobId);
  }

  protected add(job: RedisWriteJob, json: string): void {
    job.add(json);
    const dropped = job.bound(this.#ctx.settings.maxUnstored);
    if (dropped > 0) this.#reportDropped(job, dropped);
  }

  protected kick(job: RedisWriteJob): void {
    this.#schedule(job, 0);
  }

  protected stop(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  protected disposedWith(unstored: number): RedisStoreError {
    return new RedisStoreError(`RedisStore: disposed with ${unstored} entries not stored`);
  }

  /**
   * Runs the job's send loop after `delay`, unless it runs or is scheduled. With
   * no delay it runs once the current task is done: entries logged together
   * still go in one batch, and none waits for a timer.
   */
  #schedule(job: RedisWriteJob, delay: number): void {
    if (this.disposed || job.sending || job.closed || this.#timers.has(job)) return;
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
      while (!this.disposed && !job.closed && this.jobs.get(job.jobId) === job) {
        if (!job.created || job.pending.length > 0) await this.#send(job);
        else if (job.closing) await this.#close(job);
        else break;
      }
      this.#succeeded();
    } catch (error) {
      this.#failed(error);
      if (this.disposed) return;
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
    // Closed, so that a lease renewal holding the job sends nothing more.
    job.closed = true;
    job.closedAt = Date.now();
    this.refuse(job, error);
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
    const first = this.#failingSince === undefined;
    this.#failingSince ??= now;
    this.failed(error, now, first);
  }
}
