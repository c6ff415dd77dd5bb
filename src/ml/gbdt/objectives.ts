/**
 * Losses on raw margins: binary logistic and multiclass softmax. Each gives the starting margins,
 * the per-row gradient pairs (scaled by the sample weight) and the weighted mean loss.
 * Margins are `n × K` row-major (K = 1 for binary); gradient pairs are interleaved per class.
 */
import type { GbdtObjective } from './options.js';

const MIN_HESS = 1e-16;

// exp for the gradient loops: 2^(k/32) from two small tables times a degree-5 polynomial on
// |r| < ln2/32; relative error below 1e-12 (far under the float32 the gradients are stored in) and
// about twice as fast as Math.exp in V8. Arguments are clamped to [−80, 80].
const EXP_HI = Float64Array.from({ length: 512 }, (_, j) => Math.pow(2, j - 256));
const EXP_LO = Float64Array.from({ length: 32 }, (_, j) => Math.pow(2, j / 32));
const EXP_SCALE = 32 / Math.LN2;
const EXP_STEP = Math.LN2 / 32;

export function fastExp(x: number): number {
  if (!(x > -80)) x = -80;
  else if (x > 80) x = 80;
  const k = Math.floor(x * EXP_SCALE) + 8192;
  const r = x - (k - 8192) * EXP_STEP;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120)))));
  return EXP_HI[k >> 5] * EXP_LO[k & 31] * p;
}
const EPS = 1e-15;

/** Starting margins: log-odds of the weighted positive rate, or log class priors (softmax-shifted). */
export function baseMargins(
  objective: GbdtObjective,
  K: number,
  y: ArrayLike<number>,
  w: Float32Array,
): Float64Array {
  const sums = new Float64Array(objective === 'binary' ? 2 : K);
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    sums[y[i]] += w[i];
    total += w[i];
  }
  if (objective === 'binary') {
    const p = Math.min(1 - 1e-6, Math.max(1e-6, sums[1] / total));
    return Float64Array.of(Math.log(p / (1 - p)));
  }
  const out = new Float64Array(K);
  let mean = 0;
  for (let k = 0; k < K; k++) {
    out[k] = Math.log(Math.max(sums[k] / total, 1e-6));
    mean += out[k] / K;
  }
  for (let k = 0; k < K; k++) out[k] -= mean;
  return out;
}

/** Logistic gradient pairs: g = (p − y)·w, h = p(1 − p)·w. */
export function binaryGradients(
  margin: Float64Array,
  y: ArrayLike<number>,
  w: Float32Array,
  gh: Float32Array,
): void {
  for (let i = 0; i < margin.length; i++) {
    const p = 1 / (1 + fastExp(-margin[i]));
    const wi = w[i];
    gh[2 * i] = (p - y[i]) * wi;
    gh[2 * i + 1] = Math.max(p * (1 - p), MIN_HESS) * wi;
  }
}

/**
 * Softmax gradient pairs for every class: g = (p_k − [y = k])·w and the diagonal hessian scaled by
 * K/(K − 1), Friedman's multiclass Newton step (as LightGBM does). `gh[k]` receives class k's pairs.
 */
export function softmaxGradients(
  margin: Float64Array,
  K: number,
  y: ArrayLike<number>,
  w: Float32Array,
  gh: Float32Array[],
  prob: Float64Array,
): void {
  const n = y.length;
  const factor = K / (K - 1);
  for (let i = 0; i < n; i++) {
    const o = i * K;
    let mx = -Infinity;
    for (let k = 0; k < K; k++) if (margin[o + k] > mx) mx = margin[o + k];
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = fastExp(margin[o + k] - mx);
      prob[k] = e;
      sum += e;
    }
    const wi = w[i];
    const yi = y[i];
    for (let k = 0; k < K; k++) {
      const p = prob[k] / sum;
      const g = gh[k];
      g[2 * i] = (p - (yi === k ? 1 : 0)) * wi;
      g[2 * i + 1] = Math.max(factor * p * (1 - p), MIN_HESS) * wi;
    }
  }
}

/** Weighted mean loss of margins (binary log loss or multiclass log loss), probabilities clipped at 1e-15. */
export function meanLoss(
  objective: GbdtObjective,
  K: number,
  margin: Float64Array,
  y: ArrayLike<number>,
  w: Float32Array | undefined,
): number {
  let sum = 0;
  let wsum = 0;
  const n = y.length;
  for (let i = 0; i < n; i++) {
    let p: number;
    if (objective === 'binary') {
      const q = 1 / (1 + Math.exp(-margin[i]));
      p = y[i] === 1 ? q : 1 - q;
    } else {
      const o = i * K;
      let mx = -Infinity;
      for (let k = 0; k < K; k++) if (margin[o + k] > mx) mx = margin[o + k];
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.exp(margin[o + k] - mx);
      p = Math.exp(margin[o + y[i]] - mx) / s;
    }
    const wi = w ? w[i] : 1;
    sum -= wi * Math.log(Math.min(1 - EPS, Math.max(EPS, p)));
    wsum += wi;
  }
  return sum / wsum;
}

/** Margins → probabilities: sigmoid (K = 1) or row-wise softmax, into a Float32Array. */
export function marginsToProba(margin: Float64Array, K: number): Float32Array {
  const out = new Float32Array(margin.length);
  if (K === 1) {
    for (let i = 0; i < margin.length; i++) out[i] = 1 / (1 + Math.exp(-margin[i]));
    return out;
  }
  for (let o = 0; o < margin.length; o += K) {
    let mx = -Infinity;
    for (let k = 0; k < K; k++) if (margin[o + k] > mx) mx = margin[o + k];
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(margin[o + k] - mx);
    for (let k = 0; k < K; k++) out[o + k] = Math.exp(margin[o + k] - mx) / s;
  }
  return out;
}
