import assert from "node:assert/strict";
import { MemoryStore } from "./memory_store.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("entries are numbered 0, 1, 2, ... and each reader reads from its own cursor", async () => {
  const store = new MemoryStore();
  store.create("j");
  for (let i = 0; i < 5; i++) store.append("j", `{"n":${i}}`);
  assert.deepEqual(await store.read("j", 0), {
    entries: ['{"n":0}', '{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}'],
    next: 5,
    done: false,
    missed: 0,
  });
  assert.deepEqual((await store.read("j", 3))?.entries, ['{"n":3}', '{"n":4}']);
  assert.deepEqual((await store.read("j", 1, 2))?.entries, ['{"n":1}', '{"n":2}']);
  assert.equal((await store.read("j", 1, 2))?.next, 3);
  // A cursor past the end reads the end, so a reader can tell it from a wait.
  assert.deepEqual(await store.read("j", 9), { entries: [], next: 5, done: false, missed: 0 });
  assert.equal(await store.read("nope", 0), undefined);
});

Deno.test("done is reported once a reader has every entry of a closed job", async () => {
  const store = new MemoryStore();
  store.create("j");
  store.append("j", "1");
  store.append("j", "2");
  await store.close("j");
  store.append("j", "3");
  assert.equal((await store.read("j", 0, 1))?.done, false);
  assert.deepEqual(await store.read("j", 0), {
    entries: ["1", "2"],
    next: 2,
    done: true,
    missed: 0,
    outcome: { status: "ok" },
  });
  store.create("e");
  await store.close("e", { status: "error", message: "quota exceeded" });
  assert.deepEqual((await store.read("e", 0))?.outcome, {
    status: "error",
    message: "quota exceeded",
  });
});

Deno.test("past maxEntries the oldest are dropped and a late reader is told how many", async () => {
  const store = new MemoryStore({ maxEntries: 3 });
  store.create("j");
  for (let i = 0; i < 8; i++) store.append("j", String(i));
  assert.deepEqual(await store.read("j", 0), {
    entries: ["5", "6", "7"],
    next: 8,
    done: false,
    missed: 5,
  });
  assert.deepEqual(await store.read("j", 6), {
    entries: ["6", "7"],
    next: 8,
    done: false,
    missed: 0,
  });
  assert.deepEqual(store.stats("j"), { entries: 3, next: 8, done: false, waiting: 0 });
});

Deno.test("with many more entries than fit, reads across packed blocks miss exactly the dropped ones", async () => {
  const store = new MemoryStore({ maxEntries: 300 });
  store.create("j");
  const json = (id: number) => `{"id":${id},"pad":"${"x".repeat(id % 5)}"}`;
  for (let id = 0; id < 1000; id++) store.append("j", json(id));
  const all = await store.read("j", 0);
  assert.equal(all?.missed, 700);
  assert.deepEqual(all?.entries, Array.from({ length: 300 }, (_, i) => json(700 + i)));
  // a page that starts inside one block and ends in the next
  const page = await store.read("j", 760, 10);
  assert.deepEqual(page, {
    entries: Array.from({ length: 10 }, (_, i) => json(760 + i)),
    next: 770,
    done: false,
    missed: 0,
  });
  assert.deepEqual((await store.read("j", 699, 1))?.entries, [json(700)]);
  assert.deepEqual(store.stats("j"), { entries: 300, next: 1000, done: false, waiting: 0 });
});

Deno.test("wait resolves on the next entry, on close, and on abort; it leaves nothing behind", async () => {
  const store = new MemoryStore();
  store.create("j");
  const stop = new AbortController();
  const order: string[] = [];
  const a = store.wait("j", 0, stop.signal).then(() => order.push("a"));
  const b = store.wait("j", 0, stop.signal).then(() => order.push("b"));
  assert.equal(store.stats("j")?.waiting, 2);
  store.append("j", "x");
  await Promise.all([a, b]);
  assert.deepEqual(order.sort(), ["a", "b"]);
  assert.equal(store.stats("j")?.waiting, 0);

  await store.wait("j", 0, stop.signal); // an entry past the cursor exists: at once

  const closed = store.wait("j", 1, stop.signal);
  await store.close("j");
  await closed;

  const other = new AbortController();
  store.create("k");
  const aborted = store.wait("k", 0, other.signal);
  assert.equal(store.stats("k")?.waiting, 1);
  other.abort();
  await aborted;
  assert.equal(store.stats("k")?.waiting, 0);
});

Deno.test("a closed job is forgotten after retentionMs", async () => {
  const store = new MemoryStore({ retentionMs: 40 });
  store.create("j");
  store.append("j", "1");
  await store.close("j");
  assert.equal((await store.read("j", 0))?.done, true);
  await sleep(80);
  // Only its end is kept: a late reader is told what it missed, never cut short in silence.
  assert.deepEqual(await store.read("j", 0), {
    entries: [],
    next: 1,
    done: true,
    missed: 1,
    outcome: { status: "ok" },
  });
  assert.equal((await store.read("j", 1))?.missed, 0);
  assert.equal(store.stats("j"), undefined);
  assert.equal(store.size, 0);
  assert.equal(await store.read("never-created", 0), undefined);
});

Deno.test("a job with no new entry for idleMs is ended and its waiting readers woken", async () => {
  const store = new MemoryStore({ idleMs: 40, retentionMs: 60_000 });
  store.create("j");
  store.append("j", "1");
  const stop = new AbortController();
  const waiting = store.wait("j", 1, stop.signal);
  await sleep(80);
  // Nothing woke the reader yet (there are no timers); its next read ends the job.
  assert.deepEqual(await store.read("j", 1), {
    entries: [],
    next: 1,
    done: true,
    missed: 0,
    outcome: { status: "lost", message: "the job logged nothing for 40 ms and was ended" },
  });
  await waiting;
  assert.equal(store.stats("j")?.waiting, 0);
});

Deno.test("watch calls back once on news, never synchronously, and can be stopped", async () => {
  const store = new MemoryStore();
  store.create("j");
  let calls = 0;
  const stop = store.watch("j", 0, () => calls++);
  assert.equal(store.stats("j")?.waiting, 1);
  stop();
  assert.equal(store.stats("j")?.waiting, 0);
  store.watch("j", 0, () => calls++);
  store.append("j", "x");
  store.append("j", "y");
  assert.equal(calls, 1);
  store.watch("j", 0, () => calls++); // news already there: called, but later
  assert.equal(calls, 1);
  await Promise.resolve();
  assert.equal(calls, 2);
});

Deno.test("jobs are swept as the store is used, with no timer", async () => {
  const store = new MemoryStore({ retentionMs: 20 });
  for (let i = 0; i < 100; i++) {
    store.create(`j${i}`);
    store.append(`j${i}`, "1");
    await store.close(`j${i}`);
  }
  assert.equal(store.size, 100);
  await sleep(50);
  store.create("fresh");
  assert.equal(store.size, 1);
});

Deno.test("bad limits are TypeErrors naming the option", () => {
  assert.throws(
    () => new MemoryStore({ maxEntries: 0 }),
    /options.maxEntries must be a positive integer/,
  );
  assert.throws(() => new MemoryStore({ maxEntries: 1.5 }), /maxEntries/);
  assert.throws(
    () => new MemoryStore({ retentionMs: -1 }),
    /options.retentionMs must be a positive number/,
  );
  // @ts-expect-error: not a number
  assert.throws(() => new MemoryStore({ idleMs: "1h" }), /options.idleMs/);
});

Deno.test("results and cancel: kept per job, cancel listeners run once, none after the end", async () => {
  const store = new MemoryStore();
  store.create("j");
  assert.deepEqual(await store.readResult("j"), { json: undefined, done: false });
  await store.setResult("j", '{"a":1}');
  await store.setResult("j", '{"a":2}');
  assert.deepEqual(await store.readResult("j"), { json: '{"a":2}', done: false });
  assert.equal(await store.readResult("nope"), undefined);

  const heard: string[] = [];
  const stop = store.onCancel("j", () => heard.push("first"));
  store.onCancel("j", () => heard.push("second"))();
  assert.equal(await store.cancel("j"), true);
  assert.equal(await store.cancel("j"), true);
  assert.deepEqual(heard, ["first"]);
  stop();
  // Watching a job already cancelled hears it at once.
  store.onCancel("j", () => heard.push("late"));
  assert.deepEqual(heard, ["first", "late"]);

  await store.close("j");
  assert.deepEqual(await store.readResult("j"), { json: '{"a":2}', done: true });
  store.create("k");
  await store.close("k");
  store.onCancel("k", () => heard.push("ended"));
  assert.equal(await store.cancel("k"), true);
  assert.equal(await store.cancel("unknown"), false);
  assert.deepEqual(heard, ["first", "late"]);
});
