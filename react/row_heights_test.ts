import assert from "node:assert/strict";
import fc from "fast-check";
import { createRowHeights } from "./row_heights.ts";

/** The same answers, the slow way: every row's height in a plain array. */
function naive(count: number, measured: Map<number, number>) {
  const known = [...measured].filter(([i, h]) => i < count && h > 0);
  const each = known.length === 0 ? 20 : known.reduce((a, [, h]) => a + h, 0) / known.length;
  const height = (i: number) => measured.get(i) || each;
  const offset = (index: number) => {
    let y = 0;
    for (let i = 0; i < Math.max(0, Math.min(index, count)); i++) y += height(i);
    return y;
  };
  const indexAt = (y: number) => {
    let i = 0;
    while (i < count - 1 && offset(i + 1) <= y) i++;
    return i;
  };
  return { offset, indexAt, total: () => offset(count) };
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;

Deno.test("row heights: offsets, totals and the row at an offset match a plain sum", () => {
  const step = fc.oneof(
    fc.record({ setCount: fc.integer({ min: 0, max: 300 }) }),
    fc.record({
      measure: fc.integer({ min: 0, max: 320 }),
      height: fc.integer({ min: 0, max: 90 }),
    }),
    fc.record({ shrink: fc.integer({ min: 1, max: 3 }) }),
    fc.constant({ reset: true }),
  );
  fc.assert(
    fc.property(
      fc.array(step, { maxLength: 40 }),
      fc.integer({ min: -50, max: 20_000 }),
      (steps, y) => {
        const rows = createRowHeights();
        let count = 0;
        let measured = new Map<number, number>();
        for (const s of steps) {
          if ("setCount" in s || "shrink" in s) {
            const next = "setCount" in s ? s.setCount : Math.max(0, count - s.shrink);
            rows.setCount(next);
            for (const i of measured.keys()) if (i >= next) measured.delete(i);
            count = next;
          } else if ("measure" in s) {
            // Mostly rows near the end, where counts shrink and grow; some past it.
            const index = s.measure % (count + 2);
            const changed = rows.measure(index, s.height);
            const inside = index < count;
            assert.equal(changed, inside && (measured.get(index) ?? 0) !== s.height);
            if (inside) measured.set(index, s.height);
          } else {
            rows.reset();
            measured = new Map();
          }
        }
        const model = naive(count, measured);
        assert.ok(close(rows.total(), model.total()), `total ${rows.total()} vs ${model.total()}`);
        for (const i of [0, 1, count >> 1, count - 1, count, count + 5]) {
          assert.ok(close(rows.offset(i), model.offset(i)), `offset(${i})`);
        }
        assert.equal(rows.indexAt(y), count === 0 ? 0 : model.indexAt(y), `indexAt(${y})`);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("row heights: rows past a smaller count are forgotten, also when it grows again", () => {
  const rows = createRowHeights();
  rows.setCount(3);
  rows.measure(2, 50);
  // Rows not measured count as the mean of those measured.
  assert.equal(rows.total(), 150);
  rows.setCount(2);
  rows.setCount(3);
  // Nothing is measured any more, so every row counts as the default 20 px.
  assert.equal(rows.total(), 60);
  assert.equal(rows.indexAt(45), 2);
});
