/**
 * One k-means run from given centres: Lloyd's iterations, either plain (every point against
 * every centre) or with Hamerly's bounds (2010), which skip a point whose distance to its own
 * centre cannot exceed half the gap to the nearest other centre nor its lower bound to the second
 * closest. Both stop as scikit-learn does: when no label changes, or when the summed squared
 * centre shift falls to `tolScaled`. Centres and sums are Float64; the data stays Float32.
 */
import type { Matrix } from './matrix.js';
import { sqDistRow } from './kmeans-init.js';

export interface LloydResult {
  centres: Float64Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  converged: boolean;
}

export interface LloydRun {
  maxIter: number;
  tolScaled: number;
  bounds: boolean;
  onIteration?: (iter: number, changed: number) => void;
}

/** Nearest centre of every row and the summed squared distance (a plain pass). */
export function assignAll(X: Matrix, centres: Float64Array, k: number, labels: Int32Array): number {
  let inertia = 0;
  for (let i = 0; i < X.rows; i++) {
    let best = Infinity;
    let arg = 0;
    for (let c = 0; c < k; c++) {
      const dd = sqDistRow(X, i, centres, c * X.cols);
      if (dd < best) {
        best = dd;
        arg = c;
      }
    }
    labels[i] = arg;
    inertia += best;
  }
  return inertia;
}

/** Summed squared distance of every row to its labelled centre. */
export function inertiaOf(X: Matrix, centres: Float64Array, labels: Int32Array): number {
  let s = 0;
  for (let i = 0; i < X.rows; i++) s += sqDistRow(X, i, centres, labels[i] * X.cols);
  return s;
}

/**
 * scikit-learn's rule for empty clusters: each one takes, in turn, the row farthest from its
 * current centre (that row's weight leaves its old cluster's sums). Sums, counts and labels are
 * updated; returns the relocated rows, whose pruning bounds the caller must reset. `ownDistances`
 * supplies each row's squared distance to its centre when a faster kernel can compute it.
 */
export function relocateEmpty(
  X: Matrix,
  centres: Float64Array,
  labels: Int32Array,
  sums: Float64Array,
  counts: Float64Array,
  ownDistances?: () => Float64Array,
): number[] {
  const empty: number[] = [];
  for (let c = 0; c < counts.length; c++) if (counts[c] === 0) empty.push(c);
  if (empty.length === 0) return [];
  const d = X.cols;
  let dist: Float64Array;
  if (ownDistances) dist = ownDistances();
  else {
    dist = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) dist[i] = sqDistRow(X, i, centres, labels[i] * d);
  }
  // The farthest rows, one linear scan per empty cluster (there are few).
  const far: number[] = [];
  for (let e = 0; e < empty.length; e++) {
    let best = -1;
    for (let i = 0; i < X.rows; i++) if ((best < 0 || dist[i] > dist[best]) && !far.includes(i)) best = i;
    far.push(best);
  }
  far.forEach((i, e) => {
    const to = empty[e];
    const from = labels[i];
    for (let j = 0; j < d; j++) {
      const v = X.data[i * d + j];
      sums[from * d + j] -= v;
      sums[to * d + j] = v;
    }
    counts[from]--;
    counts[to] = 1;
    labels[i] = to;
  });
  return far;
}

/** Per-cluster sums and counts of the rows under `labels`. */
function accumulate(
  X: Matrix,
  labels: Int32Array,
  k: number,
  sums: Float64Array,
  counts: Float64Array,
): void {
  const d = X.cols;
  sums.fill(0);
  counts.fill(0);
  for (let i = 0; i < X.rows; i++) {
    const c = labels[i];
    counts[c]++;
    const so = c * d;
    const xo = i * d;
    for (let j = 0; j < d; j++) sums[so + j] += X.data[xo + j];
  }
}

/** New centres from sums (an empty cluster keeps its centre); returns the shift of each centre. */
export function moveCentres(
  centres: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
  d: number,
  shift: Float64Array,
): void {
  const k = counts.length;
  for (let c = 0; c < k; c++) {
    let s = 0;
    if (counts[c] > 0) {
      for (let j = 0; j < d; j++) {
        const v = sums[c * d + j] / counts[c];
        const t = v - centres[c * d + j];
        s += t * t;
        centres[c * d + j] = v;
      }
    }
    shift[c] = Math.sqrt(s);
  }
}

export function lloyd(X: Matrix, init: Float64Array, k: number, run: LloydRun): LloydResult {
  const n = X.rows;
  const d = X.cols;
  const centres = Float64Array.from(init);
  const labels = new Int32Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  const shift = new Float64Array(k);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const half = new Float64Array(k);

  // First pass: exact nearest and second-nearest distances.
  for (let i = 0; i < n; i++) {
    let b1 = Infinity;
    let b2 = Infinity;
    let arg = 0;
    for (let c = 0; c < k; c++) {
      const dd = sqDistRow(X, i, centres, c * d);
      if (dd < b1) {
        b2 = b1;
        b1 = dd;
        arg = c;
      } else if (dd < b2) b2 = dd;
    }
    labels[i] = arg;
    upper[i] = Math.sqrt(b1);
    lower[i] = Math.sqrt(b2);
  }
  accumulate(X, labels, k, sums, counts);

  let nIter = 0;
  let converged = false;
  for (let iter = 0; iter < run.maxIter; iter++) {
    nIter = iter + 1;
    for (const i of relocateEmpty(X, centres, labels, sums, counts)) {
      upper[i] = Infinity;
      lower[i] = 0;
    }
    moveCentres(centres, sums, counts, d, shift);
    let shiftTot = 0;
    let maxShift = 0;
    let maxAt = 0;
    let secondShift = 0;
    for (let c = 0; c < k; c++) {
      shiftTot += shift[c] * shift[c];
      if (shift[c] > maxShift) {
        secondShift = maxShift;
        maxShift = shift[c];
        maxAt = c;
      } else if (shift[c] > secondShift) secondShift = shift[c];
    }
    for (let i = 0; i < n; i++) {
      upper[i] += shift[labels[i]];
      lower[i] -= labels[i] === maxAt ? secondShift : maxShift;
    }
    // No closure for the step: captured arrays would be context-allocated and slow the hot loops.
    const changed = run.bounds
      ? hamerlyStep(X, centres, k, labels, upper, lower, half, sums, counts)
      : plainStep(X, centres, k, labels, sums, counts);
    if (shiftTot <= run.tolScaled) {
      // Converged by tolerance: the step above gave labels for the final centres, as scikit-learn does.
      converged = true;
      break;
    }
    run.onIteration?.(nIter, changed);
    if (changed === 0) {
      converged = true;
      break;
    }
  }
  // Every exit follows an assignment pass against the final centres.
  return { centres, labels, inertia: inertiaOf(X, centres, labels), nIter, converged };
}

function plainStep(
  X: Matrix,
  centres: Float64Array,
  k: number,
  labels: Int32Array,
  sums: Float64Array,
  counts: Float64Array,
): number {
  const prev = Int32Array.from(labels);
  assignAll(X, centres, k, labels);
  let changed = 0;
  for (let i = 0; i < X.rows; i++) if (prev[i] !== labels[i]) changed++;
  accumulate(X, labels, k, sums, counts);
  return changed;
}

function hamerlyStep(
  X: Matrix,
  centres: Float64Array,
  k: number,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  half: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
): number {
  const d = X.cols;
  const data = X.data;
  for (let a = 0; a < k; a++) {
    let m = Infinity;
    for (let b = 0; b < k; b++) {
      if (a === b) continue;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = centres[a * d + j] - centres[b * d + j];
        s += t * t;
      }
      if (s < m) m = s;
    }
    half[a] = Math.sqrt(m) / 2;
  }
  let changed = 0;
  for (let i = 0; i < X.rows; i++) {
    const a = labels[i];
    const m = half[a] > lower[i] ? half[a] : lower[i];
    if (upper[i] <= m) continue;
    upper[i] = Math.sqrt(sqDistRow(X, i, centres, a * d));
    if (upper[i] <= m) continue;
    let b1 = Infinity;
    let b2 = Infinity;
    let arg = a;
    for (let c = 0; c < k; c++) {
      const dd = sqDistRow(X, i, centres, c * d);
      if (dd < b1) {
        b2 = b1;
        b1 = dd;
        arg = c;
      } else if (dd < b2) b2 = dd;
    }
    upper[i] = Math.sqrt(b1);
    lower[i] = Math.sqrt(b2);
    if (arg !== a) {
      changed++;
      labels[i] = arg;
      counts[a]--;
      counts[arg]++;
      const xo = i * d;
      for (let j = 0; j < d; j++) {
        const v = data[xo + j];
        sums[a * d + j] -= v;
        sums[arg * d + j] += v;
      }
    }
  }
  return changed;
}
