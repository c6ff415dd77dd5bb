/**
 * Initial centres for k-means: greedy k-means++ (Arthur & Vassilvitskii 2007, with
 * scikit-learn's 2 + ⌊ln k⌋ local trials per centre) and uniform random rows. Both draw
 * through a seeded `Rng`.
 */
import type { Matrix } from './matrix.js';
import { Rng } from './random.js';

/** Squared Euclidean distance from row `i` of `X` to `c` (offset `co` in a flat centre array). */
export function sqDistRow(X: Matrix, i: number, c: ArrayLike<number>, co: number): number {
  const d = X.cols;
  const xo = i * d;
  const x = X.data;
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = x[xo + j] - c[co + j];
    s += t * t;
  }
  return s;
}

/** `k` distinct rows chosen uniformly as centres (k×cols, row-major). */
export function randomCentres(X: Matrix, k: number, rng: Rng): Float64Array {
  const out = new Float64Array(k * X.cols);
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(rng.int(X.rows));
  let c = 0;
  for (const i of chosen) {
    for (let j = 0; j < X.cols; j++) out[c * X.cols + j] = X.data[i * X.cols + j];
    c++;
  }
  return out;
}

/** Greedy k-means++: each new centre is the best of a few candidates drawn ∝ D², judged by total potential. */
export function kmeansPlusPlus(
  X: Matrix,
  k: number,
  rng: Rng,
  nLocalTrials = 2 + Math.floor(Math.log(k)),
): Float64Array {
  const n = X.rows;
  const d = X.cols;
  const centres = new Float64Array(k * d);
  const setCentre = (c: number, i: number) => {
    for (let j = 0; j < d; j++) centres[c * d + j] = X.data[i * d + j];
  };
  setCentre(0, rng.int(n));
  const closest = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = sqDistRow(X, i, centres, 0);
  const cumulative = new Float64Array(n);
  const trial = new Float64Array(n);
  const best = new Float64Array(n);
  const point = new Float64Array(d);
  for (let c = 1; c < k; c++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      sum += closest[i];
      cumulative[i] = sum;
    }
    let bestPot = Infinity;
    let bestIdx = -1;
    for (let t = 0; t < nLocalTrials; t++) {
      // All points coincide with chosen centres: any row will do.
      const cand = sum > 0 ? rng.pick(cumulative) : rng.int(n);
      for (let j = 0; j < d; j++) point[j] = X.data[cand * d + j];
      let pot = 0;
      for (let i = 0; i < n; i++) {
        const dd = sqDistRow(X, i, point, 0);
        const v = dd < closest[i] ? dd : closest[i];
        trial[i] = v;
        pot += v;
      }
      if (pot < bestPot) {
        bestPot = pot;
        bestIdx = cand;
        best.set(trial);
      }
    }
    setCentre(c, bestIdx);
    closest.set(best);
  }
  return centres;
}
