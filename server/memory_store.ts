import { limitOption, type MemoryStoreOptions } from "./memory_store_options.ts";
import type { Outcome, ReadResult, ResultRead, Store } from "./store.ts";
import { abortableWait, callSoon } from "./abortable_wait.ts";
import { isProgressJson } from "./wire.ts";
import { end, MemoryJobs, wake } from "./memory_jobs.ts";

export type { MemoryStoreOptions };

/**
 * What a {@linkcode MemoryStore} holds for one job, for monitoring and tests.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemoryStore } from "@streamator/core";
 * const store = new MemoryStore();
 * store.create("job-1");
 * assert.deepEqual(store.stats("job-1"), { entries: 0, next: 0, done: false, waiting: 0 });
 * ```
 */
export interface JobStats {
  /** Entries still held (at most `maxEntries`). */
  entries: number;
  /** The id the next entry will get. */
  next: number;
  /** Whether the job has ended. */
  done: boolean;
  /** Readers waiting for the next entry right now. */
  waiting: number;
}

const OK: Outcome = { status: "ok" };

/**
 * The default store: entries in memory, numbered per job, read by any number
 * of readers each from its own cursor. Nothing is queued per reader, so a slow
 * reader costs nothing but its cursor, and a reconnecting reader resumes
 * exactly where it left off.
 *
 * Memory stays bounded: a job keeps at most `maxEntries` (readers that fall
 * behind are told how many they missed), a closed job is forgotten after
 * `retentionMs`, and a job left open with no new entry for `idleMs` is ended
 * (with the outcome `"lost"`). Entries are packed in blocks of 128 (a full
 * block is one string), so an entry costs little more than its JSON. The
 * newest progress entry is also kept aside and handed to a reader that
 * missed it (`ReadResult.progress`). Of a forgotten job the store keeps only its end
 * and outcome (for the last 10,000 such jobs), so a reader that comes back
 * late is told how many entries it missed instead of being cut short.
 * There are no timers: expired jobs are swept as the store is used, so it
 * keeps no process alive and runs where timers outside a request are
 * forbidden (Cloudflare Workers).
 *
 * It lives in one process (one isolate on Workers): use the DynamoDB store to
 * read jobs from other processes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JobLogger, MemoryStore } from "@streamator/core";
 * const store = new MemoryStore({ retentionMs: 60_000 });
 * const logger = new JobLogger({ store });
 * logger.log("hello");
 * const { entries } = (await store.read(logger.jobId, 0))!;
 * assert.equal(JSON.parse(entries[0]).message, "hello");
 * ```
 */
export class MemoryStore implements Store {
  readonly #jobs: MemoryJobs;

  /** A store with the given limits; a bad limit is a TypeError naming it. */
  constructor(options: MemoryStoreOptions = {}) {
    this.#jobs = new MemoryJobs(
      limitOption(options, "maxEntries", true),
      limitOption(options, "retentionMs", false),
      limitOption(options, "idleMs", false),
    );
  }

  /** Starts a job with no entries; an existing job of that id is kept as it is. */
  create(jobId: string): void {
    this.#jobs.create(jobId, Date.now());
  }

  /** Appends one entry; ignored when the job is unknown or has ended. */
  append(jobId: string, json: string): void {
    const job = this.#jobs.get(jobId);
    if (job === undefined || job.done) return;
    if (isProgressJson(json)) {
      job.progress = json;
      job.progressId = job.entries.next;
    }
    job.entries.push(json);
    job.at = Date.now();
    wake(job);
  }

  /** Ends a job with its outcome (default `"ok"`): its readers get everything appended, then the end. */
  close(jobId: string, outcome?: Outcome): Promise<void> {
    const job = this.#jobs.get(jobId);
    if (job !== undefined && !job.done) end(job, Date.now(), outcome ?? OK);
    return Promise.resolve();
  }

  /**
   * Entries from `cursor` on. A forgotten job (retention over) reads as ended
   * with every entry missed; `undefined` for a job the store never knew.
   * A cursor past the job's end gets `next` at the end.
   */
  read(jobId: string, cursor: number, limit = Infinity): Promise<ReadResult | undefined> {
    const now = Date.now();
    this.#jobs.sweep(now);
    const job = this.#jobs.live(jobId, now);
    if (job === undefined) {
      const gone = this.#jobs.forgotten(jobId);
      if (gone === undefined) return Promise.resolve(undefined);
      const result: ReadResult = {
        entries: [],
        next: gone.next,
        done: true,
        missed: Math.max(0, gone.next - cursor),
      };
      if (gone.outcome !== undefined) result.outcome = gone.outcome;
      return Promise.resolve(result);
    }
    const { oldest, next } = job.entries;
    const from = Math.min(Math.max(cursor, oldest), next);
    const to = Math.min(next, from + limit);
    const result: ReadResult = {
      entries: job.entries.read(from, to),
      next: to,
      done: job.done && to >= next,
      missed: Math.max(0, oldest - cursor),
    };
    if (result.done) result.outcome = job.outcome;
    // The newest progress was dropped with the missed entries: hand it over anyway.
    const id = job.progressId;
    if (id !== undefined && cursor <= id && id < oldest) result.progress = job.progress;
    return Promise.resolve(result);
  }

  /** Resolves on the job's next entry or end, or when `signal` aborts. */
  wait(jobId: string, cursor: number, signal: AbortSignal): Promise<void> {
    return abortableWait(signal, (wake) => this.watch(jobId, cursor, wake));
  }

  /** Keeps the job's result (JSON text), replacing an earlier one; ignored for an unknown job. */
  setResult(jobId: string, json: string): Promise<void> {
    const job = this.#jobs.live(jobId, Date.now());
    if (job !== undefined) job.result = json;
    return Promise.resolve();
  }

  /** The job's result and whether it has ended; `undefined` for an unknown or forgotten job. */
  readResult(jobId: string): Promise<ResultRead | undefined> {
    const job = this.#jobs.live(jobId, Date.now());
    return Promise.resolve(job && { json: job.result, done: job.done });
  }

  /** Asks a job to stop: its `onCancel` listeners run once. `false` for an unknown job. */
  cancel(jobId: string): Promise<boolean> {
    const job = this.#jobs.live(jobId, Date.now());
    if (job === undefined) return Promise.resolve(false);
    if (!job.done && !job.cancelled) {
      job.cancelled = true;
      const listeners = job.cancelListeners;
      job.cancelListeners = undefined;
      for (const listener of listeners ?? []) listener();
    }
    return Promise.resolve(true);
  }

  /** Calls `listener` once when the job is cancelled (at once if it already was). */
  onCancel(jobId: string, listener: () => void): () => void {
    const job = this.#jobs.get(jobId);
    if (job === undefined || job.done) return () => {};
    if (job.cancelled) {
      listener();
      return () => {};
    }
    const listeners = job.cancelListeners ??= new Set();
    const once = () => listener();
    listeners.add(once);
    return () => listeners.delete(once);
  }

  /**
   * Calls `listener` once (never synchronously) on the job's next entry past
   * `cursor` or its end; at once when there is news already. Returns a
   * function that stops watching.
   */
  watch(jobId: string, cursor: number, listener: () => void): () => void {
    const job = this.#jobs.live(jobId, Date.now());
    if (job === undefined || job.done || job.entries.next > cursor) {
      return callSoon(listener);
    }
    const waiters = job.waiters;
    waiters.add(listener);
    return () => waiters.delete(listener);
  }

  /** What the store holds for a job, or `undefined` when it knows none. */
  stats(jobId: string): JobStats | undefined {
    const job = this.#jobs.live(jobId, Date.now());
    if (job === undefined) return undefined;
    return {
      entries: job.entries.size,
      next: job.entries.next,
      done: job.done,
      waiting: job.waiters.size,
    };
  }

  /** How many jobs the store holds, ended ones included until their retention ends. */
  get size(): number {
    this.#jobs.sweep(Date.now());
    return this.#jobs.size;
  }
}
