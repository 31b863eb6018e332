/**
 * Turns the items of a range query (see `key_schema.ts`) back into entries:
 * {@linkcode chunksOf} puts chunk and part items together, and
 * {@linkcode advance} walks them from a cursor. A gap (a chunk not there) is
 * waited for while it may still appear (eventually consistent reads, a batch
 * being retried), and reported as missed entries once it cannot: the
 * writer stored past it long enough ago, the job ended, or the writer is
 * lost. A reader never skips an entry that may still come, and never stalls
 * on one that will not.
 *
 * @module
 */

import { MAX_CHUNK_ENTRIES, META_SEQ } from "./key_schema.ts";
import type { MetaState } from "./meta_items.ts";

/**
 * The lowest `seq` a query must start at to find the entry with id `cursor`:
 * its chunk starts at most {@linkcode MAX_CHUNK_ENTRIES} - 1 ids before it.
 */
export function lowestSeq(cursor: number): number {
  return Math.max(0, cursor - MAX_CHUNK_ENTRIES + 1);
}

/** Entries `seq`, `seq + 1`, ...; `entries` is `null` for an entry whose parts are not all there. */
export interface Chunk {
  seq: number;
  entries: string[] | null;
}

/** The items of one query, put together. */
export interface Chunks {
  /** Whether any item came back (a job has its meta item before any chunk). */
  exists: boolean;
  chunks: Chunk[];
  /** The meta item's attributes, when the query reached it. */
  meta: Record<string, unknown> | undefined;
}

/**
 * Puts a query's items (in `seq` order) together: chunk items as they are,
 * the part items of one large entry as one entry. When the query stopped
 * before its end (`truncated`), an entry whose parts run past the last item
 * is left for the next query.
 */
export function chunksOf(items: Record<string, unknown>[], truncated: boolean): Chunks {
  const chunks: Chunk[] = [];
  let meta: Record<string, unknown> | undefined;
  let pieces: string[] | undefined;
  let head: Chunk | undefined;
  let parts = 0;
  for (const item of items) {
    const seq = Number(item.seq);
    if (seq === META_SEQ) {
      meta = item;
      continue;
    }
    if (seq < 0) continue; // result items
    const e = Array.isArray(item.e) ? item.e.map(String) : [];
    if (item.part !== undefined) {
      // a part: of the entry being put together, or of one whose first part is not here
      if (pieces !== undefined && Number(item.part) === pieces.length && head !== undefined) {
        pieces.push(e[0] ?? "");
        if (pieces.length === parts) {
          head.entries = [pieces.join("")];
          pieces = undefined;
        }
      }
      continue;
    }
    pieces = undefined;
    const partCount = Number(item.parts ?? 1);
    if (partCount > 1) {
      head = { seq, entries: null };
      pieces = [e[0] ?? ""];
      parts = partCount;
      chunks.push(head);
    } else chunks.push({ seq, entries: e });
  }
  if (truncated && pieces !== undefined) chunks.pop();
  return { exists: items.length > 0, chunks, meta };
}

const endOf = (chunk: Chunk) => chunk.seq + (chunk.entries === null ? 1 : chunk.entries.length);

/** What {@linkcode advance} needs besides the chunks. */
export interface AdvanceInput {
  cursor: number;
  limit: number;
  chunks: Chunk[];
  /** The job's meta state, when known. */
  meta: MetaState | undefined;
  /** Whether the chunks reach the end of what is stored (the query was not cut short). */
  complete: boolean;
  /** How far a gap from `from` to `to` is missed for good (`from` when it may still fill). */
  finalUpTo(from: number, to: number): number;
}

/** Entries from the cursor, as a store read returns them. */
export interface Advanced {
  entries: string[];
  /** Entries gone for good before the first one of `entries`. */
  missed: number;
  /** The cursor after the entries (and the missed ones). */
  next: number;
  /** Whether the job has ended and nothing follows `next`. */
  done: boolean;
}

/**
 * Walks `chunks` from `cursor`: up to `limit` entries, stopping at a gap
 * that may still fill and at a gap after the first entry (the next read
 * reports it, so `missed` always comes before the entries it precedes).
 */
export function advance(input: AdvanceInput): Advanced {
  const { limit, chunks, meta } = input;
  const entries: string[] = [];
  let missed = 0;
  let p = input.cursor;
  let blocked = false;
  /** Skips the gap [p, to) as far as it is final; false when the read must stop here. */
  const skip = (to: number): boolean => {
    if (entries.length > 0) return false;
    const upTo = Math.min(to, input.finalUpTo(p, to));
    if (upTo <= p) return false;
    missed += upTo - p;
    p = upTo;
    return upTo === to;
  };
  for (const chunk of chunks) {
    const length = chunk.entries === null ? 1 : chunk.entries.length;
    if (chunk.seq + length <= p) continue;
    if (chunk.seq > p && !skip(chunk.seq)) {
      blocked = true;
      break;
    }
    if (chunk.entries === null) {
      if (!skip(p + 1)) {
        blocked = true;
        break;
      }
      continue;
    }
    for (let i = p - chunk.seq; i < chunk.entries.length && entries.length < limit; i++) {
      entries.push(chunk.entries[i]);
      p++;
    }
    if (entries.length >= limit) {
      blocked = true;
      break;
    }
  }
  if (!blocked && input.complete && meta !== undefined) {
    const end = meta.outcome?.status === "lost"
      ? meta.storedTo
      : meta.done
      ? meta.next
      : meta.storedTo;
    if (p < end) blocked = !skip(end);
  }
  let done = false;
  if (meta?.done && input.complete && !blocked) {
    const lost = meta.outcome?.status === "lost";
    done = lost || p >= meta.next;
    // A cursor past the end of an ended job gets the end back (less than the cursor).
    const end = lost ? Math.max(meta.storedTo, ...chunks.map(endOf)) : meta.next;
    if (done && p > end && entries.length === 0 && missed === 0) p = end;
  }
  return { entries, missed, next: p, done };
}
