/**
 * The shared tail of one job in one process: every reader of the job reads
 * from it, and it sends at most one `Query` per poll interval whatever the
 * number of readers. Each poll asks only for the items from its own cursor's
 * chunk on (an idle poll returns just the meta item); what it reads is kept
 * in a window of recent entries that readers at any cursor inside it are
 * served from. A reader behind the window reads the table on its own
 * (`readHistory`), so it never holds the tail back.
 *
 * @module
 */

import { JobFeed } from "../server/job_feed.ts";
import type { Outcome, ReadResult } from "../server/store.ts";
import { type Context, LOST_AFTER_LEASES, type MetaState, metaState } from "./meta_items.ts";
import { consistencyMargin, finalGap, queryFrom, readHistory } from "./log_query.ts";
import { advance, lowestSeq } from "./log_reader.ts";

/** Query pages (1 MB each at most) per poll: a feed far behind catches up this fast. */
const PAGES_PER_POLL = 4;

/**
 * One job's shared reads: `read()` and `wait()` as the store's, served from
 * one polling loop.
 */
export class DynamoJobFeed extends JobFeed {
  readonly #ctx: Context;
  /** Called with the meta state after each poll that read it. */
  readonly #onMeta: ((meta: MetaState) => void) | undefined;
  /** Whether `next` is a chunk boundary (the tail can query from it exactly). */
  #aligned = false;
  #polled = false;
  #exists = false;
  #ended = false;
  #meta: MetaState | undefined;
  #lastPollAt = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #gap: { at: number; since: number } | undefined;
  /** Query requests this feed sent. */
  queries = 0;

  constructor(ctx: Context, jobId: string, onMeta?: (meta: MetaState) => void) {
    super(jobId);
    this.#ctx = ctx;
    this.#onMeta = onMeta;
  }

  /** Entries from `cursor` (at most `limit`); `undefined` for an unknown job. */
  async read(cursor: number, limit: number): Promise<ReadResult | undefined> {
    this.usedAt = Date.now();
    if (this.#polled && cursor < this.window.base && this.window.length === 0 && !this.#ended) {
      this.#polled = false; // the tail holds nothing yet (its first reader was past the end)
    }
    if (!this.#polled) await this.#poll(cursor);
    else if (cursor < this.window.base) {
      return await readHistory(this.#ctx, this.jobId, cursor, limit, this.#meta);
    } else if (this.#pollDue(cursor)) {
      await this.#poll(cursor);
    }
    if (!this.#exists) return undefined;
    if (cursor < this.window.base) {
      return await readHistory(this.#ctx, this.jobId, cursor, limit, this.#meta);
    }
    return this.#serve(cursor, limit);
  }

  held(cursor: number, limit: number): ReadResult | undefined {
    if (!this.#polled || !this.#exists || cursor < this.window.base) return undefined;
    if (this.#pollDue(cursor)) return undefined;
    this.usedAt = Date.now();
    return this.#serve(cursor, limit);
  }

  /** Whether a reader at `cursor` must wait for a poll: the last one is `pollMs` old. */
  #pollDue(cursor: number): boolean {
    return Date.now() - this.#lastPollAt >= this.#ctx.settings.pollMs && !this.#endedAt(cursor);
  }

  /** Stops polling and wakes every waiter. */
  override stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    super.stop();
  }

  protected get ended(): boolean {
    return this.#ended;
  }

  protected waiting(): void {
    this.#schedule();
  }

  #endedAt(cursor: number): boolean {
    return this.#ended && cursor >= this.next;
  }

  #serve(cursor: number, limit: number): ReadResult {
    const served = this.window.serve(cursor, limit);
    const { entries, missed } = served;
    // Past the end of an ended job, the end comes back (less than the cursor).
    const next = this.#ended && cursor > this.next ? this.next : Math.max(cursor, served.next);
    const done = this.#ended && next >= this.next;
    const outcome: Outcome | undefined = done ? this.#meta?.outcome ?? { status: "ok" } : undefined;
    return { entries, next, done, missed, ...(outcome ? { outcome } : {}) };
  }

  #schedule(): void {
    if (this.stopped || this.#timer !== undefined || this.inflight !== undefined) return;
    const delay = Math.max(0, this.#lastPollAt + this.#ctx.settings.pollMs - Date.now());
    this.#timer = setTimeout(() => this.#tick(), delay);
  }

  async #tick(): Promise<void> {
    this.#timer = undefined;
    if (this.stopped || this.waiters.size === 0) return; // nobody waits: the loop rests
    if (Date.now() - this.#lastPollAt >= this.#ctx.settings.pollMs) {
      try {
        await this.#poll(this.next);
      } catch {
        // the store is unreachable: readers keep what they have; the next poll tries again
      }
    }
    this.#schedule();
  }

  /** One Query from the tail (the first one from `cursor`), shared by concurrent callers. */
  #poll(cursor: number): Promise<void> {
    this.inflight ??= this.#pollOnce(cursor).finally(() => {
      this.inflight = undefined;
      // Readers that began waiting during this poll get the next one on time.
      if (this.waiters.size > 0) this.#schedule();
    });
    return this.inflight;
  }

  async #pollOnce(cursor: number): Promise<void> {
    const first = !this.#polled;
    let from = first ? cursor : this.next;
    this.#lastPollAt = Date.now();
    this.queries++;
    let got;
    if (first) {
      // The first poll reads from the job's end down to the cursor, one page at most: a first
      // reader far behind does not start the tail in the past (it reads the history itself).
      got = await queryFrom(this.#ctx, this.jobId, lowestSeq(cursor), 1, undefined, true);
      const oldest = got.chunks.find((chunk) => chunk.entries !== null);
      if (!got.complete && oldest !== undefined && oldest.seq > cursor) from = oldest.seq;
    } else {
      const seq = this.#aligned ? from : lowestSeq(from);
      got = await queryFrom(this.#ctx, this.jobId, seq, PAGES_PER_POLL);
    }
    const now = Date.now();
    const meta = got.meta !== undefined ? metaState(got.meta, now) : this.#meta;
    const margin = consistencyMargin(this.#ctx);
    const grace = LOST_AFTER_LEASES * this.#ctx.settings.leaseMs;
    const read = advance({
      cursor: from,
      limit: Infinity,
      chunks: got.chunks,
      meta,
      complete: got.complete || first,
      finalUpTo: (gapFrom, gapTo) => {
        const upTo = finalGap(meta, gapFrom, gapTo, now, margin);
        if (upTo > gapFrom) return upTo;
        // A gap with entries after it that stays for a grace period is gone too.
        if (this.#gap?.at !== gapFrom) this.#gap = { at: gapFrom, since: now };
        const later = got.chunks.some((chunk) => chunk.seq >= gapTo);
        return later && now - this.#gap.since >= grace ? gapTo : gapFrom;
      },
    });
    if (first) {
      this.#polled = true;
      this.window.reset(from);
    }
    this.#exists ||= got.exists;
    this.#meta = meta;
    const before = this.next;
    const ended = read.done;
    if (read.missed + read.entries.length > 0) {
      // `from` is the window's end here: the missed ids follow it.
      this.window.fill(from + read.missed);
      for (const entry of read.entries) this.window.push(entry);
      this.window.trim();
    }
    this.#aligned = this.next === 0 || (this.next === before && this.#aligned && !first) ||
      got.chunks.some((c) => c.seq === this.next || c.seq + (c.entries?.length ?? 1) === this.next);
    if (meta !== undefined) this.#onMeta?.(meta);
    const news = this.next > before || ended !== this.#ended;
    this.#ended = ended;
    if (news || ended) this.wakeReaders();
  }
}
