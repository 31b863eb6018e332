/**
 * The writer's lease: every `leaseMs / 2`, each open job whose lease was not
 * set by a batch in the last `leaseMs / 4` gets a renewal (the append script
 * with no entries). The lease key expires `leaseMs` after it was last set;
 * readers re-check a quiet job every `leaseMs` and tell it lost once its lease
 * has been missing for `leaseMs`, so they learn that a writer died (SIGKILL,
 * lost connection) within about 3 × `leaseMs`. The renewal's
 * reply carries the cancel flag, a safety net for a lost cancel message. A
 * job with no entry for `idleMs` is ended here too.
 *
 * The timer runs only while the store has an open job and does not keep a
 * program alive on its own.
 *
 * @module
 */

import type { Context } from "./context.ts";
import type { RedisWriteQueue } from "./write_queue.ts";

/**
 * Renews the leases of a queue's open jobs.
 */
export class LeaseKeeper {
  readonly #ctx: Context;
  readonly #queue: RedisWriteQueue;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(ctx: Context, queue: RedisWriteQueue) {
    this.#ctx = ctx;
    this.#queue = queue;
  }

  /** Starts the timer when a job is open, stops it when none is. */
  update(): void {
    if (this.#stopped) return;
    const open = [...this.#queue.jobs.values()].some((job) => !job.closed);
    if (!open) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#tick(), this.#ctx.settings.leaseMs / 2);
      unrefTimer(this.#timer);
    }
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #tick(): Promise<void> {
    this.#timer = undefined;
    const { idleMs, leaseMs, report } = this.#ctx.settings;
    const now = Date.now();
    const renewals = [...this.#queue.jobs.values()].filter((job) => !job.closed).map(
      async (job) => {
        if (!job.closing && now - job.lastAppendAt > idleMs) {
          // As the memory store does: nothing will finish a job that logs nothing.
          this.#queue.close(job.jobId, {
            status: "lost",
            message: `the job logged nothing for ${idleMs} ms and was ended`,
          }).catch(() => {}); // flush()/close() callers see the failure themselves
        }
        if (now - job.leaseAt < leaseMs / 4) return;
        try {
          await this.#queue.renew(job);
        } catch (error) {
          report(error);
        }
      },
    );
    await Promise.all(renewals);
    this.update();
  }
}

/** Lets the program end while only this timer is left (Deno, Node and Bun alike). */
export function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  const deno = (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno;
  if (typeof timer === "number" && deno?.unrefTimer !== undefined) deno.unrefTimer(timer);
  else (timer as { unref?: () => void }).unref?.();
}
