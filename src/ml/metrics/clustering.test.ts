import { describe, expect, it } from 'vitest';
import { fromRows, type Matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { adjustedRandIndex, calinskiHarabasz, daviesBouldin, inertia, silhouette } from './clustering.js';

function bruteSilhouette(X: Matrix, labels: number[]): number {
  const d = X.cols;
  const dist = (a: number, b: number) =>
    Math.sqrt(
      Array.from({ length: d }, (_, j) => (X.data[a * d + j] - X.data[b * d + j]) ** 2).reduce(
        (s, v) => s + v,
        0,
      ),
    );
  const k = Math.max(...labels) + 1;
  let total = 0;
  for (let i = 0; i < X.rows; i++) {
    const sums = new Array<number>(k).fill(0);
    const counts = new Array<number>(k).fill(0);
    for (let j = 0; j < X.rows; j++) {
      if (j === i) continue;
      sums[labels[j]] += dist(i, j);
      counts[labels[j]]++;
    }
    if (counts[labels[i]] === 0) continue;
    const a = sums[labels[i]] / counts[labels[i]];
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== labels[i] && counts[c] > 0) b = Math.min(b, sums[c] / counts[c]);
    total += (b - a) / Math.max(a, b);
  }
  return total / X.rows;
}

function bruteAri(a: number[], b: number[]): number {
  // Pair counting: agreements over all pairs, adjusted by the permutation-model expectation.
  let both = 0;
  let inA = 0;
  let inB = 0;
  const n = a.length;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const sa = a[i] === a[j];
      const sb = b[i] === b[j];
      if (sa && sb) both++;
      if (sa) inA++;
      if (sb) inB++;
    }
  const pairs = (n * (n - 1)) / 2;
  const expected = (inA * inB) / pairs;
  return (both - expected) / ((inA + inB) / 2 - expected);
}

const line = fromRows([[0], [2], [10], [12]]);
const lineLabels = [0, 0, 1, 1];

describe('clustering metrics', () => {
  it('match hand-computed values on two 1-D pairs', () => {
    expect(daviesBouldin(line, lineLabels)).toBeCloseTo(0.2, 12);
    expect(calinskiHarabasz(line, lineLabels)).toBeCloseTo(50, 10);
    expect(inertia(line, lineLabels)).toBeCloseTo(4, 12);
    expect(silhouette(line, lineLabels).score).toBeCloseTo((9 / 11 + 7 / 9) / 2, 6);
  });

  it('silhouette equals a brute-force reference, with and without duplicate rows', () => {
    const rng = new Rng(4);
    const cont = fromRows(Array.from({ length: 300 }, () => [rng.normal(), rng.normal(), rng.normal()]));
    const labels = Array.from({ length: 300 }, (_, i) =>
      cont.data[i * 3] > 0.3 ? 0 : cont.data[i * 3 + 1] > 0 ? 1 : 2,
    );
    const r = silhouette(cont, labels);
    expect(r.exact).toBe(true);
    expect(r.score).toBeCloseTo(bruteSilhouette(cont, labels), 6);
    // 400 rows with 12 distinct values: computed exactly on the 12 groups.
    const cat = fromRows(Array.from({ length: 400 }, () => [rng.int(4), rng.int(3)]));
    const catLabels = Array.from({ length: 400 }, (_, i) => (cat.data[i * 2] < 2 ? 0 : 1));
    const rc = silhouette(cat, catLabels, { exactBelow: 50 });
    expect(rc.distinct).toBeLessThanOrEqual(12);
    expect(rc.score).toBeCloseTo(bruteSilhouette(cat, catLabels), 6);
  });

  it('sampled silhouette stays close to the exact value', () => {
    const rng = new Rng(8);
    const X = fromRows(Array.from({ length: 3000 }, (_, i) => [(i % 3) * 3 + rng.normal(), rng.normal()]));
    const labels = Array.from({ length: 3000 }, (_, i) => i % 3);
    const exact = silhouette(X, labels).score;
    const sampled = silhouette(X, labels, { exactBelow: 100, sampleSize: 800, seed: 1 });
    expect(sampled.exact).toBe(false);
    expect(Math.abs(sampled.score - exact)).toBeLessThan(0.03);
  });

  it('adjusted Rand index: 1 for the same partition renamed, brute-force agreement otherwise', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], ['b', 'b', 'a', 'a', 'c'])).toBe(1);
    // Hand computed: contingency [[2,1,0],[0,1,2]]: index 2, row pairs 6, column pairs 3, 15 pairs → (2-1.2)/(4.5-1.2).
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(8 / 33, 12);
    const rng = new Rng(2);
    for (let t = 0; t < 5; t++) {
      const a = Array.from({ length: 60 }, () => rng.int(4));
      const b = a.map((v) => (rng.bernoulli(0.3) ? rng.int(5) : v));
      expect(adjustedRandIndex(a, b)).toBeCloseTo(bruteAri(a, b), 10);
    }
  });

  it('rejects mismatched or negative labels', () => {
    expect(() => silhouette(line, [0, 1])).toThrow(/labels/);
    expect(() => daviesBouldin(line, [0, -1, 0, 1])).toThrow(/labels\[1\]/);
  });
});
