/**
 * Clustering quality: silhouette (exact, on distinct rows weighted by multiplicity, or on a
 * seeded sample above a size limit), Davies–Bouldin, Calinski–Harabasz, inertia, and the
 * adjusted Rand index between two labelings.
 */
import { AppError } from '../../errors.js';
import type { Matrix } from '../matrix.js';
import { Rng } from '../random.js';

function checkLabels(X: Matrix, labels: ArrayLike<number>): number {
  if (labels.length !== X.rows)
    throw new AppError('ARGUMENT_INVALID', `labels: ${labels.length} values for ${X.rows} rows`);
  let k = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!Number.isInteger(l) || l < 0)
      throw new AppError('ARGUMENT_INVALID', `labels[${i}] = ${l}: must be an integer ≥ 0`);
    if (l + 1 > k) k = l + 1;
  }
  return k;
}

function centroids(X: Matrix, labels: ArrayLike<number>, k: number): { c: Float64Array; n: Float64Array } {
  const d = X.cols;
  const c = new Float64Array(k * d);
  const n = new Float64Array(k);
  for (let i = 0; i < X.rows; i++) {
    const l = labels[i];
    n[l]++;
    for (let j = 0; j < d; j++) c[l * d + j] += X.data[i * d + j];
  }
  for (let l = 0; l < k; l++) if (n[l] > 0) for (let j = 0; j < d; j++) c[l * d + j] /= n[l];
  return { c, n };
}

function dist(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[ao + j] - b[bo + j];
    s += t * t;
  }
  return Math.sqrt(s);
}

/** Sum of squared distances of rows to their cluster's mean. */
export function inertia(X: Matrix, labels: ArrayLike<number>): number {
  const k = checkLabels(X, labels);
  const { c } = centroids(X, labels, k);
  let s = 0;
  for (let i = 0; i < X.rows; i++) {
    const t = dist(X.data, i * X.cols, c, labels[i] * X.cols, X.cols);
    s += t * t;
  }
  return s;
}

/** Davies–Bouldin index (lower is better); empty clusters are ignored. */
export function daviesBouldin(X: Matrix, labels: ArrayLike<number>): number {
  const k = checkLabels(X, labels);
  const d = X.cols;
  const { c, n } = centroids(X, labels, k);
  const scatter = new Float64Array(k);
  for (let i = 0; i < X.rows; i++) scatter[labels[i]] += dist(X.data, i * d, c, labels[i] * d, d);
  const used: number[] = [];
  for (let l = 0; l < k; l++)
    if (n[l] > 0) {
      scatter[l] /= n[l];
      used.push(l);
    }
  if (used.length < 2) return NaN;
  let total = 0;
  for (const a of used) {
    let worst = 0;
    for (const b of used) {
      if (a === b) continue;
      const sep = dist(c, a * d, c, b * d, d);
      const r = sep === 0 ? Infinity : (scatter[a] + scatter[b]) / sep;
      if (r > worst) worst = r;
    }
    total += worst;
  }
  return total / used.length;
}

/** Calinski–Harabasz variance ratio (higher is better). */
export function calinskiHarabasz(X: Matrix, labels: ArrayLike<number>): number {
  const k = checkLabels(X, labels);
  const d = X.cols;
  const { c, n } = centroids(X, labels, k);
  const mean = new Float64Array(d);
  for (let i = 0; i < X.rows; i++) for (let j = 0; j < d; j++) mean[j] += X.data[i * d + j] / X.rows;
  let between = 0;
  let used = 0;
  for (let l = 0; l < k; l++) {
    if (n[l] === 0) continue;
    used++;
    const t = dist(c, l * d, mean, 0, d);
    between += n[l] * t * t;
  }
  let within = 0;
  for (let i = 0; i < X.rows; i++) {
    const t = dist(X.data, i * d, c, labels[i] * d, d);
    within += t * t;
  }
  if (used < 2 || X.rows <= used) return NaN;
  return within === 0 ? Infinity : between / (used - 1) / (within / (X.rows - used));
}

export interface SilhouetteOptions {
  /** Exact computation when the rows (or their distinct values) are at most this many. */
  exactBelow?: number;
  /** Rows sampled (seeded) when the input is larger. */
  sampleSize?: number;
  seed?: number;
}

export interface SilhouetteResult {
  score: number;
  exact: boolean;
  /** Rows the score was computed on (all rows when exact). */
  rows: number;
  /** Distinct (row, label) pairs the pairwise pass ran over. */
  distinct: number;
}

/**
 * Mean silhouette coefficient. Identical rows with the same label are grouped and weighted, so
 * categorical data with few distinct values is scored exactly however many rows it has.
 */
export function silhouette(
  X: Matrix,
  labels: ArrayLike<number>,
  options: SilhouetteOptions = {},
): SilhouetteResult {
  const k = checkLabels(X, labels);
  const exactBelow = options.exactBelow ?? 20_000;
  const groups = distinctRows(
    X,
    labels,
    Array.from({ length: X.rows }, (_, i) => i),
    exactBelow,
  );
  if (groups)
    return {
      score: weightedSilhouette(X, groups, k),
      exact: true,
      rows: X.rows,
      distinct: groups.rep.length,
    };
  const size = Math.min(options.sampleSize ?? 10_000, X.rows);
  const idx = new Rng(options.seed ?? 0).shuffle(Array.from({ length: X.rows }, (_, i) => i)).slice(0, size);
  const sample = distinctRows(X, labels, idx, Infinity);
  if (!sample) throw new Error('unreachable: no limit on the sample');
  return { score: weightedSilhouette(X, sample, k), exact: false, rows: size, distinct: sample.rep.length };
}

interface Groups {
  rep: number[];
  weight: number[];
  label: number[];
}

/** Distinct (row, label) pairs among `idx`, or null once there are more than `limit`. */
function distinctRows(X: Matrix, labels: ArrayLike<number>, idx: number[], limit: number): Groups | null {
  const d = X.cols;
  const words = new Uint32Array(X.data.buffer, X.data.byteOffset, X.data.length);
  const byHash = new Map<number, number[]>();
  const g: Groups = { rep: [], weight: [], label: [] };
  outer: for (const i of idx) {
    let h = (labels[i] * 0x9e3779b1) | 0;
    for (let j = 0; j < d; j++) h = Math.imul(h ^ words[i * d + j], 0x01000193);
    const bucket = byHash.get(h);
    if (bucket) {
      for (const gi of bucket) {
        const r = g.rep[gi];
        if (g.label[gi] !== labels[i]) continue;
        let same = true;
        for (let j = 0; j < d && same; j++) same = words[r * d + j] === words[i * d + j];
        if (same) {
          g.weight[gi]++;
          continue outer;
        }
      }
    }
    if (g.rep.length >= limit) return null;
    g.rep.push(i);
    g.weight.push(1);
    g.label.push(labels[i]);
    if (bucket) bucket.push(g.rep.length - 1);
    else byHash.set(h, [g.rep.length - 1]);
  }
  return g;
}

function weightedSilhouette(X: Matrix, g: Groups, k: number): number {
  const m = g.rep.length;
  const d = X.cols;
  // Representatives packed contiguously, labels and weights in typed arrays: the pair loop is the hot path.
  const P = new Float64Array(m * d);
  for (let a = 0; a < m; a++) for (let j = 0; j < d; j++) P[a * d + j] = X.data[g.rep[a] * d + j];
  const lab = Int32Array.from(g.label);
  const w = Float64Array.from(g.weight);
  const sums = new Float64Array(m * k); // weighted distance sums from group a to each cluster
  const size = new Float64Array(k);
  for (let i = 0; i < m; i++) size[lab[i]] += w[i];
  for (let a = 0; a < m; a++) {
    const ao = a * d;
    const la = lab[a];
    const wa = w[a];
    const rowOff = a * k;
    for (let b = a + 1; b < m; b++) {
      const bo = b * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let j = 0;
      for (; j + 3 < d; j += 4) {
        const t0 = P[ao + j] - P[bo + j];
        const t1 = P[ao + j + 1] - P[bo + j + 1];
        const t2 = P[ao + j + 2] - P[bo + j + 2];
        const t3 = P[ao + j + 3] - P[bo + j + 3];
        s0 += t0 * t0;
        s1 += t1 * t1;
        s2 += t2 * t2;
        s3 += t3 * t3;
      }
      for (; j < d; j++) {
        const t = P[ao + j] - P[bo + j];
        s0 += t * t;
      }
      const dist = Math.sqrt(s0 + s1 + (s2 + s3));
      sums[rowOff + lab[b]] += dist * w[b];
      sums[b * k + la] += dist * wa;
    }
  }
  let total = 0;
  let n = 0;
  let nonEmpty = 0;
  for (let l = 0; l < k; l++) if (size[l] > 0) nonEmpty++;
  if (nonEmpty < 2) return NaN;
  for (let a = 0; a < m; a++) {
    const l = g.label[a];
    n += g.weight[a];
    if (size[l] <= 1) continue; // a singleton cluster scores 0
    const own = sums[a * k + l] / (size[l] - 1);
    let other = Infinity;
    for (let c = 0; c < k; c++)
      if (c !== l && size[c] > 0) other = Math.min(other, sums[a * k + c] / size[c]);
    const denom = Math.max(own, other);
    total += g.weight[a] * (denom === 0 ? 0 : (other - own) / denom);
  }
  return total / n;
}

/** Adjusted Rand index (Hubert & Arabie 1985) between two labelings of the same items. */
export function adjustedRandIndex(a: ArrayLike<number | string>, b: ArrayLike<number | string>): number {
  if (a.length !== b.length)
    throw new AppError('ARGUMENT_INVALID', `adjustedRandIndex: ${a.length} vs ${b.length} labels`);
  const n = a.length;
  const pair = new Map<string, number>();
  const ca = new Map<number | string, number>();
  const cb = new Map<number | string, number>();
  for (let i = 0; i < n; i++) {
    const key = `${typeof a[i]}:${String(a[i])}\u0000${typeof b[i]}:${String(b[i])}`;
    pair.set(key, (pair.get(key) ?? 0) + 1);
    ca.set(a[i], (ca.get(a[i]) ?? 0) + 1);
    cb.set(b[i], (cb.get(b[i]) ?? 0) + 1);
  }
  const c2 = (x: number) => (x * (x - 1)) / 2;
  let index = 0;
  for (const v of pair.values()) index += c2(v);
  let sa = 0;
  for (const v of ca.values()) sa += c2(v);
  let sb = 0;
  for (const v of cb.values()) sb += c2(v);
  const total = c2(n);
  if (total === 0) return 1;
  const expected = (sa * sb) / total;
  const max = (sa + sb) / 2;
  if (max === expected) return 1; // both labelings trivial (all one cluster or all singletons)
  return (index - expected) / (max - expected);
}
