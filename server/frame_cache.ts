import { sseEvent } from "./sse.ts";

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/** A batch of entries framed and encoded once, for every reader at the same cursor. */
interface FramedBatch {
  first: number;
  entries: string[];
  bytes: Uint8Array;
}

/** The last framed batch per job id (at most {@linkcode FRAMED_JOBS} jobs). */
const framed = new Map<string, FramedBatch>();
const FRAMED_JOBS = 64;

/**
 * `id: N` / `data: {json}` frames for `entries` (ids from `first`), as UTF-8.
 * Subscribers of one job usually read the same batch right after each other
 * (all woken by the same append), so the last batch of each job is kept and
 * reused when the ids and every entry match: with 100 subscribers a batch is
 * framed and encoded once, not 100 times. Matching compares the entries
 * themselves, so equal ids of a different job (or store) never reuse bytes
 * that differ. The bytes are shared: callers copy them before handing them on.
 */
export function frameBatch(jobId: string, first: number, entries: string[]): Uint8Array {
  if (entries.length === 0) return EMPTY;
  const hit = framed.get(jobId);
  if (hit !== undefined && hit.first === first && sameEntries(hit.entries, entries)) {
    return hit.bytes;
  }
  let text = "";
  for (let i = 0; i < entries.length; i++) text += sseEvent(entries[i], first + i);
  const bytes = encoder.encode(text);
  framed.delete(jobId);
  framed.set(jobId, { first, entries, bytes });
  if (framed.size > FRAMED_JOBS) framed.delete(framed.keys().next().value!);
  return bytes;
}

function sameEntries(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
