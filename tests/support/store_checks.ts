/**
 * Test support: the store contract's checks on one `Store` object, written
 * with no test framework and no Deno API, so they run anywhere a store runs:
 * in Deno through `storeContract()` (tests/support/store_contract.ts, every
 * store) and inside a Worker in workerd (the Durable Object store,
 * `tests/support/job_log_worker.ts`).
 *
 * Each check gets the store and a fresh job id, and throws a
 * {@linkcode ContractError} saying what differs. A store that writes in the
 * background is flushed before every read, as a reader in another process
 * would see it once `flush()` resolves.
 */
import type { Store } from "../../server/store.ts";

/** A contract check failed: the message says what was expected and what came. */
export class ContractError extends Error {
  override name = "ContractError";
}

/** One check of the contract. */
export type ContractCheck = (store: Store, jobId: string) => Promise<void>;

function same(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new ContractError(`${what}: expected ${e}, got ${a}`);
}

function truthy(value: unknown, what: string): void {
  if (!value) throw new ContractError(`${what}: expected true, got ${JSON.stringify(value)}`);
}

async function flush(store: Store, jobId: string): Promise<void> {
  await store.flush?.(jobId);
}

/** Resolves `true` if `promise` settles within `ms`, else `false`. */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), ms)),
  ]).finally(() => clearTimeout(timer));
}

/** Resolves once `ready()` holds, checking every 5 ms (bounded by the caller's `within`). */
async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 2_000 && !ready(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const entry = (i: number) => JSON.stringify({ event: "log", message: `entry ${i}`, t: i });

/** The checks, by name. */
export const STORE_CONTRACT: Record<string, ContractCheck> = {
  async "an unknown job reads as undefined"(store, jobId) {
    same(await store.read(`${jobId}-unknown`, 0), undefined, "read");
    if (store.readResult) same(await store.readResult(`${jobId}-unknown`), undefined, "readResult");
    if (store.cancel) same(await store.cancel(`${jobId}-unknown`), false, "cancel");
  },

  async "a new job reads empty and running"(store, jobId) {
    store.create(jobId);
    await flush(store, jobId);
    same(await store.read(jobId, 0), { entries: [], next: 0, done: false, missed: 0 }, "read");
    await store.close(jobId);
  },

  async "entries read back in order, from any cursor, up to a limit"(store, jobId) {
    store.create(jobId);
    for (let i = 0; i < 10; i++) store.append(jobId, entry(i));
    await flush(store, jobId);
    const all = Array.from({ length: 10 }, (_, i) => entry(i));
    same(await store.read(jobId, 0), { entries: all, next: 10, done: false, missed: 0 }, "from 0");
    same(
      await store.read(jobId, 4, 3),
      { entries: all.slice(4, 7), next: 7, done: false, missed: 0 },
      "from 4, limit 3",
    );
    same(await store.read(jobId, 10), { entries: [], next: 10, done: false, missed: 0 }, "at end");
    await store.close(jobId);
  },

  async "close ends the job with its outcome; later appends are ignored"(store, jobId) {
    store.create(jobId);
    store.append(jobId, entry(0));
    await store.close(jobId, { status: "error", message: "quota exceeded" });
    store.append(jobId, entry(1));
    await flush(store, jobId);
    same(await store.read(jobId, 0), {
      entries: [entry(0)],
      next: 1,
      done: true,
      missed: 0,
      outcome: { status: "error", message: "quota exceeded" },
    }, "read after close");
    const past = await store.read(jobId, 5);
    same([past?.next, past?.done], [1, true], "a cursor past the end gets the end");
  },

  async "close without an outcome is ok"(store, jobId) {
    store.create(jobId);
    await store.close(jobId);
    const read = await store.read(jobId, 0);
    same([read?.done, read?.outcome?.status ?? "ok"], [true, "ok"], "read");
  },

  async "wait resolves on the next entry"(store, jobId) {
    store.create(jobId);
    await flush(store, jobId);
    const abort = new AbortController();
    const waiting = store.wait(jobId, 0, abort.signal);
    truthy(!(await within(waiting, 50)), "wait resolved before any entry");
    store.append(jobId, entry(0));
    truthy(await within(waiting, 5_000), "wait resolved on the entry");
    abort.abort();
    const read = await store.read(jobId, 0);
    same(read?.entries, [entry(0)], "the entry");
    await store.close(jobId);
  },

  async "wait resolves on the job's end and on abort"(store, jobId) {
    store.create(jobId);
    await flush(store, jobId);
    const abort = new AbortController();
    const aborted = store.wait(jobId, 0, abort.signal);
    abort.abort();
    truthy(await within(aborted, 1_000), "wait resolved on abort");
    const ending = store.wait(jobId, 0, new AbortController().signal);
    await store.close(jobId);
    truthy(await within(ending, 5_000), "wait resolved on close");
  },

  async "watch calls back once, never from inside the call, and stops when told"(store, jobId) {
    if (!store.watch) return;
    store.create(jobId);
    await flush(store, jobId);
    let calls = 0;
    let stoppedCalls = 0;
    store.watch(jobId, 0, () => calls++);
    store.watch(jobId, 0, () => stoppedCalls++)();
    truthy(!(await within(until(() => calls > 0), 50)), "watch called back before any entry");
    store.append(jobId, entry(0));
    truthy(await within(until(() => calls > 0), 5_000), "watch called back on the entry");
    store.append(jobId, entry(1));
    await flush(store, jobId);
    await new Promise((resolve) => setTimeout(resolve, 50));
    same([calls, stoppedCalls], [1, 0], "calls of the watch and of the stopped one");
    let soon = 0;
    store.watch(jobId, 0, () => soon++); // behind the end: news already
    same(soon, 0, "calls from inside watch()");
    truthy(await within(until(() => soon === 1), 1_000), "watch called back soon with news");
    await store.close(jobId);
  },

  async "the result is kept and read back"(store, jobId) {
    if (!store.setResult || !store.readResult) return;
    store.create(jobId);
    await flush(store, jobId);
    same(await store.readResult(jobId), { done: false }, "before setResult");
    await store.setResult(jobId, '{"pages":1}');
    await store.setResult(jobId, '{"pages":3}');
    same(await store.readResult(jobId), { json: '{"pages":3}', done: false }, "replaced");
    await store.close(jobId);
    same(await store.readResult(jobId), { json: '{"pages":3}', done: true }, "after close");
  },

  async "a cancel reaches the writer's onCancel once"(store, jobId) {
    if (!store.cancel || !store.onCancel) return;
    store.create(jobId);
    await flush(store, jobId);
    let calls = 0;
    let heard: () => void = () => {};
    const cancelled = new Promise<void>((resolve) => heard = resolve);
    store.onCancel(jobId, () => {
      calls++;
      heard();
    });
    same(await store.cancel(jobId), true, "cancel of a running job");
    truthy(await within(cancelled, 5_000), "onCancel called");
    same(await store.cancel(jobId), true, "a second cancel");
    await store.close(jobId, { status: "cancelled" });
    same(await store.cancel(jobId), true, "cancel of an ended job");
    same(calls, 1, "onCancel calls");
    same((await store.read(jobId, 0))?.outcome, { status: "cancelled" }, "outcome");
  },
};
