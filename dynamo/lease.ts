/**
 * The writer's lease: every `leaseMs`, each open job of the store gets one
 * small `UpdateItem` on its meta item (`aliveAt`, `storedTo`), idle or not.
 * The same request returns the item, so a pending cancel reaches the writer
 * with it at no extra cost. Readers in any process end the stream with
 * `status: "lost"` once the lease is 3 × `leaseMs` old. A job with no entry
 * for `idleMs` is ended here too.
 *
 * The timer runs only while the store has an open job, and does not keep a
 * program alive on its own (a program that only waits for a lease has left
 * its job: readers then learn it is lost).
 *
 * @module
 */

import { explain } from "./errors.ts";
import { type Context, renewLease } from "./meta_items.ts";
import { unrefTimer } from "./retry.ts";
import type { DynamoWriteQueue } from "./write_queue.ts";

/**
 * Renews the leases of a queue's open jobs.
 */
export class LeaseKeeper {
  readonly #ctx: Context;
  readonly #queue: DynamoWriteQueue;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  /** Lease renewals sent. */
  renewals = 0;

  constructor(ctx: Context, queue: DynamoWriteQueue) {
    this.#ctx = ctx;
    this.#queue = queue;
  }

  /** Starts the timer when a job is open, stops it when none is. */
  update(): void {
    if (this.#stopped) return;
    const open = this.#open().length > 0;
    if (!open) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#tick(), this.#ctx.settings.leaseMs);
      unrefTimer(this.#timer);
    }
  }

  /** Stops renewing for good. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #open() {
    return [...this.#queue.jobs.values()].filter((job) => !job.closed);
  }

  async #tick(): Promise<void> {
    this.#timer = undefined;
    const { idleMs, table, report } = this.#ctx.settings;
    const now = Date.now();
    const renewals = this.#open().map(async (job) => {
      if (!job.closing && now - job.lastAppendAt > idleMs) {
        // As the memory store does: nothing will finish a job that logs nothing.
        this.#queue.close(job.jobId, {
          status: "lost",
          message: `the job logged nothing for ${idleMs} ms and was ended`,
        }).catch(() => {}); // flush()/close() callers see the failure themselves
      }
      if (!job.created) return;
      this.renewals++;
      // storedAt moves only with storedTo: readers trust a mark once it is old enough.
      const stored = job.stored;
      const changed = stored !== job.leaseStoredTo ? stored : undefined;
      try {
        if (await renewLease(this.#ctx, job.jobId, job.writer, changed)) job.cancel();
        job.leaseStoredTo = stored;
      } catch (error) {
        report(explain(error, table, "UpdateItem"));
      }
    });
    await Promise.all(renewals);
    this.update();
  }
}
