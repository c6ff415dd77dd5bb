/**
 * Feature binning: each feature's values are mapped to at most `maxBins` value bins by cut points
 * (upper bounds, chosen from quantiles of a row sample), and NaN goes to bin 0 of its own.
 * Bin b ≥ 1 of feature f holds x with cuts[b−2] < x ≤ cuts[b−1]; values above the last cut fall in
 * the last bin. So "bin ≤ b" ⇔ "x ≤ cuts[b−1]", which lets trees split on binned data in training
 * and on raw floats at prediction with the same result.
 */
import type { Matrix } from '../matrix.js';
import { Rng } from '../random.js';

export interface BinCuts {
  /** Cut points of every feature, concatenated (float32 values, compared exactly with float32 data). */
  readonly cuts: Float32Array;
  /** Feature f's cuts are `cuts[cutStart[f] .. cutStart[f + 1])`; it has that many value bins. */
  readonly cutStart: Int32Array;
}

/** Rows looked at to choose cut points. */
export const BIN_SAMPLE_ROWS = 200_000;

/**
 * Cut points of one feature from its sorted non-missing values: every distinct value when there are
 * at most `maxBins`, otherwise boundaries that give bins of about equal counts (ties stay together).
 */
function featureCuts(sorted: Float32Array, maxBins: number, out: number[]): void {
  const m = sorted.length;
  if (m === 0) {
    out.push(0);
    return;
  }
  let distinct = 1;
  for (let i = 1; i < m; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= maxBins) {
    out.push(sorted[0]);
    for (let i = 1; i < m; i++) if (sorted[i] !== sorted[i - 1]) out.push(sorted[i]);
    return;
  }
  // Greedy equal-count bins over runs of equal values.
  let binsLeft = maxBins;
  let remaining = m;
  let target = remaining / binsLeft;
  let inBin = 0;
  let i = 0;
  while (i < m) {
    let j = i + 1;
    while (j < m && sorted[j] === sorted[i]) j++;
    const run = j - i;
    inBin += run;
    remaining -= run;
    if (j === m) {
      out.push(sorted[i]);
      break;
    }
    // Cut when the bin is full, or when every value left could have a bin of its own.
    if (inBin >= target || binsLeft - 1 >= m - j) {
      out.push(sorted[i]);
      binsLeft--;
      inBin = 0;
      target = remaining / Math.max(1, binsLeft);
    }
    i = j;
  }
}

/** Chooses cut points for every column of `X` from at most `BIN_SAMPLE_ROWS` rows (seeded sample). */
export function fitBinCuts(X: Matrix, maxBins: number, seed: number): BinCuts {
  const { rows, cols, data } = X;
  let sample: Uint32Array;
  if (rows <= BIN_SAMPLE_ROWS) {
    sample = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) sample[i] = i;
  } else {
    // Floyd-style partial shuffle then sort, so the sample reads rows in order.
    const rng = new Rng(seed);
    const all = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) all[i] = i;
    for (let i = 0; i < BIN_SAMPLE_ROWS; i++) {
      const j = i + rng.int(rows - i);
      const t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    sample = all.slice(0, BIN_SAMPLE_ROWS).sort();
  }
  const values = new Float32Array(sample.length);
  const cuts: number[] = [];
  const cutStart = new Int32Array(cols + 1);
  for (let f = 0; f < cols; f++) {
    let m = 0;
    for (let i = 0; i < sample.length; i++) {
      const v = data[sample[i] * cols + f];
      if (v === v) values[m++] = v;
    }
    const sorted = values.subarray(0, m).sort();
    cutStart[f] = cuts.length;
    featureCuts(sorted, maxBins, cuts);
  }
  cutStart[cols] = cuts.length;
  return { cuts: Float32Array.from(cuts), cutStart };
}

/** Bin of value `v` of a feature with cuts `cuts[lo0 .. hi0)`: 0 for NaN, else 1 + first cut ≥ v (clamped). */
export function binOf(cuts: Float32Array, lo0: number, hi0: number, v: number): number {
  if (v !== v) return 0;
  let lo = lo0;
  let hi = hi0 - 1; // clamp: values above the last cut go to the last bin
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid] >= v) hi = mid;
    else lo = mid + 1;
  }
  return lo - lo0 + 1;
}

/** The binned matrix, column-major: feature f of row r is at `f * rows + r`. */
export function binColumns(X: Matrix, c: BinCuts): Uint8Array {
  const { rows, cols, data } = X;
  const out = new Uint8Array(rows * cols);
  const { cuts, cutStart } = c;
  for (let f = 0; f < cols; f++) {
    const lo = cutStart[f];
    const hi = cutStart[f + 1];
    const base = f * rows;
    for (let r = 0, p = f; r < rows; r++, p += cols) out[base + r] = binOf(cuts, lo, hi, data[p]);
  }
  return out;
}
