/**
 * The entries of one job, packed so that an entry costs little more than its
 * text: entries are grouped in blocks of consecutive ids. The block being
 * filled keeps each entry as its own string, so the live tail is read as it
 * was appended. A full block is sealed into one flat string (the entries
 * joined) and the offsets where each entry ends; a read of a sealed entry is
 * a `slice()` of that string, which V8 makes a view sharing the block's
 * characters. One string header per block instead of one per entry is what
 * the packing saves.
 *
 * @module
 */
import { positiveNumber } from "./number_option.ts";

/** Entries per block, at most (a ring smaller than this seals blocks of its own size). */
export const BLOCK_ENTRIES = 128;

/** A full block: its entries joined, and where each one ends in `text`. */
interface SealedBlock {
  text: string;
  /** 2 bytes per entry when the text is shorter than 64 KiB, else 4. */
  ends: Uint16Array | Uint32Array;
}

/**
 * A ring of JSON entries numbered from 0 that keeps the last `capacity` of
 * them: entries older than `next - capacity` are out of the ring and never
 * returned. Memory is freed a block at a time, once every entry of the block
 * is out, so at most `capacity + BLOCK_ENTRIES - 1` entries are held.
 */
export class EntryRing {
  readonly #capacity: number;
  readonly #blockEntries: number;
  /** Sealed blocks, oldest first, from `#sealedHead` on (earlier slots are freed). */
  #sealed: (SealedBlock | undefined)[] = [];
  #sealedHead = 0;
  /** The id of the first entry of `#sealed[#sealedHead]`. */
  #sealedFirst = 0;
  /** The block being filled: the entries from id `#tailFirst` on. */
  #tail: string[] = [];
  #tailFirst = 0;

  /** A ring keeping the last `capacity` entries (a positive integer). */
  constructor(capacity: number) {
    positiveNumber(capacity, "EntryRing: capacity", { integer: true });
    this.#capacity = capacity;
    this.#blockEntries = Math.min(BLOCK_ENTRIES, capacity);
  }

  /** The id the next entry will get (how many were ever pushed). */
  get next(): number {
    return this.#tailFirst + this.#tail.length;
  }

  /** The id of the oldest entry still in the ring. */
  get oldest(): number {
    return Math.max(0, this.next - this.#capacity);
  }

  /** Entries in the ring: at most `capacity`. */
  get size(): number {
    return this.next - this.oldest;
  }

  /** Appends an entry with id `next`. */
  push(json: string): void {
    this.#tail.push(json);
    if (this.#tail.length === this.#blockEntries) this.#seal();
    if (this.#sealedFirst + this.#blockEntries <= this.oldest) this.#drop();
  }

  /** The entries with ids in `[from, to)` that are still in the ring, in order. */
  read(from: number, to: number): string[] {
    const start = Math.max(from, this.oldest);
    const end = Math.min(to, this.next);
    const entries: string[] = [];
    let id = start;
    // sealed blocks: each one's entries are slices of its text
    while (id < end && id < this.#tailFirst) {
      const offset = id - this.#sealedFirst;
      const index = Math.floor(offset / this.#blockEntries);
      const block = this.#sealed[this.#sealedHead + index]!;
      const blockFirst = this.#sealedFirst + index * this.#blockEntries;
      const stop = Math.min(end, blockFirst + this.#blockEntries);
      const ends = block.ends;
      let at = id === blockFirst ? 0 : ends[id - blockFirst - 1];
      for (; id < stop; id++) {
        const until = ends[id - blockFirst];
        entries.push(block.text.slice(at, until));
        at = until;
      }
    }
    // the block being filled: its entries as they were pushed
    for (; id < end; id++) entries.push(this.#tail[id - this.#tailFirst]);
    return entries;
  }

  /** Joins the full tail into a sealed block. */
  #seal(): void {
    const tail = this.#tail;
    const text = tail.join("");
    const ends = text.length <= 0xffff
      ? new Uint16Array(tail.length)
      : new Uint32Array(tail.length);
    let length = 0;
    for (let i = 0; i < tail.length; i++) ends[i] = length += tail[i].length;
    this.#sealed.push({ text, ends });
    this.#tailFirst += tail.length;
    this.#tail = [];
  }

  /** Frees the oldest sealed block: every entry of it is out of the ring. */
  #drop(): void {
    this.#sealed[this.#sealedHead++] = undefined;
    this.#sealedFirst += this.#blockEntries;
    // compact the freed slots once they are half the array, so it does not grow forever
    if (this.#sealedHead > 0 && this.#sealedHead * 2 >= this.#sealed.length) {
      this.#sealed = this.#sealed.slice(this.#sealedHead);
      this.#sealedHead = 0;
    }
  }
}
