import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { LogisticRegression } from './linear.js';
import { fromRows, type Matrix } from './matrix.js';
import { brierScore, rocAuc } from './metrics/classification.js';
import { Rng } from './random.js';

/** Naive reference: full-batch gradient descent on number[][] until the gradient vanishes. */
function referenceFit(x: number[][], y: number[], l2: number): number[] {
  const d = x[0].length;
  const w = new Array<number>(d + 1).fill(0);
  for (let it = 0; it < 200_000; it++) {
    const g = new Array<number>(d + 1).fill(0);
    x.forEach((row, i) => {
      const z = row.reduce((s, v, j) => s + v * w[j], w[d]);
      const r = 1 / (1 + Math.exp(-z)) - y[i];
      row.forEach((v, j) => (g[j] += r * v));
      g[d] += r;
    });
    let norm = 0;
    for (let j = 0; j <= d; j++) {
      g[j] = g[j] / x.length + (j < d ? l2 * w[j] : 0);
      w[j] -= 0.5 * g[j];
      norm = Math.max(norm, Math.abs(g[j]));
    }
    if (norm < 1e-10) break;
  }
  return w;
}

function synthetic(n: number, seed: number): { x: Matrix; rows: number[][]; y: number[] } {
  const rng = new Rng(seed);
  const rows: number[][] = [];
  const y: number[] = [];
  const truth = [1.5, -2, 0.5];
  for (let i = 0; i < n; i++) {
    const r = [rng.normal(), rng.normal(), rng.bernoulli(0.3) ? 1 : 0];
    const z = -0.5 + r.reduce((s, v, j) => s + v * truth[j], 0);
    rows.push(r);
    y.push(rng.bernoulli(1 / (1 + Math.exp(-z))) ? 1 : 0);
  }
  return { x: fromRows(rows), rows, y };
}

describe('LogisticRegression', () => {
  it('Newton matches a naive gradient-descent reference to 1e-5', () => {
    const { x, rows, y } = synthetic(400, 7);
    const ref = referenceFit(rows, y, 0.01);
    const m = new LogisticRegression({ l2: 0.01 }).fit(x, y);
    const { coef, intercept } = m.coefficients;
    for (let j = 0; j < 3; j++) expect(coef[j]).toBeCloseTo(ref[j], 5);
    expect(intercept).toBeCloseTo(ref[3], 5);
  });

  it('solves a hand-computable case: one binary feature, no penalty', () => {
    // x=0: 1 of 4 positive → b = logit(1/4); x=1: 3 of 4 → b + w = logit(3/4).
    const x = fromRows([[0], [0], [0], [0], [1], [1], [1], [1]]);
    const m = new LogisticRegression({ l2: 0 }).fit(x, [1, 0, 0, 0, 1, 1, 1, 0]);
    expect(m.coefficients.intercept).toBeCloseTo(Math.log(1 / 3), 8);
    expect(m.coefficients.coef[0]).toBeCloseTo(2 * Math.log(3), 8);
  });

  it('recovers the generating coefficients and is calibrated on held-out data', () => {
    const train = synthetic(5000, 1);
    const test = synthetic(5000, 2);
    const m = new LogisticRegression({ l2: 1e-4 }).fit(train.x, train.y);
    const { coef, intercept } = m.coefficients;
    expect(coef[0]).toBeGreaterThan(1.3);
    expect(coef[0]).toBeLessThan(1.7);
    expect(coef[1]).toBeLessThan(-1.75);
    expect(coef[1]).toBeGreaterThan(-2.25);
    expect(intercept).toBeGreaterThan(-0.7);
    expect(intercept).toBeLessThan(-0.3);
    const p = m.predictProba(test.x);
    expect(rocAuc(test.y, p)).toBeGreaterThan(0.85);
    const meanP = p.reduce((a, b) => a + b, 0) / p.length;
    const rate = test.y.reduce((a, b) => a + b, 0) / test.y.length;
    expect(Math.abs(meanP - rate)).toBeLessThan(0.02);
    expect(brierScore(test.y, p)).toBeLessThan(0.16);
  });

  it('seeded SGD is reproducible and close to Newton', () => {
    const { x, y } = synthetic(2000, 3);
    const a = new LogisticRegression({ solver: 'sgd', seed: 5, maxIter: 60, l2: 0.01 }).fit(x, y);
    const b = new LogisticRegression({ solver: 'sgd', seed: 5, maxIter: 60, l2: 0.01 }).fit(x, y);
    const n = new LogisticRegression({ l2: 0.01 }).fit(x, y);
    expect(a.coefficients).toEqual(b.coefficients);
    a.coefficients.coef.forEach((c, j) => expect(Math.abs(c - n.coefficients.coef[j])).toBeLessThan(0.1));
  });

  it('round-trips through JSON with identical predictions', () => {
    const { x, y } = synthetic(300, 4);
    const m = new LogisticRegression({ l2: 0.1 }).fit(x, y);
    const back = LogisticRegression.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(back.predictProba(x)).toEqual(m.predictProba(x));
    expect(back.predictOne(x.data.subarray(0, 3))).toBe(m.predictProba(x)[0]);
    expect(() => LogisticRegression.fromJSON({ kind: 'other' })).toThrow(/not a logistic-regression/);
    expect(() => LogisticRegression.fromJSON({ ...m.toJSON(), version: 2 })).toThrow(/version 2/);
  });

  it('refuses to predict before fit and rejects bad input', () => {
    const m = new LogisticRegression();
    expect(() => m.predictProba(fromRows([[1]]))).toThrow(AppError);
    expect(() => m.predictProba(fromRows([[1]]))).toThrow(/fit\(\)/);
    expect(() => m.fit(fromRows([[1], [2]]), [0, 2])).toThrow(/y\[1\] = 2/);
    expect(() => m.fit(fromRows([[1], [2]]), [0])).toThrow(/1 labels/);
  });
});
