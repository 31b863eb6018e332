/**
 * What the DynamoDB writer holds for one job besides the shared
 * {@linkcode WriteJob} state: the chunk items cut from its entries and not
 * stored yet, and what the last lease renewal recorded.
 *
 * @module
 */

import { WriteJob } from "../server/write_job.ts";
import type { ChunkItem } from "./key_schema.ts";

/** A job the DynamoDB store writes. */
export class DynamoWriteJob extends WriteJob {
  /** Chunk items cut but not stored yet, in `seq` order. */
  outbox: ChunkItem[] = [];
  /** The `storedTo` the last lease renewal recorded. */
  leaseStoredTo = 0;

  /** The contiguous stored prefix: every id below it is in DynamoDB. */
  override get stored(): number {
    return this.outbox.length > 0 ? this.outbox[0].seq : this.pendingFrom;
  }

  /** Entries appended but not stored yet: queued, or in chunk items not stored yet. */
  override get unstored(): number {
    let count = this.pending.length;
    for (const item of this.outbox) if (item.part === undefined) count += item.e.length;
    return count;
  }
}
