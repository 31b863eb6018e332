import assert from "node:assert/strict";
import { BLOCK_ENTRIES, EntryRing } from "./entry_ring.ts";

const B = BLOCK_ENTRIES;
/** Entry `id`'s JSON; lengths vary so wrong offsets show as wrong text. */
const entry = (id: number) => JSON.stringify({ id, pad: "x".repeat(id % 7) });
const ids = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => entry(from + i));

function filled(capacity: number, count: number): EntryRing {
  const ring = new EntryRing(capacity);
  for (let id = 0; id < count; id++) ring.push(entry(id));
  return ring;
}

Deno.test("a block being filled reads back every entry as pushed", () => {
  const ring = filled(1000, 5);
  assert.deepEqual(ring.read(0, 5), ids(0, 5));
  assert.deepEqual(ring.read(2, 4), ids(2, 4));
  assert.equal(ring.next, 5);
  assert.equal(ring.oldest, 0);
  assert.equal(ring.size, 5);
});

Deno.test("an empty ring reads nothing", () => {
  const ring = new EntryRing(10);
  assert.deepEqual(ring.read(0, 10), []);
  assert.equal(ring.next, 0);
  assert.equal(ring.size, 0);
});

Deno.test("a full block is sealed and its entries read back exactly, one by one or all", () => {
  const ring = filled(10 * B, B);
  assert.deepEqual(ring.read(0, B), ids(0, B));
  for (const id of [0, 1, B / 2, B - 1]) assert.deepEqual(ring.read(id, id + 1), [entry(id)]);
  ring.push(entry(B));
  assert.deepEqual(ring.read(B - 1, B + 1), [entry(B - 1), entry(B)]);
});

Deno.test("reads across block borders, sealed to sealed and sealed to the tail", () => {
  const ring = filled(10 * B, 3 * B + 5);
  assert.deepEqual(ring.read(B - 2, B + 2), ids(B - 2, B + 2));
  assert.deepEqual(ring.read(B - 1, 3 * B + 2), ids(B - 1, 3 * B + 2));
  assert.deepEqual(ring.read(0, 3 * B + 5), ids(0, 3 * B + 5));
  assert.deepEqual(ring.read(3 * B - 1, Infinity), ids(3 * B - 1, 3 * B + 5));
});

Deno.test("past the capacity the oldest are out, even in a block kept partly", () => {
  const capacity = 2 * B + 10;
  const ring = filled(capacity, 5 * B + 3);
  const oldest = 5 * B + 3 - capacity;
  assert.equal(ring.oldest, oldest);
  assert.equal(ring.size, capacity);
  // the block holding `oldest` is kept, but its entries before `oldest` are never returned
  assert.ok(oldest % B !== 0);
  assert.deepEqual(ring.read(0, oldest + 3), ids(oldest, oldest + 3));
  assert.deepEqual(ring.read(oldest - 1, Infinity), ids(oldest, 5 * B + 3));
});

Deno.test("wrapping many times keeps exactly the last `capacity` entries", () => {
  for (const capacity of [1, 2, 3, B - 1, B, B + 1, 3 * B]) {
    const ring = new EntryRing(capacity);
    for (let id = 0; id < 4 * B + 17; id++) {
      ring.push(entry(id));
      const oldest = Math.max(0, id + 1 - capacity);
      assert.equal(ring.oldest, oldest, `capacity ${capacity}, after id ${id}`);
      if (id % 13 === 0 || id % B === 0) {
        assert.deepEqual(ring.read(0, id + 1), ids(oldest, id + 1), `capacity ${capacity}`);
      }
    }
  }
});

Deno.test("entries of any text, empty and non-ASCII included, read back exactly", () => {
  const texts = ["", "é", "日本語", "😀", '{"a":1}', "\n", ""];
  const ring = new EntryRing(10 * B);
  const pushed: string[] = [];
  for (let i = 0; i < 2 * B + 3; i++) {
    const text = texts[i % texts.length] + i;
    pushed.push(text);
    ring.push(text);
  }
  assert.deepEqual(ring.read(0, Infinity), pushed);
});

Deno.test("a bad capacity is a TypeError naming it", () => {
  assert.throws(() => new EntryRing(0), { name: "TypeError", message: /capacity/ });
  assert.throws(() => new EntryRing(1.5), { name: "TypeError", message: /capacity/ });
});

Deno.test("blocks past 64 KiB of text (4-byte offsets) read back exactly", () => {
  const ring = new EntryRing(10 * B);
  const pushed: string[] = [];
  for (let i = 0; i < 2 * B + 1; i++) {
    const text = String(i).padEnd(1000 + i, "y");
    pushed.push(text);
    ring.push(text);
  }
  assert.deepEqual(ring.read(0, Infinity), pushed);
  assert.deepEqual(ring.read(B - 1, B + 2), pushed.slice(B - 1, B + 2));
});
