import { describe, expect, it } from 'vitest';
import { baseMargins, binaryGradients, fastExp, softmaxGradients } from './objectives.js';

describe('objectives', () => {
  it('fastExp matches Math.exp to 1e-12 relative on [−80, 80]', () => {
    let worst = 0;
    for (let x = -80; x <= 80; x += 0.0137) worst = Math.max(worst, Math.abs(fastExp(x) / Math.exp(x) - 1));
    expect(worst).toBeLessThan(1e-12);
    expect(fastExp(0)).toBe(1);
    expect(fastExp(-1000)).toBe(fastExp(-80));
    expect(fastExp(NaN)).toBe(fastExp(-80));
  });

  it('gives logistic and softmax gradient pairs by hand', () => {
    const gh = new Float32Array(4);
    binaryGradients(Float64Array.of(0, Math.log(3)), [1, 0], Float32Array.of(1, 2), gh);
    // p = 0.5 → g = −0.5, h = 0.25; p = 0.75, weight 2 → g = 1.5, h = 0.375.
    expect(Array.from(gh)).toEqual([-0.5, 0.25, 1.5, 0.375]);

    const K = 3;
    const g = [new Float32Array(2), new Float32Array(2), new Float32Array(2)];
    softmaxGradients(Float64Array.of(0, 0, Math.log(2)), K, [2], Float32Array.of(1), g, new Float64Array(K));
    // p = (0.25, 0.25, 0.5); hessian scaled by K/(K − 1) = 1.5.
    expect(g[0][0]).toBeCloseTo(0.25, 6);
    expect(g[2][0]).toBeCloseTo(-0.5, 6);
    expect(g[0][1]).toBeCloseTo(1.5 * 0.25 * 0.75, 6);
    expect(g[2][1]).toBeCloseTo(1.5 * 0.25, 6);
  });

  it('starts from the weighted log-odds or centred log priors', () => {
    const b = baseMargins('binary', 1, [1, 0, 0, 0], Float32Array.of(1, 1, 1, 1));
    expect(b[0]).toBeCloseTo(Math.log(1 / 3), 10);
    const m = baseMargins('multiclass', 3, [0, 1, 1, 2], Float32Array.of(2, 1, 1, 4));
    // priors 2/8, 2/8, 4/8 → logs centred on their mean
    const logs = [Math.log(0.25), Math.log(0.25), Math.log(0.5)];
    const mean = (logs[0] + logs[1] + logs[2]) / 3;
    logs.forEach((l, k) => expect(m[k]).toBeCloseTo(l - mean, 10));
  });
});
