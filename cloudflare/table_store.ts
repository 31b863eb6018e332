/**
 * The store a job's Durable Object streams from: its own {@linkcode JobTable},
 * read in place, with readers woken by the object when a batch comes or the
 * job ends. Only the read side: the object writes the table itself.
 */
import { abortableWait, callSoon } from "../server/abortable_wait.ts";
import type { ReadResult, Store } from "../server/store.ts";
import type { JobTable } from "./job_table.ts";

/** Readers' callbacks, called once each at the object's next write or the job's end. */
export type Wakers = Set<() => void>;

/**
 * What a reader at `cursor` reads from the table. A reader ahead of the
 * table's end, while the job runs, stays where it is: readers get each batch
 * before the object stores it, so after the object restarts between the two
 * its readers can hold ids it no longer has, until the writer sends that
 * batch again.
 */
export function readTable(table: JobTable, cursor: number, limit: number): ReadResult | undefined {
  const result = table.read(cursor, limit);
  if (result !== undefined && !result.done && result.next < cursor) {
    return { entries: [], next: cursor, done: false, missed: 0 };
  }
  return result;
}

/** A read-only {@linkcode Store} over the object's table; `jobId` is the object's job. */
export function tableStore(table: JobTable, wakers: Wakers): Store {
  const read = (cursor: number, limit: number) => readTable(table, cursor, limit);
  const watch = (_jobId: string, cursor: number, listener: () => void) => {
    const result = read(cursor, 1);
    if (result === undefined || result.done || result.next !== cursor || result.missed > 0) {
      return callSoon(listener);
    }
    const once = () => {
      wakers.delete(once);
      listener();
    };
    wakers.add(once);
    return () => wakers.delete(once);
  };
  return {
    create: () => {},
    append: () => {},
    close: () => Promise.resolve(),
    read: (_jobId, cursor, limit = Infinity) => Promise.resolve(read(cursor, limit)),
    watch,
    wait: (jobId, cursor, signal) => abortableWait(signal, (wake) => watch(jobId, cursor, wake)),
  };
}
