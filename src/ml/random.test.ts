import { describe, expect, it } from 'vitest';
import { Rng, cumulativeWeights } from './random.js';

const N = 100_000;

describe('Rng (sfc32)', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    const sb = Array.from({ length: 20 }, () => b.nextUint32());
    const sc = Array.from({ length: 20 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    // Seeds above 2^32 use their high bits too.
    expect(new Rng(2 ** 32 + 5).nextUint32()).not.toBe(new Rng(5).nextUint32());
  });

  it('next() is uniform on [0,1): mean 1/2 ± 0.005, variance 1/12 ± 0.002 on 1e5 draws', () => {
    const r = new Rng(7);
    let sum = 0;
    let sq = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < N; i++) {
      const x = r.next();
      sum += x;
      sq += x * x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const mean = sum / N;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(Math.abs(sq / N - mean * mean - 1 / 12)).toBeLessThan(0.002);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
  });

  it('normal() has mean 0 ± 0.01 and variance 1 ± 0.02 on 1e5 draws', () => {
    const r = new Rng(11);
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < N; i++) {
      const x = r.normal();
      sum += x;
      sq += x * x;
    }
    const mean = sum / N;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(sq / N - mean * mean - 1)).toBeLessThan(0.02);
  });

  it('int(n) covers 0..n-1 evenly (each bucket within 5% of n/10)', () => {
    const r = new Rng(3);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < N; i++) counts[r.int(10)]++;
    for (const c of counts) expect(Math.abs(c - N / 10)).toBeLessThan(N / 10 / 20);
  });

  it('pick() follows the weights (within 0.01 of each share)', () => {
    const r = new Rng(5);
    const w = [0.1, 0, 0.6, 0.3];
    const cum = cumulativeWeights(w);
    const counts = new Array<number>(w.length).fill(0);
    for (let i = 0; i < N; i++) counts[r.pick(cum)]++;
    counts.forEach((c, i) => expect(Math.abs(c / N - w[i])).toBeLessThan(0.01));
    expect(counts[1]).toBe(0);
  });

  it('rejects bad seeds and weights', () => {
    expect(() => new Rng(1.5)).toThrow(RangeError);
    expect(() => cumulativeWeights([0, 0])).toThrow(RangeError);
    expect(() => cumulativeWeights([1, -1])).toThrow(RangeError);
  });

  it('shuffle() keeps the elements', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = new Rng(9).shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
  });
});
