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
  // Few distinct values: a threshold between each neighbouring pair (exact CART).
  const few: number[] = [];
  for (let i = 1; i < n && few.length < maxBins; i++)
    if (sorted[i] !== sorted[i - 1]) few.push((sorted[i - 1] + sorted[i]) / 2);
  if (few.length < maxBins) return Float64Array.from(few);
  // Many: cut after the value at each 1/maxBins quantile, between it and the next larger value.
  const cuts: number[] = [];
  for (let q = 1; q < maxBins; q++) {
    const pos = Math.floor((q * n) / maxBins);
    if (pos <= 0) continue;
    const a = sorted[pos - 1];
    let j = pos;
    while (j < n && sorted[j] === a) j++;
    if (j >= n) break;
    const t = (a + sorted[j]) / 2;
    if (cuts.length === 0 || t > cuts[cuts.length - 1]) cuts.push(t);
  }
  return Float64Array.from(cuts);
}

export function binFeatures(X: Matrix, maxBins: number): BinnedFeatures {
  const n = X.rows;
  const F = X.cols;
  // One transposing pass, so each feature is read contiguously afterwards.
  const byColumn = new Float32Array(n * F);
  for (let i = 0; i < n; i++) for (let f = 0; f < F; f++) byColumn[f * n + i] = X.data[i * F + f];
  const codes = new Uint8Array(n * F);
  const thresholds: Float64Array[] = [];
  for (let f = 0; f < F; f++) {
    const col = byColumn.subarray(f * n, (f + 1) * n);
    const thr = featureThresholds(col, maxBins);
    thresholds.push(thr);
    const out = codes.subarray(f * n, (f + 1) * n);
    for (let i = 0; i < n; i++) out[i] = binOf(thr, col[i]);
  }
  return { codes, thresholds };
}
