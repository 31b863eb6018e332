import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { JobTable } from "./job_table.ts";
import type { SqlStorage, SqlValue } from "./workers_types.ts";

const SETTINGS = { leaseMs: 30_000, retentionMs: 60_000, maxEntries: 100_000 };

/** `ctx.storage.sql` over a real SQLite database (the one a Durable Object has is SQLite too). */
function sqlOf(db: DatabaseSync): SqlStorage {
  return {
    exec(query: string, ...bindings: SqlValue[]) {
      const rows = db.prepare(query).all(...(bindings as (string | number | null)[])) as Record<
        string,
        SqlValue
      >[];
      return { toArray: () => rows, [Symbol.iterator]: () => rows[Symbol.iterator]() };
    },
  };
}

/** The entries a fresh table on the same database (an object woken again) reads from `cursor`. */
function afterRestart(db: DatabaseSync, cursor = 0): string[] {
  return new JobTable(sqlOf(db)).read(cursor, Infinity)?.entries ?? [];
}

Deno.test("JobTable: staged entries are read at once and stored by store()", () => {
  const db = new DatabaseSync(":memory:");
  const table = new JobTable(sqlOf(db));
  table.create(SETTINGS);
  assert.equal(table.stage(0, ["a", "b", "c"]), true);
  assert.equal(table.staged, true);
  assert.deepEqual(table.read(0, Infinity)?.entries, ["a", "b", "c"]);
  assert.deepEqual(table.read(1, 1)?.entries, ["b"]);
  // Not stored yet: an object started again on this storage has the job, empty.
  assert.deepEqual(afterRestart(db), []);
  assert.equal(new JobTable(sqlOf(db)).meta?.next, 0);
  table.store();
  assert.equal(table.staged, false);
  assert.deepEqual(afterRestart(db), ["a", "b", "c"]);
  assert.equal(new JobTable(sqlOf(db)).meta?.next, 3);
  // A batch sent again (same ids) adds nothing; one past the next id is a gap.
  assert.equal(table.stage(1, ["b", "c"]), true);
  assert.equal(table.staged, false);
  assert.equal(table.stage(5, ["f"]), false);
});

Deno.test("JobTable: any write of the job's state stores the staged entries first", () => {
  for (const write of ["cancel", "end"] as const) {
    const db = new DatabaseSync(":memory:");
    const table = new JobTable(sqlOf(db));
    table.create(SETTINGS);
    table.stage(0, ["a", "b"]);
    if (write === "cancel") table.cancel();
    else table.end({ status: "ok" }, Date.now());
    // The stored next id never counts an entry that is not stored.
    const again = new JobTable(sqlOf(db));
    assert.equal(again.meta?.next, 2, write);
    assert.deepEqual(again.read(0, Infinity)?.entries, ["a", "b"], write);
  }
});

Deno.test("JobTable: a read across stored rows, the tail and staged entries has every id once", () => {
  const db = new DatabaseSync(":memory:");
  const table = new JobTable(sqlOf(db));
  table.create(SETTINGS);
  const name = (i: number) => `entry ${i}`;
  // Past twice the in-memory tail (4,096 entries), the oldest are read from SQLite only.
  for (let first = 0; first < 9_000; first += 1_000) {
    table.stage(first, Array.from({ length: 1_000 }, (_, i) => name(first + i)));
    table.store();
  }
  table.stage(9_000, [name(9_000), name(9_001)]);
  const read = table.read(10, Infinity)!;
  assert.equal(read.next, 9_002);
  assert.deepEqual(read.entries, Array.from({ length: 8_992 }, (_, i) => name(10 + i)));
  assert.deepEqual(table.read(8_999, 2)?.entries, [name(8_999), name(9_000)]);
});

Deno.test("JobTable: a batch whose storage write fails is dropped, and is stored when sent again", () => {
  const db = new DatabaseSync(":memory:");
  const table = new JobTable(sqlOf(db));
  table.create(SETTINGS);
  table.stage(0, ["a"]);
  table.store();
  const pages = Number(db.prepare("PRAGMA page_count").get()!.page_count);
  db.exec(`PRAGMA max_page_count = ${pages}`); // the storage is full
  const big = ["x".repeat(100_000), "y".repeat(100_000)];
  table.stage(1, big);
  assert.throws(() => table.store(), /full/);
  // The job ends where its storage does, so ending it still works and counts no lost entry.
  assert.equal(table.staged, false);
  assert.equal(table.meta?.next, 1);
  assert.deepEqual(table.read(0, Infinity)?.entries, ["a"]);
  db.exec("PRAGMA max_page_count = 1000000"); // room again: the writer's retry lands
  assert.equal(table.stage(1, big), true);
  table.store();
  assert.deepEqual(afterRestart(db), ["a", ...big]);
  table.stage(3, ["z"]);
  table.end({ status: "ok" }, Date.now());
  assert.deepEqual(afterRestart(db), ["a", ...big, "z"]);
});

Deno.test("JobTable: a second writer's entries follow the first's; the first is then refused", () => {
  const db = new DatabaseSync(":memory:");
  const table = new JobTable(sqlOf(db));
  table.create(SETTINGS, "first");
  assert.equal(table.writerBase("first", true), 0); // its first batch, sent again: same ids
  table.stage(0, ["a1", "a2"]);
  table.store();
  // A retried Queue message: a new writer, numbering its entries from 0.
  assert.equal(table.create(SETTINGS, "second"), false);
  const base = table.writerBase("second", true);
  assert.equal(base, 2);
  table.stage(base! + 0, ["b1", "b2"]);
  table.store();
  // Its first batch sent again (the answer was lost) adds nothing; its next batch follows.
  assert.equal(table.writerBase("second", true), 2);
  table.stage(2 + 0, ["b1", "b2"]);
  table.stage(2 + 2, ["b3"]);
  table.store();
  assert.deepEqual(afterRestart(db), ["a1", "a2", "b1", "b2", "b3"]);
  // The writer taken over from is refused, even after the object wakes again.
  assert.equal(table.writerBase("first", false), "replaced");
  assert.equal(new JobTable(sqlOf(db)).writerBase("first", false), "replaced");
  assert.equal(new JobTable(sqlOf(db)).writerBase("second", false), 2);
  // Once the job has ended, a new writer is refused; its last writer's resends are not.
  table.end({ status: "ok" }, Date.now());
  assert.equal(table.writerBase("third", true), "ended");
  assert.equal(table.writerBase("second", true), 2);
  assert.equal(table.meta?.writer, "second");
});
