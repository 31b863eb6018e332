/**
 * The DynamoDB data model of a job's log: one table, one partition per job.
 *
 * | item  | `jobId` (S, hash) | `seq` (N, range)            | other attributes                         |
 * | ----- | ----------------- | --------------------------- | ---------------------------------------- |
 * | chunk | the job id        | id of its first entry       | `e` (L of S): entries, `expiresAt`       |
 * | part  | the job id        | entry id + part / 1000      | `e`: one slice of a very large entry     |
 * | meta  | the job id        | {@linkcode META_SEQ}        | `writer`, `createdAt`, `done`, `next`, `expiresAt` |
 *
 * Chunks are written once and never changed, so a retried write stores the
 * same item again (no duplicate). A chunk holds at most
 * {@linkcode MAX_CHUNK_ENTRIES} entries, so the chunk holding entry `N` has a
 * `seq` above `N - MAX_CHUNK_ENTRIES`: a reader at cursor `N` queries
 * `seq >= N - MAX_CHUNK_ENTRIES + 1` and gets at most one old chunk, the new
 * ones, and the meta item last (its `seq` is above every entry id).
 *
 * @module
 */

/** The partition key: the job id (string). */
export const HASH_KEY = "jobId";
/** The sort key: the first entry id of a chunk (number). */
export const RANGE_KEY = "seq";
/** The TTL attribute: epoch seconds after which DynamoDB may delete the item. */
export const TTL_ATTRIBUTE = "expiresAt";
/** The `seq` of a job's meta item: above every entry id, so a range query ends with it. */
export const META_SEQ = Number.MAX_SAFE_INTEGER;
/** Entries per chunk item at most. Part of the data format: readers rely on it. */
export const MAX_CHUNK_ENTRIES = 256;
/** UTF-8 bytes of entries per chunk item at most (DynamoDB's item limit is 400 KB). */
export const MAX_CHUNK_BYTES = 64 * 1024;
/** An entry above this many UTF-8 bytes is cut into part items of this size at most. */
export const MAX_PART_BYTES = 300 * 1024;
/** Part items per entry at most: an entry may be up to about 290 MiB. */
export const MAX_PARTS = 999;

/** The primary key of a job's item at `seq`. */
export function itemKey(jobId: string, seq: number): Record<string, string | number> {
  return { [HASH_KEY]: jobId, [RANGE_KEY]: seq };
}

/** A chunk (or part) item as written; `expiresAt` is added when it is sent. */
export interface ChunkItem {
  jobId: string;
  seq: number;
  /** The entries (for a part item: one slice of one entry). */
  e: string[];
  /** On the first part of a cut entry: how many part items it has. */
  parts?: number;
  /** On the other parts of a cut entry: the part's index (1, 2, ...). */
  part?: number;
}
