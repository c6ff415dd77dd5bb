/**
 * Lloyd's iterations with Elkan's bounds (2003): one upper bound per point and one lower bound
 * per (point, centre), plus half the distances between centres, so most point–centre distances
 * are never computed once the centres settle. Exact: the same labels and centres as plain Lloyd.
 * Memory: rows × k doubles for the lower bounds. Same stopping rules as `lloyd`.
 */
import type { Matrix } from './matrix.js';
import { inertiaOf, relocateEmpty, type LloydResult, type LloydRun } from './kmeans-lloyd.js';

function rowDist(x: Float32Array, xo: number, c: Float64Array, co: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const t0 = x[xo + j] - c[co + j];
    const t1 = x[xo + j + 1] - c[co + j + 1];
    const t2 = x[xo + j + 2] - c[co + j + 2];
    const t3 = x[xo + j + 3] - c[co + j + 3];
    s0 += t0 * t0;
    s1 += t1 * t1;
    s2 += t2 * t2;
    s3 += t3 * t3;
  }
  for (; j < d; j++) {
    const t = x[xo + j] - c[co + j];
    s0 += t * t;
  }
  return Math.sqrt(s0 + s1 + (s2 + s3));
}

/**
 * Squared distance, abandoned once a partial sum exceeds `limit`: the partial sum is then still a
 * lower bound of the squared distance (above `limit`), which is all a losing centre needs.
 */
function partialSq(
  x: Float32Array,
  xo: number,
  c: Float64Array,
  co: number,
  d: number,
  limit: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const t0 = x[xo + j] - c[co + j];
    const t1 = x[xo + j + 1] - c[co + j + 1];
    const t2 = x[xo + j + 2] - c[co + j + 2];
    const t3 = x[xo + j + 3] - c[co + j + 3];
    s0 += t0 * t0;
    s1 += t1 * t1;
    s2 += t2 * t2;
    s3 += t3 * t3;
    if (s0 + s1 + (s2 + s3) > limit) return s0 + s1 + (s2 + s3);
  }
  for (; j < d; j++) {
    const t = x[xo + j] - c[co + j];
    s0 += t * t;
  }
  return s0 + s1 + (s2 + s3);
}

export function elkan(X: Matrix, init: Float64Array, k: number, run: LloydRun): LloydResult {
  const n = X.rows;
  const d = X.cols;
  // Bounds are stored relative to each centre's cumulative drift `drift[c]`, so moving the
  // centres costs O(k) instead of O(rows × k): true lower(i, c) = lower[i·k + c] − drift[c],
  // true upper(i) = upper[i] + drift[label i]. No closures here: captured variables would live
  // in a context object and slow every access in the hot loops.
  const st: ElkanState = {
    x: X.data,
    d,
    n,
    k,
    centres: Float64Array.from(init),
    labels: new Int32Array(n),
    upper: new Float64Array(n),
    lower: new Float64Array(n * k),
    drift: new Float64Array(k),
    cc: new Float64Array(k * k),
    s: new Float64Array(k),
    sums: new Float64Array(k * d),
    counts: new Float64Array(k),
  };
  halfDistances(st);
  firstPass(st);
  let nIter = 0;
  let converged = false;
  for (let iter = 0; iter < run.maxIter; iter++) {
    nIter = iter + 1;
    for (const i of relocateEmpty(X, st.centres, st.labels, st.sums, st.counts)) {
      st.upper[i] = Infinity;
      for (let c = 0; c < k; c++) st.lower[i * k + c] = st.drift[c];
    }
    const shiftTot = moveCentres(st);
    halfDistances(st);
    if (shiftTot <= run.tolScaled) {
      // Converged by tolerance: labels for the final centres, as scikit-learn does.
      elkanStep(st);
      converged = true;
      break;
    }
    const changed = elkanStep(st);
    run.onIteration?.(nIter, changed);
    if (changed === 0) {
      converged = true;
      break;
    }
  }
  return {
    centres: st.centres,
    labels: st.labels,
    inertia: inertiaOf(X, st.centres, st.labels),
    nIter,
    converged,
  };
}

/** Half the distance between every pair of centres, and to each centre's nearest other. */
function halfDistances(st: ElkanState): void {
  const { k, d, centres, cc, s } = st;
  for (let a = 0; a < k; a++) {
    let m = Infinity;
    for (let b = 0; b < k; b++) {
      if (a === b) continue;
      const h = centreHalf(centres, a, b, d);
      cc[a * k + b] = h;
      if (h < m) m = h;
    }
    s[a] = m;
  }
}

/**
 * First assignment with Elkan's pruning: once a close centre a is found, a centre c with
 * ½·d(a, c) ≥ d(x, a) cannot be closer, and d(a, c) − d(x, a) bounds d(x, c) from below.
 */
function firstPass(st: ElkanState): void {
  const { x, d, n, k, centres, labels, upper, lower, cc, sums, counts } = st;
  for (let i = 0; i < n; i++) {
    const lo = i * k;
    const xo = i * d;
    let a = 0;
    let u = rowDist(x, xo, centres, 0, d);
    lower[lo] = u;
    for (let c = 1; c < k; c++) {
      const h = cc[a * k + c];
      if (h >= u) {
        lower[lo + c] = 2 * h - u;
        continue;
      }
      const dist = Math.sqrt(partialSq(x, xo, centres, c * d, d, u * u));
      lower[lo + c] = dist;
      if (dist < u) {
        a = c;
        u = dist;
      }
    }
    labels[i] = a;
    upper[i] = u;
    counts[a]++;
    for (let j = 0; j < d; j++) sums[a * d + j] += x[xo + j];
  }
}

/** Centres to the means of their members (an empty cluster stays); returns the summed squared shift. */
function moveCentres(st: ElkanState): number {
  const { k, d, centres, sums, counts, drift } = st;
  let shiftTot = 0;
  for (let c = 0; c < k; c++) {
    let sq = 0;
    if (counts[c] > 0) {
      for (let j = 0; j < d; j++) {
        const v = sums[c * d + j] / counts[c];
        const t = v - centres[c * d + j];
        sq += t * t;
        centres[c * d + j] = v;
      }
    }
    drift[c] += Math.sqrt(sq);
    shiftTot += sq;
  }
  return shiftTot;
}

interface ElkanState {
  x: Float32Array;
  d: number;
  n: number;
  k: number;
  centres: Float64Array;
  labels: Int32Array;
  upper: Float64Array;
  lower: Float64Array;
  drift: Float64Array;
  cc: Float64Array;
  s: Float64Array;
  sums: Float64Array;
  counts: Float64Array;
}

/** One bounded assignment pass against the current centres; returns how many labels changed. */
function elkanStep(st: ElkanState): number {
  const { x, d, n, k, centres, labels, upper, lower, drift, cc, s, sums, counts } = st;
  let changed = 0;
  for (let i = 0; i < n; i++) {
    let a = labels[i];
    let u = upper[i] + drift[a];
    if (u <= s[a]) continue;
    const lo = i * k;
    const xo = i * d;
    let stale = true;
    for (let c = 0; c < k; c++) {
      if (c === a || u <= cc[a * k + c]) continue;
      // A little slack keeps the shifted bound conservative under rounding.
      const l = lower[lo + c] - drift[c] - 1e-9 * (1 + drift[c]);
      if (u <= l) continue;
      if (stale) {
        u = rowDist(x, xo, centres, a * d, d);
        lower[lo + a] = u + drift[a];
        stale = false;
        if (u <= l || u <= cc[a * k + c]) continue;
      }
      const dist = Math.sqrt(partialSq(x, xo, centres, c * d, d, u * u));
      lower[lo + c] = dist + drift[c];
      if (dist < u) {
        a = c;
        u = dist;
      }
    }
    upper[i] = u - drift[a];
    const old = labels[i];
    if (a !== old) {
      changed++;
      labels[i] = a;
      counts[old]--;
      counts[a]++;
      for (let j = 0; j < d; j++) {
        const v = x[xo + j];
        sums[old * d + j] -= v;
        sums[a * d + j] += v;
      }
    }
  }
  return changed;
}

function centreHalf(centres: Float64Array, a: number, b: number, d: number): number {
  let sq = 0;
  for (let j = 0; j < d; j++) {
    const t = centres[a * d + j] - centres[b * d + j];
    sq += t * t;
  }
  return Math.sqrt(sq) / 2;
}
