/**
 * The store a job's Durable Object streams from: its own {@linkcode JobTable},
 * read in place, with readers woken by the object when a batch is stored or
 * the job ends. Only the read side: the object writes the table itself.
 */
import type { ReadResult, Store } from "../server/store.ts";
import type { JobTable } from "./job_table.ts";

/** Readers' callbacks, called once each at the object's next write or the job's end. */
export type Wakers = Set<() => void>;

/** A read-only {@linkcode Store} over the object's table; `jobId` is the object's job. */
export function tableStore(table: JobTable, wakers: Wakers): Store {
  const watch = (_jobId: string, cursor: number, listener: () => void) => {
    const result = table.read(cursor, 1);
    if (result === undefined || result.done || result.next !== cursor || result.missed > 0) {
      queueMicrotask(listener);
      return () => {};
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
    read: (_jobId, cursor, limit = Infinity): Promise<ReadResult | undefined> =>
      Promise.resolve(table.read(cursor, limit)),
    watch,
    wait: (jobId, cursor, signal) =>
      new Promise((resolve) => {
        if (signal.aborted) return resolve();
        const done = () => {
          stop();
          signal.removeEventListener("abort", done);
          resolve();
        };
        const stop = watch(jobId, cursor, done);
        signal.addEventListener("abort", done);
      }),
  };
}
