/**
 * Row heights for the windowed panel: measured rows keep their height, rows
 * not yet measured count as the mean of the measured ones. Offsets and the row
 * at a given offset take O(log n), so 100,000 rows cost nothing per frame.
 */

/** The height used before any row is measured, in px. */
const DEFAULT_ROW_PX = 20;

/** Row heights, measured or estimated. */
export interface RowHeights {
  /** Sets how many rows there are (rows past the new count are forgotten). */
  setCount(count: number): void;
  /** Forgets every measurement (the width changed, so heights may have). */
  reset(): void;
  /** Records row `index`'s height (0 forgets it; rows past the count are ignored); true when it changed. */
  measure(index: number, height: number): boolean;
  /** The top of row `index` (the sum of the heights before it). */
  offset(index: number): number;
  /** The height of every row together. */
  total(): number;
  /** The row at vertical offset `y` (clamped to the rows there are). */
  indexAt(y: number): number;
}

/** Creates an empty set of row heights. (A closure, not a class: its state minifies.) */
export function createRowHeights(): RowHeights {
  let count = 0;
  let capacity = 0;
  // Fenwick trees (1-based): sums of measured heights, and counts of measured rows.
  let sum = new Float64Array(1);
  let measuredCount = new Float64Array(1);
  // Each row's measured height, or 0 when not measured.
  let heights = new Float64Array(0);
  let totalMeasured = 0;
  let totalCount = 0;

  /** The height of a row not measured yet, in px. */
  const estimate = () => totalCount === 0 ? DEFAULT_ROW_PX : totalMeasured / totalCount;

  /**
   * Makes room for `size` rows (a power of two), keeping the measured
   * heights. Tree node `i` covers rows `(i - lowbit(i), i]`, whatever the
   * size, so the old nodes are copied as they are; of the new ones, only
   * the powers of two cover old rows (all of them), and the new rows are not
   * measured. A copy, not a rebuild: this runs inside a frame when the
   * count doubles.
   */
  const grow = (size: number) => {
    heights = resized(heights, size);
    sum = resized(sum, size + 1);
    measuredCount = resized(measuredCount, size + 1);
    for (let node = Math.max(1, capacity * 2); node <= size; node *= 2) {
      sum[node] = totalMeasured;
      measuredCount[node] = totalCount;
    }
    capacity = size;
  };

  const measure = (index: number, height: number): boolean => {
    if (!(index < count && height >= 0)) return false;
    const old = heights[index];
    if (Math.abs(old - height) < 0.5) return false;
    heights[index] = height;
    const countDelta = (height > 0 ? 1 : 0) - (old > 0 ? 1 : 0);
    totalMeasured += height - old;
    totalCount += countDelta;
    for (let i = index + 1; i <= capacity; i += i & -i) {
      sum[i] += height - old;
      measuredCount[i] += countDelta;
    }
    return true;
  };

  const offset = (index: number): number => {
    const end = Math.max(0, Math.min(index, count));
    let total = 0;
    let measured = 0;
    for (let i = end; i > 0; i -= i & -i) {
      total += sum[i];
      measured += measuredCount[i];
    }
    return total + (end - measured) * estimate();
  };

  return {
    setCount(next) {
      if (next < count) {
        for (let i = next; i < count; i++) measure(i, 0);
      } else if (next > capacity) {
        // A power of two, where indexAt's steps start.
        let size = capacity || 64;
        while (size < next) size *= 2;
        grow(size);
      }
      count = next;
    },
    reset() {
      heights = new Float64Array(capacity);
      sum = new Float64Array(capacity + 1);
      measuredCount = new Float64Array(capacity + 1);
      totalMeasured = 0;
      totalCount = 0;
    },
    measure,
    offset,
    total: () => offset(count),
    indexAt(y) {
      if (count === 0) return 0;
      const each = estimate();
      let pos = 0;
      let acc = 0;
      for (let step = capacity; step > 0; step >>= 1) {
        const next = pos + step;
        if (next > capacity) continue;
        const span = sum[next] + (step - measuredCount[next]) * each;
        if (acc + span <= y) {
          pos = next;
          acc += span;
        }
      }
      return Math.min(pos, count - 1);
    },
  };
}

/** A copy of `values` with room for `size` of them (the rest zeros). */
function resized(values: Float64Array, size: number): Float64Array<ArrayBuffer> {
  const copy = new Float64Array(size);
  copy.set(values);
  return copy;
}
