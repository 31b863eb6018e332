/**
 * What the Redis writer holds for one job besides the shared
 * {@linkcode WriteJob} state: whether a script is in flight, the entries
 * dropped unstored, and when the lease was last set.
 *
 * @module
 */

import { WriteJob } from "../server/write_job.ts";

/**
 * A job the Redis store writes.
 */
export class RedisWriteJob extends WriteJob {
  /** Whether a script for this job is in flight. */
  sending = false;
  /** Entries dropped unstored while Redis was unreachable. */
  dropped = 0;
  /** When the lease was last set (by a batch or a renewal). */
  leaseAt = 0;

  /** Drops the oldest unstored entries down to `max` (only while no script is in flight). */
  bound(max: number): number {
    const extra = this.pending.length - max;
    if (extra <= 0 || this.sending) return 0;
    this.pending = this.pending.slice(extra);
    this.pendingFrom += extra;
    this.dropped += extra;
    return extra;
  }
}
