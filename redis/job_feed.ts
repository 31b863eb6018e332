/**
 * The shared tail of one job in one process: every reader of the job in the
 * process reads from it. A message on the job's channel (or the safety net:
 * every `leaseMs` and after the subscriber reconnects) starts at most one
 * `READ` in flight, whose result serves every reader; what it read is kept in
 * a window of recent entries. A reader behind the window reads Redis on its
 * own, so it never holds the tail back.
 *
 * @module
 */

import { JobFeed } from "../server/job_feed.ts";
import type { Outcome, ReadResult } from "../server/store.ts";
import type { Context } from "./context.ts";
import { KEYS_GONE, LEASE_LAPSED, readLog, toResult } from "./log_read.ts";
import type { Subscriber } from "./subscriber.ts";

/** Entries one `READ` asks for at most. */
export const READ_COUNT = 5_000;

/**
 * One job's shared reads: `read()` and `wait()` as the store's.
 */
export class RedisJobFeed extends JobFeed {
  readonly #ctx: Context;
  readonly #stopListening: () => void;
  #fetched = false;
  #exists = false;
  /** How the job ended, once the feed holds every entry. */
  #outcome: Outcome | undefined;
  /** A message (or a new subscription) came since the last read of Redis. */
  #stale = true;
  /** The writer's end at the last read: while the feed is behind it, there is more to read. */
  #end = 0;
  #lastReadAt = -Infinity;
  #again = false;
  /**
   * When the feed first saw the job without a lease or without its keys (ms).
   * It is told lost only if that lasts `leaseMs`: a writer coming back from a
   * Redis restart (whose lease expired meanwhile) renews it first.
   */
  #suspectSince: number | undefined;
  #confirmTimer: ReturnType<typeof setTimeout> | undefined;
  /** `READ` scripts this feed sent. */
  reads = 0;

  constructor(ctx: Context, subscriber: Subscriber, jobId: string) {
    super(jobId);
    this.#ctx = ctx;
    const { stop, subscribed } = subscriber.listen(ctx.keys(jobId).channel, (message) => {
      if (message !== "cancel" && !this.#take(message)) this.news();
    });
    this.#stopListening = stop;
    // News sent before the subscription took effect is read now.
    subscribed.then(() => this.news());
  }

  /** Entries from `cursor` (at most `limit`); `undefined` for an unknown job. */
  async read(cursor: number, limit: number): Promise<ReadResult | undefined> {
    this.usedAt = Date.now();
    if (!this.#fetched) await this.#fetch(cursor);
    else if (this.#readDue(cursor)) await this.#fetch(this.next);
    if (!this.#exists) return undefined;
    if (cursor < this.window.base || cursor > this.next) {
      // Behind the window (or ahead of it): this reader's own read.
      const got = await readLog(this.#ctx, this.jobId, cursor, Math.min(limit, READ_COUNT));
      if (got === undefined) return this.#gone(cursor);
      return toResult(got, cursor, limit, Math.min(limit, READ_COUNT));
    }
    return this.#serve(cursor, limit);
  }

  held(cursor: number, limit: number): ReadResult | undefined {
    if (!this.#fetched || !this.#exists || this.#readDue(cursor)) return undefined;
    if (cursor < this.window.base || cursor > this.next) return undefined;
    this.usedAt = Date.now();
    return this.#serve(cursor, limit);
  }

  /** Whether a reader at `cursor` (at the tail) must wait for a read of Redis. */
  #readDue(cursor: number): boolean {
    const quiet = Date.now() - this.#lastReadAt >= this.#ctx.settings.leaseMs;
    return cursor >= this.next && this.#outcome === undefined && (this.#due() || quiet);
  }

  /** Stops listening and wakes every waiter. */
  override stop(): void {
    clearTimeout(this.#confirmTimer);
    this.#stopListening();
    super.stop();
  }

  protected get ended(): boolean {
    return this.#outcome !== undefined;
  }

  protected waiting(): void {
    if (this.#due()) this.news();
  }

  /**
   * There may be news (a message, a reconnect, the safety net): reads Redis
   * now if readers wait, else marks the feed stale for the next read.
   */
  news(): void {
    this.#stale = true;
    if (this.stopped || this.waiters.size === 0 || this.#outcome !== undefined) return;
    if (this.inflight !== undefined) {
      this.#again = true;
      return;
    }
    this.#fetch(this.next).catch(() => {
      // Redis is unreachable: readers keep what they have; the safety net tries again.
    });
  }

  /**
   * Takes the entries a message carries (see `APPEND` in scripts.ts) when they
   * follow the feed's end exactly; `false` when Redis must be read instead.
   */
  #take(message: string): boolean {
    const head = message.indexOf("\n");
    if (head < 0 || !this.#fetched || this.#outcome !== undefined) return false;
    const [from, to] = message.slice(0, head).split(" ").map(Number);
    if (to <= this.next) return true; // already held
    if (from !== this.next) return false; // a gap: read what is between
    const entries = message.slice(head + 1).split("\n");
    if (entries.length !== to - from) return false; // an entry with a raw newline: read instead
    for (const entry of entries) this.window.push(entry);
    this.#end = Math.max(this.#end, to);
    this.window.trim();
    this.wakeReaders();
    return true;
  }

  /** Whether Redis may hold more than the feed: a message came, or the last read stopped short. */
  #due(): boolean {
    return this.#stale || this.next < this.#end;
  }

  #serve(cursor: number, limit: number): ReadResult {
    const { entries, next, missed } = this.window.serve(cursor, limit);
    const done = this.#outcome !== undefined && next >= this.next;
    return { entries, next, done, missed, ...(done ? { outcome: this.#outcome } : {}) };
  }

  #gone(cursor: number): ReadResult {
    const outcome: Outcome = { status: "lost", message: KEYS_GONE };
    return { entries: [], next: Math.min(cursor, this.next), done: true, missed: 0, outcome };
  }

  /** Reads from `from` until the tail is reached, one `READ` at a time, shared by all callers. */
  #fetch(from: number): Promise<void> {
    this.inflight ??= this.#fetchAll(from).finally(() => {
      this.inflight = undefined;
      if (this.#again) {
        this.#again = false;
        this.news();
      }
    });
    return this.inflight;
  }

  async #fetchAll(from: number): Promise<void> {
    let cursor = from;
    for (;;) {
      this.#stale = false;
      this.#lastReadAt = Date.now();
      this.reads++;
      const got = await readLog(this.#ctx, this.jobId, cursor, READ_COUNT);
      if (!this.#fetched && got !== undefined) {
        // The tail starts at the first reader's cursor, or at the job's end if that is before it.
        this.#fetched = true;
        this.window.reset(Math.min(from, got.next));
      }
      if (got === undefined) {
        // A job seen before whose keys are gone is over: its readers are told, never left waiting.
        if (this.#exists) this.#suspect(KEYS_GONE);
        this.wakeReaders();
        return;
      }
      this.#exists = true;
      this.#end = got.next;
      for (const entry of got.entries) {
        if (entry.id < this.next) continue;
        this.window.fill(entry.id);
        this.window.push(entry.json);
      }
      const full = got.entries.length === READ_COUNT;
      if (!full) {
        this.window.fill(got.next); // below the writer's end and not in the stream: gone for good
        if (got.outcome !== undefined) this.#outcome = got.outcome;
        else if (!got.alive) this.#suspect(LEASE_LAPSED);
        else this.#suspectSince = undefined;
      }
      this.window.trim();
      this.wakeReaders();
      // Read on only for readers waiting at the tail; a reader catching up asks again itself.
      const tail = [...this.waiters].some((waiter) => waiter.cursor >= this.next);
      if (!full || this.stopped || !tail) return;
      cursor = this.next;
    }
  }

  /** The job looks over; it is, once it has looked so for `leaseMs`. */
  #suspect(why: string): void {
    const now = Date.now();
    const { leaseMs } = this.#ctx.settings;
    this.#suspectSince ??= now;
    if (now - this.#suspectSince >= leaseMs) {
      this.#outcome = { status: "lost", message: why };
      return;
    }
    clearTimeout(this.#confirmTimer);
    this.#confirmTimer = setTimeout(() => {
      this.#confirmTimer = undefined;
      this.news();
    }, this.#suspectSince + leaseMs - now);
  }
}
