/**
 * Turns the items of a range query (see `key_schema.ts`) back into a
 * {@linkcode ReadResult}: entries in id order from a cursor on, stopping at
 * the first gap, so a reader never skips an entry that is not visible yet.
 *
 * @module
 */

import type { ReadResult } from "../server/store.ts";
import { MAX_CHUNK_ENTRIES, META_SEQ } from "./key_schema.ts";

/**
 * The lowest `seq` a query must start at to find the entry with id `cursor`:
 * its chunk starts at most {@linkcode MAX_CHUNK_ENTRIES} - 1 ids before it.
 *
 * @example
 * ```ts
 * import { lowestSeq } from "./log_reader.ts";
 * lowestSeq(1000); // 745
 * ```
 */
export function lowestSeq(cursor: number): number {
  return Math.max(0, cursor - MAX_CHUNK_ENTRIES + 1);
}

/**
 * Collects the entries of one read, page by page, in `seq` order.
 *
 * @example
 * ```ts
 * import { LogReader } from "./log_reader.ts";
 * const reader = new LogReader(1, 10);
 * reader.add([{ seq: 0, e: ["a", "b", "c"] }, { seq: Number.MAX_SAFE_INTEGER, done: true, next: 3 }]);
 * reader.result(); // { entries: ["b", "c"], next: 3, done: true, missed: 0 }
 * ```
 */
export class LogReader {
  readonly #cursor: number;
  readonly #limit: number;
  readonly #entries: string[] = [];
  /** The id the next chunk must start at; `undefined` before the first chunk. */
  #pos: number | undefined;
  /** The pieces of a cut entry being put together. */
  #pieces: string[] | undefined;
  #parts = 0;
  #exists = false;
  #meta: Record<string, unknown> | undefined;
  #stopped = false;

  constructor(cursor: number, limit: number) {
    this.#cursor = cursor;
    this.#limit = limit;
  }

  /** Whether the job has any item (a meta item is written before any chunk). */
  get exists(): boolean {
    return this.#exists;
  }

  /** Whether more pages cannot change the result: a gap, the limit, or the meta item. */
  get complete(): boolean {
    return this.#stopped;
  }

  /** Adds one page of items, in `seq` order. */
  add(items: Record<string, unknown>[]): void {
    for (const item of items) {
      if (this.#stopped) return;
      this.#exists = true;
      const seq = Number(item.seq);
      if (seq === META_SEQ) {
        this.#meta = item;
        this.#stopped = true;
        return;
      }
      this.#chunk(seq, item);
    }
  }

  #chunk(seq: number, item: Record<string, unknown>): void {
    const e = Array.isArray(item.e) ? item.e.map(String) : [];
    if (this.#pieces !== undefined) {
      if (Number(item.part) !== this.#pieces.length) return this.#stop();
      this.#pieces.push(e[0] ?? "");
      if (this.#pieces.length === this.#parts) {
        this.#take(this.#pos!, this.#pieces.join(""));
        this.#pos! += 1;
        this.#pieces = undefined;
      }
      return;
    }
    if (item.part !== undefined) {
      // a part item whose first part lies before the queried range or is missing
      if (this.#pos === undefined) return;
      return this.#stop();
    }
    if (this.#pos === undefined) {
      if (seq > this.#cursor) return this.#stop(); // the chunk holding the cursor is not visible
      this.#pos = seq;
    } else if (seq !== this.#pos) return this.#stop();
    const parts = Number(item.parts ?? 1);
    if (parts > 1) {
      this.#pieces = [e[0] ?? ""];
      this.#parts = parts;
      return;
    }
    for (const entry of e) {
      this.#take(this.#pos, entry);
      this.#pos++;
      if (this.#stopped) return;
    }
  }

  #take(id: number, entry: string): void {
    if (id < this.#cursor) return;
    this.#entries.push(entry);
    if (this.#entries.length >= this.#limit) this.#stopped = true;
  }

  #stop(): void {
    this.#stopped = true;
  }

  /** The result of the read so far; `undefined` when the job has no item at all. */
  result(): ReadResult | undefined {
    if (!this.#exists) return undefined;
    const meta = this.#meta;
    const end = meta !== undefined && meta.done === true ? Number(meta.next ?? 0) : undefined;
    // A cursor past a finished job's end reads that end, so a reader can tell it from a wait.
    const next = Math.min(this.#cursor + this.#entries.length, end ?? Infinity);
    const done = end !== undefined && end <= next;
    return { entries: this.#entries, next, done, missed: 0 };
  }
}
