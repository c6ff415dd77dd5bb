/**
 * Feature binning for tree growing: per feature, thresholds at midpoints between neighbouring
 * distinct values — all of them when there are at most `maxBins` distinct values, otherwise at
 * about equal-count quantiles — and every value's bin code (the number of thresholds below it).
 */
import type { Matrix } from './matrix.js';

export interface BinnedFeatures {
  /** Column-major bin codes: feature f of row i at `f * rows + i`. */
  codes: Uint8Array;
  /** Ascending split thresholds per feature (bins = thresholds + 1). */
  thresholds: Float64Array[];
}

/** First index k with `thr[k] >= x` (thr.length when none). */
export function binOf(thr: Float64Array, x: number): number {
  let lo = 0;
  let hi = thr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thr[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function featureThresholds(values: Float32Array, maxBins: number): Float64Array {
  const sorted = Float32Array.from(values).sort();
  const n = sorted.length;
  const distinct: number[] = [];
  const ends: number[] = []; // index one past the last occurrence of each distinct value
  for (let i = 0; i < n; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) {
      if (i > 0) ends.push(i);
      distinct.push(sorted[i]);
    }
  }
  ends.push(n);
  const cuts: number[] = [];
  if (distinct.length <= maxBins) {
    for (let k = 0; k + 1 < distinct.length; k++) cuts.push(k);
  } else {
    let next = 1;
    for (let k = 0; k + 1 < distinct.length && next < maxBins; k++) {
      if (ends[k] >= (next * n) / maxBins) {
        cuts.push(k);
        while (next < maxBins && ends[k] >= (next * n) / maxBins) next++;
      }
    }
  }
  return Float64Array.from(cuts, (k) => (distinct[k] + distinct[k + 1]) / 2);
}

export function binFeatures(X: Matrix, maxBins: number): BinnedFeatures {
  const n = X.rows;
  const F = X.cols;
  const codes = new Uint8Array(n * F);
  const thresholds: Float64Array[] = [];
  const col = new Float32Array(n);
  for (let f = 0; f < F; f++) {
    for (let i = 0; i < n; i++) col[i] = X.data[i * F + f];
    const thr = featureThresholds(col, maxBins);
    thresholds.push(thr);
    const out = codes.subarray(f * n, (f + 1) * n);
    for (let i = 0; i < n; i++) out[i] = binOf(thr, col[i]);
  }
  return { codes, thresholds };
}
