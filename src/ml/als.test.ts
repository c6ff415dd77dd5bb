import { describe, expect, it } from 'vitest';
import { ImplicitALS, type AlsJson } from './als.js';
import { Rng } from './random.js';
import { csrFromCoo, transpose, type Csr } from './sparse.js';

/** Two blocks of users × items with a little noise. */
function blocks(users: number, items: number, seed: number): Csr {
  const rng = new Rng(seed);
  const r: number[] = [];
  const c: number[] = [];
  for (let u = 0; u < users; u++)
    for (let i = 0; i < items; i++) {
      const same = u < users / 2 === i < items / 2;
      if (rng.bernoulli(same ? 0.6 : 0.05)) {
        r.push(u);
        c.push(i);
      }
    }
  return csrFromCoo(users, items, r, c);
}

/** Naive dense reference: x = (YᵀCY + λI)⁻¹ YᵀCp by Gaussian elimination on full matrices. */
function denseUserSolve(
  r: Csr,
  u: number,
  y: Float32Array,
  f: number,
  alpha: number,
  lambda: number,
): number[] {
  const a = Array.from({ length: f }, () => new Array<number>(f + 1).fill(0));
  for (let i = 0; i < r.cols; i++) {
    let ru = 0;
    for (let p = r.indptr[u]; p < r.indptr[u + 1]; p++) if (r.indices[p] === i) ru = r.values[p];
    const c = 1 + alpha * ru;
    const pref = ru > 0 ? 1 : 0;
    for (let s = 0; s < f; s++) {
      for (let t = 0; t < f; t++) a[s][t] += c * y[i * f + s] * y[i * f + t];
      a[s][f] += c * pref * y[i * f + s];
    }
  }
  for (let s = 0; s < f; s++) a[s][s] += lambda;
  for (let col = 0; col < f; col++) {
    for (let row = col + 1; row < f; row++) {
      const m = a[row][col] / a[col][col];
      for (let k = col; k <= f; k++) a[row][k] -= m * a[col][k];
    }
  }
  const x = new Array<number>(f).fill(0);
  for (let s = f - 1; s >= 0; s--) {
    let v = a[s][f];
    for (let t = s + 1; t < f; t++) v -= a[s][t] * x[t];
    x[s] = v / a[s][s];
  }
  return x;
}

describe('ImplicitALS', () => {
  const r = blocks(40, 12, 1);

  it('the loss decreases over iterations (CG and Cholesky)', () => {
    for (const solver of ['cg', 'cholesky'] as const) {
      const losses = [1, 2, 4, 8].map((iterations) =>
        new ImplicitALS({ factors: 4, iterations, solver, seed: 3 }).fit(r).loss(r),
      );
      for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1] + 1e-6);
      expect(losses[3]).toBeLessThan(losses[0] * 0.95);
    }
  });

  it('an exact half-step matches the dense closed-form solve; enough CG steps converge to it', () => {
    const f = 3;
    const m = new ImplicitALS({
      factors: f,
      iterations: 2,
      solver: 'cholesky',
      alpha: 5,
      regularization: 0.5,
    }).fit(r);
    const y = m.itemFactors;
    const x = m.userFactors; // the last user half-step used the previous item factors; redo one with the final ones
    const exact = new ImplicitALS({ factors: f, solver: 'cholesky', alpha: 5, regularization: 0.5 });
    const target = new Float32Array(x.length);
    exact.halfStep(r, target, y);
    const cg = new ImplicitALS({ factors: f, solver: 'cg', cgSteps: f + 2, alpha: 5, regularization: 0.5 });
    const warm = Float32Array.from(x);
    cg.halfStep(r, warm, y);
    for (const u of [0, 7, 25, 39]) {
      const ref = denseUserSolve(r, u, y, f, 5, 0.5);
      for (let d = 0; d < f; d++) {
        expect(target[u * f + d]).toBeCloseTo(ref[d], 4);
        expect(warm[u * f + d]).toBeCloseTo(ref[d], 3);
      }
    }
  });

  it('recommends within the block and folds in a new user like a trained one', () => {
    const m = new ImplicitALS({ factors: 4, iterations: 10, seed: 5 }).fit(r);
    const owned = [0, 1, 2];
    const recs = m.recommendFolded(owned, 3);
    for (const i of recs) expect(i).toBeLessThan(6);
    expect(recs).not.toContain(0);
    const top = m.recommend(35, 2, []);
    for (const i of top) expect(i).toBeGreaterThanOrEqual(6);
    // folding in a training user's own row reproduces its exact factor (one Cholesky half-step)
    const u = 3;
    const items = Array.from(r.indices.subarray(r.indptr[u], r.indptr[u + 1]));
    const folded = m.foldIn(items);
    const ref = denseUserSolve(r, u, m.itemFactors, 4, m.options.alpha, m.options.regularization);
    for (let d = 0; d < 4; d++) expect(folded[d]).toBeCloseTo(ref[d], 4);
  });

  it('round-trips through JSON with identical scores, and validates', () => {
    const m = new ImplicitALS({ factors: 4, iterations: 3 }).fit(r);
    const back = ImplicitALS.fromJSON(JSON.parse(JSON.stringify(m.toJSON())) as AlsJson);
    expect(Array.from(back.scoreUser(5))).toEqual(Array.from(m.scoreUser(5)));
    expect(() => new ImplicitALS().scoreUser(0)).toThrow(/fit\(\) first/);
    expect(() => new ImplicitALS({ factors: 0 }).fit(r)).toThrow(/factors/);
    expect(() => ImplicitALS.fromJSON({ ...m.toJSON(), kind: 'x' as 'nextoffer.als' })).toThrow(/format/);
    expect(transpose(transpose(r)).indices).toEqual(r.indices);
  });
});
