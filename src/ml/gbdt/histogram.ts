/**
 * Gradient/hessian histograms per (feature, bin) and the best split they allow.
 * A histogram is a Float64Array of interleaved (gradient, hessian) sums: feature f's bin b sits at
 * `2 * (binStart[f] + b)`, bin 0 being the missing-value bin.
 */

/** The best split of a node found so far (one object per leaf, reused). */
import type { SparseRows } from './sparse-rows.js';

export interface SplitInfo {
  gain: number;
  feature: number;
  /** Value bins 1..bin go left. */
  bin: number;
  /** Where rows with a missing value go. */
  defaultLeft: boolean;
  /** Gradient and hessian sums of the left child. */
  gl: number;
  hl: number;
}

export function emptySplit(): SplitInfo {
  return { gain: 0, feature: -1, bin: 0, defaultLeft: false, gl: 0, hl: 0 };
}

/**
 * The histogram of rows `idx[start..end)` into `hist` (which the caller zeroed), from the row-wise
 * index `sp`, for gradient pairs `gh` (interleaved per row) and the node's totals G, H. Only the
 * `nFeat` features listed in `features` get their most frequent bin completed.
 */
export function buildHistogram(
  sp: SparseRows,
  binStart: Int32Array,
  features: Int32Array,
  nFeat: number,
  idx: Uint32Array,
  start: number,
  end: number,
  gh: Float32Array,
  G: number,
  H: number,
  hist: Float64Array,
): void {
  if (sp.slots instanceof Uint16Array) accumulate16(sp.rowPtr, sp.slots, idx, start, end, gh, hist);
  else accumulate32(sp.rowPtr, sp.slots, idx, start, end, gh, hist);
  const mf = sp.mostFrequent;
  for (let k = 0; k < nFeat; k++) {
    const f = features[k];
    let g = G;
    let h = H;
    const end2 = binStart[f + 1] << 1;
    for (let i = binStart[f] << 1; i < end2; i += 2) {
      g -= hist[i];
      h -= hist[i + 1];
    }
    hist[mf[f] << 1] = g;
    hist[(mf[f] << 1) | 1] = h;
  }
}

// Two copies of the hot loop, one per index width, so each stays monomorphic.
function accumulate16(
  rowPtr: Uint32Array,
  slots: Uint16Array,
  idx: Uint32Array,
  start: number,
  end: number,
  gh: Float32Array,
  hist: Float64Array,
): void {
  for (let i = start; i < end; i++) {
    const r = idx[i];
    const g = gh[r << 1];
    const h = gh[(r << 1) | 1];
    const e1 = rowPtr[r + 1];
    for (let e = rowPtr[r]; e < e1; e++) {
      const a = slots[e] << 1;
      hist[a] += g;
      hist[a | 1] += h;
    }
  }
}

function accumulate32(
  rowPtr: Uint32Array,
  slots: Uint32Array,
  idx: Uint32Array,
  start: number,
  end: number,
  gh: Float32Array,
  hist: Float64Array,
): void {
  for (let i = start; i < end; i++) {
    const r = idx[i];
    const g = gh[r << 1];
    const h = gh[(r << 1) | 1];
    const e1 = rowPtr[r + 1];
    for (let e = rowPtr[r]; e < e1; e++) {
      const a = slots[e] * 2;
      hist[a] += g;
      hist[a + 1] += h;
    }
  }
}

/** `big[i] -= small[i]` over the bins of the listed features (the sibling from parent − child). */
export function subtractHistogram(
  big: Float64Array,
  small: Float64Array,
  binStart: Int32Array,
  features: Int32Array,
  nFeat: number,
): void {
  for (let k = 0; k < nFeat; k++) {
    const f = features[k];
    const end = binStart[f + 1] << 1;
    for (let i = binStart[f] << 1; i < end; i++) big[i] -= small[i];
  }
}

/**
 * Finds the split of largest gain `GL²/(HL+λ) + GR²/(HR+λ) − G²/(H+λ)` (XGBoost's loss change)
 * with both children's hessian sums ≥ `minChildWeight`, trying missing values on each side.
 * Writes it to `out` (gain 0, feature −1 when no split beats `gamma`).
 */
export function findBestSplit(
  hist: Float64Array,
  binStart: Int32Array,
  features: Int32Array,
  nFeat: number,
  G: number,
  H: number,
  lambda: number,
  minChildWeight: number,
  gamma: number,
  out: SplitInfo,
): void {
  const parent = (G * G) / (H + lambda);
  let best = Math.max(gamma, 1e-6);
  out.gain = 0;
  out.feature = -1;
  for (let k = 0; k < nFeat; k++) {
    const f = features[k];
    const o = binStart[f] << 1;
    const nb = binStart[f + 1] - binStart[f]; // bins including the missing bin 0
    const gm = hist[o];
    const hm = hist[o + 1];
    const hasMissing = hm > 0;
    let cg = 0;
    let ch = 0;
    for (let b = 1; b < nb; b++) {
      cg += hist[o + 2 * b];
      ch += hist[o + 2 * b + 1];
      const last = b === nb - 1;
      if (!last || hasMissing) {
        // Missing values go right.
        const hr = H - ch;
        if (ch >= minChildWeight && hr >= minChildWeight) {
          const gr = G - cg;
          const gain = (cg * cg) / (ch + lambda) + (gr * gr) / (hr + lambda) - parent;
          if (gain > best) {
            best = gain;
            out.gain = gain;
            out.feature = f;
            out.bin = b;
            out.defaultLeft = !hasMissing && ch >= hr;
            out.gl = cg;
            out.hl = ch;
          }
        }
      }
      if (hasMissing && !last) {
        // Missing values go left.
        const gl = cg + gm;
        const hl = ch + hm;
        const hr = H - hl;
        if (hl >= minChildWeight && hr >= minChildWeight) {
          const gr = G - gl;
          const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
          if (gain > best) {
            best = gain;
            out.gain = gain;
            out.feature = f;
            out.bin = b;
            out.defaultLeft = true;
            out.gl = gl;
            out.hl = hl;
          }
        }
      }
    }
  }
}
