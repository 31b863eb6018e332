import assert from "node:assert/strict";
import { cutChunks, utf8Length } from "./chunks.ts";
import { MAX_CHUNK_BYTES, MAX_CHUNK_ENTRIES, MAX_PART_BYTES, META_SEQ } from "./key_schema.ts";
import { LogReader, lowestSeq } from "./log_reader.ts";

const entries = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `{"n":${from + i}}`);

function read(items: object[], cursor: number, limit = Infinity) {
  const reader = new LogReader(cursor, limit);
  reader.add(items as Record<string, unknown>[]);
  return reader.result();
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

Deno.test("LogReader: from a cursor inside a chunk, up to a limit, done only at the end", () => {
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
  const past = read(items.slice(-1), 400); // a cursor past the end reads the end
  assert.deepEqual([past?.entries, past?.next, past?.done], [[], 300, true]);
});

Deno.test("LogReader: stops at a gap instead of skipping entries not visible yet", () => {
  const chunks = cutChunks("j", 0, entries(0, 600)); // seq 0, 256, 512
  const missingMiddle = [chunks[0], chunks[2], { seq: META_SEQ, done: true, next: 600 }];
  const result = read(missingMiddle, 0);
  assert.deepEqual(result?.entries, entries(0, 256));
  assert.equal(result?.next, 256);
  assert.equal(result?.done, false);
  // The chunk holding the cursor is missing: nothing, not the later chunk.
  const fromGap = read([chunks[2]], 300);
  assert.deepEqual([fromGap?.entries, fromGap?.next], [[], 300]);
  // A cut entry whose last part is missing is not returned half.
  const parts = cutChunks("j", 0, ["x".repeat(MAX_PART_BYTES + 1)]);
  assert.deepEqual(read([parts[0]], 0)?.entries, []);
});

Deno.test("LogReader: no item at all is an unknown job; only the meta item is a job with no entries", () => {
  assert.equal(read([], 0), undefined);
  assert.deepEqual(read([{ seq: META_SEQ }], 0), { entries: [], next: 0, done: false, missed: 0 });
});

Deno.test("LogReader: a cursor past a finished job's end reads that end (the stream answers 204)", () => {
  const items = [...cutChunks("j", 0, entries(0, 3)), { seq: META_SEQ, done: true, next: 3 }];
  assert.deepEqual(read(items, 4), { entries: [], next: 3, done: true, missed: 0 });
  assert.deepEqual(read(items, 3), { entries: [], next: 3, done: true, missed: 0 });
});
