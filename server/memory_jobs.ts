import { EntryRing } from "./entry_ring.ts";
import type { Outcome } from "./store.ts";

/** One job as a {@linkcode MemoryJobs} table holds it. */
export interface Job {
  /** The last `maxEntries` entries, packed in blocks. */
  entries: EntryRing;
  done: boolean;
  /** How the job ended, once done. */
  outcome: Outcome | undefined;
  /** When the last entry came (open job) or when the job ended (done job), in ms. */
  at: number;
  waiters: Set<() => void>;
  /** The result's JSON, once set. */
  result?: string;
  /** The newest progress entry and its id, kept for readers that missed it. */
  progress?: string;
  progressId?: number;
  /** Whether a cancel was requested, and who listens for one. */
  cancelled?: boolean;
  cancelListeners?: Set<() => void>;
}

/** What is left of a job once its retention is over: enough to tell a late reader what it missed. */
export interface Forgotten {
  next: number;
  outcome: Outcome | undefined;
}

/** Forgotten jobs remembered (id, end and outcome only), oldest dropped first. */
const FORGOTTEN_JOBS = 10_000;

/**
 * The jobs of one memory store and how long they live: a job left open with
 * no new entry for `idleMs` is ended (`"lost"`), and a job ended more than
 * `retentionMs` ago is forgotten but for its end and outcome (for the last
 * 10,000 such jobs). There are no timers: expired jobs are swept as the
 * table is used, so it keeps no process alive and runs where timers outside
 * a request are forbidden (Cloudflare Workers).
 */
export class MemoryJobs {
  readonly #jobs = new Map<string, Job>();
  readonly #forgotten = new Map<string, Forgotten>();
  readonly #maxEntries: number;
  readonly #retentionMs: number;
  readonly #idleMs: number;
  readonly #sweepEveryMs: number;
  #lastSweep = Date.now();

  constructor(maxEntries: number, retentionMs: number, idleMs: number) {
    this.#maxEntries = maxEntries;
    this.#retentionMs = retentionMs;
    this.#idleMs = idleMs;
    this.#sweepEveryMs = Math.min(retentionMs, idleMs, 60_000);
  }

  /** Starts a job with no entries; an existing job of that id is kept as it is. */
  create(jobId: string, now: number): void {
    this.sweep(now);
    if (!this.#jobs.has(jobId)) {
      this.#forgotten.delete(jobId);
      this.#jobs.set(jobId, {
        entries: new EntryRing(this.#maxEntries),
        done: false,
        outcome: undefined,
        at: now,
        waiters: new Set(),
      });
    }
  }

  /** The job as it is held, without ending or forgetting it. */
  get(jobId: string): Job | undefined {
    return this.#jobs.get(jobId);
  }

  /** The job, after ending it if idle too long; `undefined` once its retention is over. */
  live(jobId: string, now: number): Job | undefined {
    const job = this.#jobs.get(jobId);
    if (job === undefined) return undefined;
    if (!job.done && now - job.at > this.#idleMs) {
      end(job, now, {
        status: "lost",
        message: `the job logged nothing for ${this.#idleMs} ms and was ended`,
      });
    }
    if (job.done && now - job.at > this.#retentionMs) {
      this.#jobs.delete(jobId);
      this.#forgotten.set(jobId, { next: job.entries.next, outcome: job.outcome });
      if (this.#forgotten.size > FORGOTTEN_JOBS) {
        this.#forgotten.delete(this.#forgotten.keys().next().value!);
      }
      return undefined;
    }
    return job;
  }

  /** The end and outcome of a job whose retention is over, if still remembered. */
  forgotten(jobId: string): Forgotten | undefined {
    return this.#forgotten.get(jobId);
  }

  /** Ends idle jobs and forgets expired ones, at most once per `min(retentionMs, idleMs, 60 s)`. */
  sweep(now: number): void {
    if (now - this.#lastSweep < this.#sweepEveryMs) return;
    this.#lastSweep = now;
    for (const jobId of this.#jobs.keys()) this.live(jobId, now);
  }

  /** How many jobs are held, ended ones included until their retention ends. */
  get size(): number {
    return this.#jobs.size;
  }
}

/** Ends the job with `outcome` and wakes its readers. */
export function end(job: Job, now: number, outcome: Outcome): void {
  job.done = true;
  job.outcome = outcome;
  job.at = now;
  job.cancelListeners = undefined;
  wake(job);
}

/** Calls every reader waiting on the job, once. */
export function wake(job: Job): void {
  if (job.waiters.size === 0) return;
  const waiters = job.waiters;
  job.waiters = new Set();
  for (const waiter of waiters) waiter();
}
