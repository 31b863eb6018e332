/**
 * The one read request of the log: a `Query` of a job's items from a `seq`
 * on (chunks, then the meta item last), page by page; and a read of a job's
 * history from any cursor, for a reader behind what the shared tail holds.
 *
 * @module
 */

import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { ReadResult } from "../server/store.ts";
import { CONSISTENCY_MS, type Context, type MetaState, metaState } from "./meta_items.ts";
import { HASH_KEY, RANGE_KEY } from "./key_schema.ts";
import { advance, type Chunks, chunksOf, lowestSeq } from "./log_reader.ts";
import { retryRead } from "./retry.ts";

/** What {@linkcode queryFrom} got: the items put together, and whether it reached the end. */
export interface Queried extends Chunks {
  /** Whether the pages reached the partition's end (the meta item included). */
  complete: boolean;
  /** Query requests sent. */
  requests: number;
}

/**
 * Queries a job's items with `seq >= from`, at most `maxPages` pages of
 * `pageItems` items (DynamoDB caps a page at 1 MB); with `newestFirst`, from
 * the meta item down (so one page holds the job's end however long it is). A missing table throws
 * (a `DynamoStoreError` that says so): it is a set-up error, not a missing job.
 */
export async function queryFrom(
  ctx: Context,
  jobId: string,
  from: number,
  maxPages: number,
  pageItems?: number,
  newestFirst = false,
): Promise<Queried> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  let requests = 0;
  for (let page = 0; page < maxPages; page++) {
    requests++;
    const output = await retryRead(
      () =>
        ctx.doc.send(
          new QueryCommand({
            TableName: ctx.settings.table,
            KeyConditionExpression: "#h = :h AND #r >= :lo",
            ExpressionAttributeNames: { "#h": HASH_KEY, "#r": RANGE_KEY },
            ExpressionAttributeValues: { ":h": jobId, ":lo": from },
            ExclusiveStartKey: startKey,
            Limit: pageItems,
            ScanIndexForward: !newestFirst,
            ConsistentRead: ctx.settings.consistentRead,
          }),
        ),
      ctx.settings.table,
      "Query",
      ctx.settings.report,
    );
    items.push(...(output.Items ?? []));
    startKey = output.LastEvaluatedKey;
    if (startKey === undefined) break;
  }
  const complete = startKey === undefined;
  if (newestFirst) {
    // The newest items, read back in seq order: a cut entry whose first part was not reached is
    // left out (its parts come first), so nothing half is taken.
    return { ...chunksOf(items.reverse(), false), complete, requests };
  }
  return { ...chunksOf(items, !complete), complete, requests };
}

/**
 * How far a gap [from, to) is gone for good, given the meta state at `now`:
 * all of it once the writer is lost; up to what the writer had stored, once
 * that is old enough for every read to see it (`margin`: 0 with strongly
 * consistent reads).
 */
export function finalGap(
  meta: MetaState | undefined,
  from: number,
  to: number,
  now: number,
  margin: number,
): number {
  if (meta === undefined) return from;
  if (meta.outcome?.status === "lost") return to;
  if (now - meta.storedAt >= margin) return Math.max(from, Math.min(to, meta.storedTo));
  return from;
}

/** The time after a write by which every read sees it. */
export function consistencyMargin(ctx: Context): number {
  return ctx.settings.consistentRead ? 0 : CONSISTENCY_MS;
}

/**
 * Reads up to `limit` entries of a job from `cursor` straight from the
 * table (no sharing): for a reader behind the shared tail, or a one-off
 * read. `undefined` when the job does not exist. `knownMeta` is used when
 * the pages stop before the meta item.
 */
export async function readHistory(
  ctx: Context,
  jobId: string,
  cursor: number,
  limit: number,
  knownMeta?: MetaState,
): Promise<ReadResult | undefined> {
  const pageItems = limit === 0
    ? 1
    : Number.isFinite(limit)
    ? Math.min(limit + 2, 1000)
    : undefined;
  const maxPages = Number.isFinite(limit) ? Math.max(1, Math.ceil(limit / 256) + 2) : 100_000;
  const got = await queryFrom(ctx, jobId, lowestSeq(cursor), maxPages, pageItems);
  if (!got.exists) return undefined;
  const now = Date.now();
  const meta = got.meta !== undefined ? metaState(got.meta, now) : knownMeta;
  const margin = consistencyMargin(ctx);
  const read = advance({
    cursor,
    limit,
    chunks: got.chunks,
    meta,
    complete: got.complete,
    finalUpTo: (from, to) => finalGap(meta, from, to, now, margin),
  });
  return {
    ...read,
    ...(read.done && meta?.outcome !== undefined ? { outcome: meta.outcome } : {}),
  };
}
