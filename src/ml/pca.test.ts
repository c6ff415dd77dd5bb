import { describe, expect, it } from 'vitest';
import { fromRows } from './matrix.js';
import { PCA, type PcaJSON } from './pca.js';
import { Rng } from './random.js';

describe('PCA', () => {
  it('recovers the axes of a hand-made anisotropic cloud', () => {
    // Points on a line y = x have all their variance along (1,1)/√2.
    const X = fromRows([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    const p = new PCA({ nComponents: 1 }).fit(X);
    expect(p.components[0]).toBeCloseTo(Math.SQRT1_2, 8);
    expect(p.components[1]).toBeCloseTo(Math.SQRT1_2, 8);
    expect(p.explainedVarianceRatio[0]).toBeCloseTo(1, 8);
    // Centred projection: mean 1.5 → (−1.5·√2, …).
    expect(p.transform(X)[0]).toBeCloseTo(-1.5 * Math.SQRT2, 6);
  });

  it('matches the analytic eigen-decomposition of a diagonal covariance and round-trips', () => {
    const rng = new Rng(1);
    const X = fromRows(
      Array.from({ length: 20000 }, () => [3 * rng.normal(), rng.normal(), 0.5 * rng.normal()]),
    );
    const p = new PCA({ nComponents: 2 }).fit(X);
    expect(Math.abs(p.components[0])).toBeCloseTo(1, 2);
    expect(Math.abs(p.components[4])).toBeCloseTo(1, 2);
    const [r1, r2] = p.explainedVarianceRatio;
    expect(r1).toBeCloseTo(9 / 10.25, 1);
    expect(r2).toBeCloseTo(1 / 10.25, 1);
    const q = PCA.fromJSON(JSON.parse(JSON.stringify(p.toJSON())) as PcaJSON);
    expect(Array.from(q.transform(X).subarray(0, 10))).toEqual(Array.from(p.transform(X).subarray(0, 10)));
    expect(() => new PCA({ nComponents: 4 }).fit(X)).toThrow(/nComponents/);
  });
});
