import { quickselect } from 'd3-array';

// Concentration and distribution formulas shared by the weekly rollups and window reports.

/**
 * Gini coefficient of non-negative values (0 = perfectly even, → 1 = one holds everything).
 * Sorted-values form of the mean absolute difference (Damgaard & Weiner 2000;
 * https://en.wikipedia.org/wiki/Gini_coefficient#Alternative_expressions):
 *   G = (2 · Σ_i i·x_(i)) / (n · Σ x) − (n + 1) / n, with x sorted ascending, i = 1..n.
 * Null when there are no values or they sum to zero (nothing to share).
 */
export function gini(values: readonly number[]): number | null {
  const n = values.length;
  if (n === 0) return null;
  const xs = sortedCopy(values);
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    sum += x;
    weighted += (i + 1) * x;
  }
  if (sum === 0) return null;
  return (2 * weighted) / (n * sum) - (n + 1) / n;
}

// Rollups sort and select in many small lists; one reused typed buffer does it numerically
// without a comparator call per pair and without a new array each time.
let scratch = new Float64Array(1024);

/** The values in the reused buffer, valid until the next call. */
function scratchCopy(values: ArrayLike<number>): Float64Array {
  if (values.length > scratch.length) scratch = new Float64Array(Math.max(values.length, scratch.length * 2));
  const xs = scratch.subarray(0, values.length);
  for (let i = 0; i < values.length; i++) xs[i] = values[i]!;
  return xs;
}

/** Values sorted ascending, in a buffer that is only valid until the next call. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return scratchCopy(values).sort();
}

/**
 * Sharing index (DESIGN.md "Signals"): 1 − Gini of reviews received per author, scaled by
 * active ÷ available reviewers. 1 = every available person reviews and every author is reviewed
 * evenly; 0 = one person reviews everything. Null when nobody was reviewed or available.
 */
export function sharingIndex(receivedPerAuthor: readonly number[], activeReviewers: number, availableReviewers: number): number | null {
  if (availableReviewers <= 0) return null;
  const g = gini(receivedPerAuthor);
  if (g === null) return null;
  return (1 - g) * Math.min(1, activeReviewers / availableReviewers);
}

/**
 * Quantiles of unsorted values with linear interpolation between ranks (numpy's default,
 * "type 7"), for `qs` in ascending order. A window has tens of thousands of review clocks:
 * selecting the ranks (Floyd–Rivest, d3-array's quickselect) costs a pass or two each, a sort
 * several.
 */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): (number | null)[] {
  const n = values.length;
  if (n === 0) return qs.map(() => null);
  const xs = scratchCopy(values);
  let left = 0;
  return qs.map((q) => {
    const pos = (n - 1) * q;
    const lo = Math.floor(pos);
    // Ranks below `left` were put below it by the last selection, so this one starts there.
    quickselect(xs, lo, left);
    left = lo;
    const a = xs[lo]!;
    if (pos === lo) return a;
    let b = Infinity; // the next rank: the smallest of those above
    for (let i = lo + 1; i < n; i++) if (xs[i]! < b) b = xs[i]!;
    return a + (b - a) * (pos - lo);
  });
}

export function round(x: number | null, digits = 2): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
