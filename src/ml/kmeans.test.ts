import { describe, expect, it } from 'vitest';
import { KMeans } from './kmeans.js';
import { fromRows, type Matrix } from './matrix.js';
import { Rng } from './random.js';

/** Gaussian blobs: `k` centres on a wide grid, unit noise. */
export function blobs(
  n: number,
  d: number,
  k: number,
  seed: number,
  spread = 10,
): { X: Matrix; truth: Int32Array } {
  const rng = new Rng(seed);
  const centres = Array.from({ length: k * d }, () => (rng.next() - 0.5) * 2 * spread * k);
  const data = new Float32Array(n * d);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    truth[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c * d + j] + rng.normal();
  }
  return { X: { data, rows: n, cols: d }, truth };
}

/** Textbook Lloyd on number arrays: the reference the fast path must match. */
function naiveLloyd(
  X: Matrix,
  init: number[],
  k: number,
  iters: number,
): { centres: number[]; labels: number[] } {
  const d = X.cols;
  let centres = init.slice();
  let labels: number[] = [];
  for (let it = 0; it < iters; it++) {
    labels = [];
    for (let i = 0; i < X.rows; i++) {
      let best = Infinity;
      let arg = 0;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (X.data[i * d + j] - centres[c * d + j]) ** 2;
        if (s < best) [best, arg] = [s, c];
      }
      labels.push(arg);
    }
    const sums = new Array<number>(k * d).fill(0);
    const counts = new Array<number>(k).fill(0);
    labels.forEach((l, i) => {
      counts[l]++;
      for (let j = 0; j < d; j++) sums[l * d + j] += X.data[i * d + j];
    });
    centres = centres.map((v, idx) =>
      counts[Math.floor(idx / d)] ? sums[idx] / counts[Math.floor(idx / d)] : v,
    );
  }
  return { centres, labels };
}

describe('KMeans', () => {
  it('finds the hand-computed centres and inertia of two pairs', () => {
    const X = fromRows([
      [0, 0],
      [0, 1],
      [10, 10],
      [10, 11],
    ]);
    const km = new KMeans({ k: 2, init: [0, 0, 10, 10] }).fit(X);
    expect(Array.from(km.centres)).toEqual([0, 0.5, 10, 10.5]);
    expect(km.inertia).toBeCloseTo(1, 10);
    expect(Array.from(km.labels)).toEqual([0, 0, 1, 1]);
    expect(
      Array.from(
        km.predict(
          fromRows([
            [9, 9],
            [1, -1],
          ]),
        ),
      ),
    ).toEqual([1, 0]);
  });

  it('Elkan, Hamerly and plain Lloyd match a naive Lloyd from the same centres', () => {
    const { X } = blobs(3000, 5, 6, 3, 1.2); // overlapping blobs: many reassignments
    const init = Array.from(X.data.subarray(0, 6 * 5));
    const ref = naiveLloyd(X, init, 6, 300);
    for (const algorithm of ['elkan', 'hamerly', 'lloyd'] as const) {
      const km = new KMeans({ k: 6, init, algorithm, tol: 0, maxIter: 300 }).fit(X);
      expect(Array.from(km.labels)).toEqual(ref.labels);
      Array.from(km.centres).forEach((v, i) => expect(v).toBeCloseTo(ref.centres[i], 6));
    }
  });

  it('k-means++ with restarts recovers separated blobs; mini-batch lands within 2 % of its inertia', () => {
    const { X, truth } = blobs(20_000, 4, 5, 11);
    const km = new KMeans({ k: 5, nInit: 3, seed: 1 }).fit(X);
    // Every true blob maps to exactly one cluster.
    const pairs = new Set<string>();
    truth.forEach((t, i) => pairs.add(`${t}:${km.labels[i]}`));
    expect(pairs.size).toBe(5);
    const mb = new KMeans({ k: 5, nInit: 3, seed: 1, algorithm: 'minibatch', batchSize: 1024 }).fit(X);
    expect(mb.inertia / km.inertia).toBeLessThan(1.02);
    expect(km.inertia).toBeLessThan(20_000 * 4 * 1.1); // unit noise in 4 dims
  });

  it('is reproducible for a seed and round-trips through JSON', () => {
    const { X } = blobs(2000, 3, 4, 5);
    const a = new KMeans({ k: 4, seed: 9 }).fit(X);
    const b = new KMeans({ k: 4, seed: 9 }).fit(X);
    expect(Array.from(a.centres)).toEqual(Array.from(b.centres));
    const c = KMeans.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(Array.from(c.predict(X))).toEqual(Array.from(a.labels));
    expect(() => KMeans.fromJSON({ ...a.toJSON(), version: 2 })).toThrow(/version/);
  });

  it('rejects bad input and use before fit', () => {
    expect(() => new KMeans({ k: 2 }).predict(fromRows([[1]]))).toThrow(/fit/);
    expect(() => new KMeans({ k: 3 }).fit(fromRows([[1], [2]]))).toThrow(/exceeds/);
    expect(() => new KMeans({ k: 1 }).fit(fromRows([[1], [NaN]]))).toThrow(/row 1/);
    expect(() => new KMeans({ k: 2, init: [1, 2, 3] }).fit(fromRows([[1], [2]]))).toThrow(/init/);
  });
});
