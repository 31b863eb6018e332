import assert from "node:assert/strict";
import { cutChunks, utf8Length } from "./chunks.ts";
import { MAX_CHUNK_BYTES, MAX_CHUNK_ENTRIES, MAX_PART_BYTES, META_SEQ } from "./key_schema.ts";
import { advance, chunksOf, lowestSeq } from "./log_reader.ts";
import { finalGap } from "./log_query.ts";
import { metaState } from "./meta_items.ts";

const entries = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `{"n":${from + i}}`);

/** One read of `items` (a whole query) from `cursor`, as the store does it, at time `now`. */
function read(items: object[], cursor: number, limit = Infinity, now = Date.now()) {
  const got = chunksOf(items as Record<string, unknown>[], false);
  if (!got.exists) return undefined;
  const meta = got.meta === undefined ? undefined : metaState(got.meta, now);
  return advance({
    cursor,
    limit,
    chunks: got.chunks,
    meta,
    complete: true,
    finalUpTo: (from, to) => finalGap(meta, from, to, now, 2_000),
  });
}

Deno.test("cutChunks: at most MAX_CHUNK_ENTRIES entries and MAX_CHUNK_BYTES per chunk, seq = first id", () => {
  const items = cutChunks("j", 10, entries(10, 10 + 600));
  assert.deepEqual(items.map((i) => [i.seq, i.e.length]), [[10, 256], [266, 256], [522, 88]]);
  const wide = "x".repeat(20_000);
  const byBytes = cutChunks("j", 0, [wide, wide, wide, wide]);
  assert.deepEqual(byBytes.map((i) => [i.seq, i.e.length]), [[0, 3], [3, 1]]);
  assert.ok(byBytes.every((i) => utf8Length(i.e.join("")) <= MAX_CHUNK_BYTES));
  assert.equal(MAX_CHUNK_ENTRIES, 256);
});

Deno.test("cutChunks: a huge entry becomes part items that never split a surrogate pair", () => {
  const huge = "a" + "😀".repeat(200_000); // 800,001 bytes
  const items = cutChunks("j", 5, ["before", huge, "after"]);
  assert.deepEqual(items.map((i) => [i.seq, i.parts, i.part]), [
    [5, undefined, undefined],
    [6, 3, undefined],
    [6.001, undefined, 1],
    [6.002, undefined, 2],
    [7, undefined, undefined],
  ]);
  const slices = items.slice(1, 4).map((i) => i.e[0]);
  assert.equal(slices.join(""), huge);
  for (const slice of slices) {
    assert.ok(utf8Length(slice) <= MAX_PART_BYTES);
    assert.ok(!/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(slice), "a surrogate pair was split");
  }
  // And read back whole.
  const result = read([...items, { seq: META_SEQ, done: true, next: 8 }], 5);
  assert.equal(result?.entries.length, 3);
  assert.ok(result?.entries[1] === huge, "the huge entry comes back whole");
  assert.deepEqual([result?.entries[0], result?.entries[2]], ["before", "after"]);
  assert.equal(result?.done, true);
});

Deno.test("reading items: from a cursor inside a chunk, up to a limit, done only at the end", () => {
  const items = [
    ...cutChunks("j", 0, entries(0, 300)),
    { seq: META_SEQ, done: true, next: 300 },
  ];
  assert.equal(lowestSeq(270), 15);
  const middle = read(items, 270, 5);
  assert.deepEqual(middle?.entries, entries(270, 275));
  assert.equal(middle?.next, 275);
  assert.equal(middle?.done, false);
  const end = read(items, 290);
  assert.deepEqual(end?.entries, entries(290, 300));
  assert.equal(end?.done, true);
  const past = read(items.slice(-1), 400); // a cursor past the end
  // A cursor past the end of an ended job gets the end back, less than the cursor.
  assert.deepEqual([past?.entries, past?.next, past?.done], [[], 300, true]);
});

Deno.test("a gap that may still fill stops the read; nothing is skipped", () => {
  const chunks = cutChunks("j", 0, entries(0, 600)); // seq 0, 256, 512
  const now = 1_000_000;
  // The writer had stored only up to 256 at its last lease: 256.. may still come.
  const live = {
    seq: META_SEQ,
    aliveAt: now,
    leaseMs: 10_000,
    storedTo: 256,
    storedAt: now - 5_000,
  };
  const result = read([chunks[0], chunks[2], live], 0, Infinity, now);
  assert.deepEqual(result?.entries, entries(0, 256));
  assert.deepEqual([result?.next, result?.missed, result?.done], [256, 0, false]);
  const atGap = read([chunks[2], live], 256, Infinity, now);
  assert.deepEqual([atGap?.entries, atGap?.next, atGap?.missed], [[], 256, 0]);
  // A cut entry whose last part is missing is not returned half.
  const parts = cutChunks("j", 0, ["x".repeat(MAX_PART_BYTES + 1)]);
  assert.deepEqual(read([parts[0]], 0)?.entries, []);
});

Deno.test("a gap below what the writer stored is missed, with N from the chunk keys", () => {
  const chunks = cutChunks("j", 0, entries(0, 600)); // seq 0, 256, 512
  const now = 1_000_000;
  const live = {
    seq: META_SEQ,
    aliveAt: now,
    leaseMs: 10_000,
    storedTo: 600,
    storedAt: now - 5_000,
  };
  const items = [chunks[0], chunks[2], live];
  const first = read(items, 0, Infinity, now);
  assert.deepEqual([first?.entries.length, first?.next, first?.missed], [256, 256, 0]);
  const second = read(items, 256, Infinity, now);
  assert.deepEqual(second?.entries, entries(512, 600));
  assert.deepEqual([second?.missed, second?.next, second?.done], [256, 600, false]);
  // Stored too recently for an eventually consistent read to be sure: wait.
  const fresh = { ...live, storedAt: now - 100 };
  assert.deepEqual(read([chunks[0], chunks[2], fresh], 256, Infinity, now)?.missed, 0);
  // A closed job whose last chunk expired: missed up to `next`, then done.
  const closed = { seq: META_SEQ, done: true, next: 600, doneAt: now - 60_000 };
  const tail = read([chunks[0], closed], 256, Infinity, now);
  assert.deepEqual([tail?.missed, tail?.next, tail?.done], [344, 600, true]);
});

Deno.test("a lease 3 × leaseMs old ends the read with status lost, after what is there", () => {
  const chunks = cutChunks("j", 0, entries(0, 300)); // seq 0, 256
  const now = 1_000_000;
  const dead = { seq: META_SEQ, aliveAt: now - 31_000, leaseMs: 10_000, storedTo: 0, storedAt: 0 };
  const result = read([chunks[0], chunks[1], dead], 10, Infinity, now);
  assert.deepEqual(result?.entries, entries(10, 300));
  assert.equal(result?.done, true);
  const meta = metaState(dead, now);
  assert.equal(meta.outcome?.status, "lost");
  assert.match(meta.outcome?.message ?? "", /stopped renewing its lease 31 s ago/);
  const alive = metaState({ ...dead, aliveAt: now - 29_000 }, now);
  assert.deepEqual([alive.done, alive.outcome], [false, undefined]);
});

Deno.test("reading items: no item at all is an unknown job; only the meta item is a job with no entries", () => {
  assert.equal(read([], 0), undefined);
  assert.deepEqual(read([{ seq: META_SEQ }], 0), { entries: [], next: 0, done: false, missed: 0 });
});
