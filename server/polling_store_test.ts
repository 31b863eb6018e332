import assert from "node:assert/strict";
import { MemoryStore } from "./memory_store.ts";
import { pollingStore } from "./polling_store.ts";

/** How long a wait that should end may take before the test fails (polls are 5 ms apart). */
const BOUND_MS = 5_000;

const settled = (promise: Promise<void>) =>
  Promise.race([promise.then(() => true), new Promise((r) => setTimeout(() => r(false), 0))]);

/** `promise`, or a failure naming `what` once `BOUND_MS` passed: a hang fails the test. */
async function within(promise: Promise<void>, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: still waiting after ${BOUND_MS} ms`)),
      BOUND_MS,
    );
  });
  try {
    await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("pollingStore: wait() resolves once the store has an entry past the cursor", async () => {
  const inner = new MemoryStore();
  const store = pollingStore(inner, { intervalMs: 5 });
  store.create("job");
  const stop = new AbortController();
  const waiting = store.wait("job", 0, stop.signal);
  assert.equal(await settled(waiting), false, "nothing new yet");
  inner.append("job", '{"event":"log"}');
  await within(waiting, "wait() after an append");
  assert.equal(inner.stats("job")?.waiting, 0, "it polls: nothing registers with the store");
  stop.abort();
});

Deno.test("pollingStore: wait() resolves on the job's end, an unknown job, and abort", async () => {
  const inner = new MemoryStore();
  const store = pollingStore(inner, { intervalMs: 5 });
  store.create("job");
  const ended = store.wait("job", 0, new AbortController().signal);
  assert.equal(await settled(ended), false, "the job is still running");
  await store.close("job");
  await within(ended, "wait() after the job's end");
  assert.equal(inner.stats("job")?.done, true);

  await within(store.wait("nope", 0, new AbortController().signal), "wait() on an unknown job");

  store.create("idle");
  const stop = new AbortController();
  const aborted = store.wait("idle", 0, stop.signal);
  assert.equal(await settled(aborted), false, "an idle job has nothing to wait for yet");
  stop.abort();
  await within(aborted, "wait() after abort");
  assert.equal((await inner.read("idle", 0))?.entries.length, 0, "abort ended it, not an entry");
});

Deno.test("pollingStore: reads and writes go to the wrapped store", async () => {
  const inner = new MemoryStore();
  const store = pollingStore(inner);
  store.create("job");
  store.append("job", '{"n":1}');
  await store.close("job");
  assert.deepEqual(await store.read("job", 0), {
    entries: ['{"n":1}'],
    next: 1,
    done: true,
    missed: 0,
    outcome: { status: "ok" },
  });
  assert.throws(() => pollingStore(inner, { intervalMs: 0 }), /intervalMs must be a positive/);
});
