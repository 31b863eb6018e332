/**
 * Cuts a job's pending entries into the chunk items of the data model
 * (see `key_schema.ts`): at most {@linkcode MAX_CHUNK_ENTRIES} entries and
 * {@linkcode MAX_CHUNK_BYTES} per chunk; an entry too large for one item is
 * cut into part items.
 *
 * @module
 */

import {
  type ChunkItem,
  MAX_CHUNK_BYTES,
  MAX_CHUNK_ENTRIES,
  MAX_PART_BYTES,
  MAX_PARTS,
} from "./key_schema.ts";
import { DynamoStoreError } from "./errors.ts";

/**
 * The number of bytes of a string in UTF-8 (a lone surrogate counts 3, as it
 * would be replaced).
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Cuts `entries` (ids `firstId`, `firstId + 1`, ...) into chunk items, in id
 * order.
 */
export function cutChunks(jobId: string, firstId: number, entries: string[]): ChunkItem[] {
  const items: ChunkItem[] = [];
  let chunk: string[] = [];
  let chunkSeq = firstId;
  let chunkBytes = 0;
  const cut = () => {
    if (chunk.length > 0) items.push({ jobId, seq: chunkSeq, e: chunk });
    chunk = [];
    chunkBytes = 0;
  };
  for (let i = 0; i < entries.length; i++) {
    const id = firstId + i;
    const entry = entries[i];
    const bytes = utf8Length(entry);
    if (bytes > MAX_PART_BYTES) {
      cut();
      items.push(...cutParts(jobId, id, entry));
      chunkSeq = id + 1;
      continue;
    }
    if (chunk.length === MAX_CHUNK_ENTRIES || chunkBytes + bytes > MAX_CHUNK_BYTES) {
      cut();
    }
    if (chunk.length === 0) chunkSeq = id;
    chunk.push(entry);
    chunkBytes += bytes;
  }
  cut();
  return items;
}

/** One oversized entry as part items: `seq` = id, id + 0.001, id + 0.002, ... */
function cutParts(jobId: string, id: number, entry: string): ChunkItem[] {
  const slices = sliceUtf8(entry, MAX_PART_BYTES);
  if (slices.length > MAX_PARTS) {
    throw new RangeError(
      `an entry of ${utf8Length(entry)} bytes is above the ${
        MAX_PARTS * MAX_PART_BYTES
      }-byte limit of the DynamoDB store`,
    );
  }
  return slices.map((slice, part) =>
    part === 0
      ? { jobId, seq: id, e: [slice], parts: slices.length }
      : { jobId, seq: partSeq(id, part), e: [slice], part }
  );
}

/** The `seq` of part `part` (1 to 999) of entry `id`. */
export function partSeq(id: number, part: number): number {
  return Number(`${id}.${String(part).padStart(3, "0")}`);
}

/**
 * Cuts a string into slices of at most `maxBytes` UTF-8 bytes, never inside a surrogate pair.
 */
export function sliceUtf8(text: string, maxBytes: number): string[] {
  const slices: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length &&
      (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > maxBytes) {
      slices.push(text.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += size;
    if (pair) i++;
  }
  slices.push(text.slice(start));
  return slices;
}

const LARGEST_ENTRY = MAX_PARTS * MAX_PART_BYTES;

/**
 * The entry, or an error entry in its place (reported) when it is beyond
 * what the store can hold (about 290 MiB).
 */
export function fitting(json: string, report: (error: DynamoStoreError) => void): string {
  if (json.length <= LARGEST_ENTRY / 3) return json;
  const bytes = utf8Length(json);
  if (bytes <= LARGEST_ENTRY) return json;
  const message = `entry of ${bytes} bytes replaced: the DynamoDB store holds at most ` +
    `${LARGEST_ENTRY} bytes per entry`;
  report(new DynamoStoreError(`DynamoStore: ${message}`, { retryable: false }));
  return JSON.stringify({ event: "log", message: `streamator: ${message}`, level: "error" });
}
