import { describe, expect, it } from 'vitest';
import { Rng } from '../random.js';
import { binColumns, fitBinCuts } from './binning.js';

describe('feature binning', () => {
  it('keeps every distinct value when there are few, NaN in bin 0', () => {
    const X = { data: Float32Array.of(3, 1, NaN, 2, 3, 1), rows: 6, cols: 1 };
    const c = fitBinCuts(X, 255, 1);
    expect(Array.from(c.cuts)).toEqual([1, 2, 3]);
    expect(Array.from(binColumns(X, c))).toEqual([3, 1, 0, 2, 3, 1]);
  });

  it('makes about equal-count bins from quantiles and agrees with the threshold rule', () => {
    const rng = new Rng(1);
    const n = 20_000;
    // Column 0 continuous; column 1 with a heavy tie at 0 (70 %).
    const data = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      data[2 * i] = rng.normal();
      data[2 * i + 1] = rng.next() < 0.7 ? 0 : rng.next() * 100;
    }
    const X = { data, rows: n, cols: 2 };
    const c = fitBinCuts(X, 16, 1);
    const bins = binColumns(X, c);
    for (let f = 0; f < 2; f++) {
      const lo = c.cutStart[f];
      const nCuts = c.cutStart[f + 1] - lo;
      expect(nCuts).toBeLessThanOrEqual(16);
      expect(nCuts).toBeGreaterThanOrEqual(12);
      const counts = new Array<number>(nCuts + 1).fill(0);
      let mismatches = 0;
      for (let r = 0; r < n; r++) {
        const b = bins[f * n + r];
        counts[b]++;
        const x = data[2 * r + f];
        // "bin ≤ b" ⇔ "x ≤ cuts[b − 1]" for every split point b.
        for (let s = 1; s < nCuts; s++) if (b <= s !== x <= c.cuts[lo + s - 1]) mismatches++;
      }
      expect(mismatches).toBe(0);
      expect(counts[0]).toBe(0);
      if (f === 0) for (let b = 1; b <= nCuts; b++) expect(counts[b]).toBeLessThan((2.2 * n) / nCuts);
      else expect(counts[1]).toBeGreaterThan(0.69 * n); // the tie stays in one bin
    }
  });
});
