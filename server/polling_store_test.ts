import assert from "node:assert/strict";
import { MemoryStore } from "./memory_store.ts";
import { pollingStore } from "./polling_store.ts";

const settled = (promise: Promise<void>) =>
  Promise.race([promise.then(() => true), new Promise((r) => setTimeout(() => r(false), 0))]);

Deno.test("pollingStore: wait() resolves once the store has an entry past the cursor", async () => {
  const inner = new MemoryStore();
  const store = pollingStore(inner, { intervalMs: 5 });
  store.create("job");
  const stop = new AbortController();
  const waiting = store.wait("job", 0, stop.signal);
  assert.equal(await settled(waiting), false, "nothing new yet");
  inner.append("job", '{"event":"log"}');
  await waiting;
  assert.equal(inner.stats("job")?.waiting, 0, "it polls: nothing registers with the store");
  stop.abort();
});

Deno.test("pollingStore: wait() resolves on the job's end, an unknown job, and abort", async () => {
  const inner = new MemoryStore();
  const store = pollingStore(inner, { intervalMs: 5 });
  store.create("job");
  const ended = store.wait("job", 0, new AbortController().signal);
  await store.close("job");
  await ended;
  await store.wait("nope", 0, new AbortController().signal);
  store.create("idle");
  const stop = new AbortController();
  const aborted = store.wait("idle", 0, stop.signal);
  stop.abort();
  await aborted;
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
