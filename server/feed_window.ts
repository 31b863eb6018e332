/**
 * The window of recent entries a store's shared read feed serves its readers
 * from, whatever the store: entries by id, with `null` for a missed id, and
 * at most {@linkcode WINDOW_ENTRIES} of them. A reader behind the window
 * reads the store on its own.
 *
 * @module
 */

/** Entries (and missed ids) a feed keeps at most: older ones are read from the store. */
export const WINDOW_ENTRIES = 20_000;

/** A reader waiting at `cursor` for news of a job. */
export interface ReadWaiter {
  cursor: number;
  wake(): void;
}

/**
 * Adds a waiter at `cursor` to `waiters` that removes itself, then calls
 * `listener`, when woken. Returns a function that removes it unwoken.
 */
export function addWaiter(
  waiters: Set<ReadWaiter>,
  cursor: number,
  listener: () => void,
): () => void {
  const waiter: ReadWaiter = {
    cursor,
    wake: () => {
      waiters.delete(waiter);
      listener();
    },
  };
  waiters.add(waiter);
  return () => waiters.delete(waiter);
}

/** What {@linkcode FeedWindow.serve} found from a cursor on. */
export interface WindowRead {
  entries: string[];
  /** The id after the last entry or missed id served. */
  next: number;
  /** Missed ids skipped before the entries. */
  missed: number;
}

/**
 * A window of one job's recent entries.
 */
export class FeedWindow {
  /** The id of `slots[0]`; `slots` holds entries, `null` for a missed id. */
  #base = 0;
  #slots: (string | null)[] = [];

  /** The id of the oldest entry (or missed id) held. */
  get base(): number {
    return this.#base;
  }

  /** The id after the last entry (or missed id) held. */
  get next(): number {
    return this.#base + this.#slots.length;
  }

  /** How many entries and missed ids are held. */
  get length(): number {
    return this.#slots.length;
  }

  /** Empties the window and starts it at `base`. */
  reset(base: number): void {
    this.#slots = [];
    this.#base = base;
  }

  /** Adds the entry with id `next` (call {@linkcode FeedWindow.trim} after a batch). */
  push(entry: string): void {
    this.#slots.push(entry);
  }

  /** Marks the ids from the window's end up to `id` as missed. */
  fill(id: number): void {
    const gap = id - this.next;
    if (gap <= 0) return;
    if (gap > WINDOW_ENTRIES) {
      // A long run of missed ids is not held: readers inside it read the store themselves.
      this.reset(id);
      return;
    }
    for (let i = 0; i < gap; i++) this.#slots.push(null);
  }

  /** Drops the oldest entries beyond {@linkcode WINDOW_ENTRIES}. */
  trim(): void {
    const extra = this.#slots.length - WINDOW_ENTRIES;
    if (extra <= 0) return;
    this.#slots = this.#slots.slice(extra);
    this.#base += extra;
  }

  /** The missed ids, then up to `limit` entries, from `cursor` (at or after `base`) on. */
  serve(cursor: number, limit: number): WindowRead {
    const entries: string[] = [];
    let missed = 0;
    let i = cursor - this.#base;
    while (i < this.#slots.length && this.#slots[i] === null) {
      missed++;
      i++;
    }
    while (i < this.#slots.length && entries.length < limit && this.#slots[i] !== null) {
      entries.push(this.#slots[i]!);
      i++;
    }
    return { entries, next: this.#base + i, missed };
  }
}
