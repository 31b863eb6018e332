/**
 * Row heights for the windowed panel: measured rows keep their height, rows
 * not yet measured count as the mean of the measured ones. Offsets and the row
 * at a given offset take O(log n), so 100,000 rows cost nothing per frame.
 */

/** The height used before any row is measured, in px. */
const DEFAULT_ROW_PX = 20;

/** Row heights, measured or estimated. */
export class RowHeights {
  #count = 0;
  #capacity = 0;
  /** Fenwick trees (1-based): sums of measured heights, and counts of measured rows. */
  #sum = new Float64Array(1);
  #measuredCount = new Float64Array(1);
  /** Each row's measured height, or 0 when not measured. */
  #heights = new Float64Array(0);
  #totalMeasured = 0;
  #totalCount = 0;

  /** The height of a row not measured yet, in px. */
  get estimate(): number {
    return this.#totalCount === 0 ? DEFAULT_ROW_PX : this.#totalMeasured / this.#totalCount;
  }

  /** Sets how many rows there are (rows past the new count are forgotten). */
  setCount(count: number): void {
    if (count < this.#count) {
      for (let i = count; i < this.#count; i++) this.measure(i, 0);
    } else if (count > this.#capacity) {
      this.#grow(Math.max(count, this.#capacity * 2, 64));
    }
    this.#count = count;
  }

  /** Forgets every measurement (the width changed, so heights may have). */
  reset(): void {
    this.#heights = new Float64Array(0);
    this.#grow(this.#capacity);
  }

  /** Records row `index`'s height (0 forgets it; rows past the count are ignored); true when it changed. */
  measure(index: number, height: number): boolean {
    if (!(index < this.#count && height >= 0)) return false;
    const old = this.#heights[index];
    if (Math.abs(old - height) < 0.5) return false;
    this.#heights[index] = height;
    const countDelta = (height > 0 ? 1 : 0) - (old > 0 ? 1 : 0);
    this.#totalMeasured += height - old;
    this.#totalCount += countDelta;
    for (let i = index + 1; i <= this.#capacity; i += i & -i) {
      this.#sum[i] += height - old;
      this.#measuredCount[i] += countDelta;
    }
    return true;
  }

  /** The top of row `index` (the sum of the heights before it). */
  offset(index: number): number {
    const end = Math.max(0, Math.min(index, this.#count));
    let sum = 0;
    let measured = 0;
    for (let i = end; i > 0; i -= i & -i) {
      sum += this.#sum[i];
      measured += this.#measuredCount[i];
    }
    return sum + (end - measured) * this.estimate;
  }

  /** The height of every row together. */
  total(): number {
    return this.offset(this.#count);
  }

  /** The row at vertical offset `y` (clamped to the rows there are). */
  indexAt(y: number): number {
    if (this.#count === 0) return 0;
    const estimate = this.estimate;
    let pos = 0;
    let acc = 0;
    let step = 1;
    while (step * 2 <= this.#capacity) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next > this.#capacity) continue;
      const span = this.#sum[next] + (step - this.#measuredCount[next]) * estimate;
      if (acc + span <= y) {
        pos = next;
        acc += span;
      }
    }
    return Math.min(pos, this.#count - 1);
  }

  /** Makes room for `capacity` rows, keeping the measured heights. */
  #grow(capacity: number): void {
    const old = this.#heights;
    this.#heights = new Float64Array(capacity);
    this.#sum = new Float64Array(capacity + 1);
    this.#measuredCount = new Float64Array(capacity + 1);
    this.#capacity = capacity;
    this.#totalMeasured = this.#totalCount = 0;
    // O(n log n), and only when the count doubles.
    old.forEach((height, index) => this.measure(index, height));
  }
}
