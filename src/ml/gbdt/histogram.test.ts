import { describe, expect, it } from 'vitest';
import { Rng } from '../random.js';
import { buildHistogram, subtractHistogram } from './histogram.js';
import { buildSparseRows } from './sparse-rows.js';

/** Random column-major bins for `cols` features of `nb` bins each (bin 0 = missing, skewed to bin 1). */
function fixture(n: number, cols: number, nb: number, seed: number) {
  const rng = new Rng(seed);
  const bins = new Uint8Array(n * cols);
  for (let i = 0; i < bins.length; i++) bins[i] = rng.next() < 0.6 ? 1 : rng.int(nb);
  const binStart = Int32Array.from({ length: cols + 1 }, (_, f) => f * nb);
  const gh = Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 ? rng.next() : rng.normal()));
  return { bins, binStart, gh };
}

describe('row-wise histograms', () => {
  for (const [cols, nb, width] of [
    [20, 16, 'Uint16Array'],
    [300, 256, 'Uint32Array'],
  ] as const) {
    it(`equal naive sums per (feature, bin) with ${width} slots, and subtract to the sibling`, () => {
      const n = 500;
      const { bins, binStart, gh } = fixture(n, cols, nb, cols);
      const sp = buildSparseRows(bins, n, binStart);
      expect(sp.slots.constructor.name).toBe(width);
      const features = Int32Array.from({ length: cols }, (_, i) => i);
      // A node: the rows with an even bin on feature 0; its sibling: the others.
      const node = [...Array(n).keys()].filter((r) => bins[r] % 2 === 0);
      const rest = [...Array(n).keys()].filter((r) => bins[r] % 2 === 1);
      const all = Uint32Array.from([...node, ...rest]);
      const sum = (rows: number[], off: number) => rows.reduce((s, r) => s + gh[2 * r + off], 0);
      const size = 2 * binStart[cols];
      const hNode = new Float64Array(size);
      buildHistogram(
        sp,
        binStart,
        features,
        cols,
        all,
        0,
        node.length,
        gh,
        sum(node, 0),
        sum(node, 1),
        hNode,
      );
      const hAll = new Float64Array(size);
      buildHistogram(sp, binStart, features, cols, all, 0, n, gh, sum([...all], 0), sum([...all], 1), hAll);
      subtractHistogram(hAll, hNode, binStart, features, cols);
      for (const [rows, hist] of [
        [node, hNode],
        [rest, hAll],
      ] as const) {
        let worst = 0;
        for (let f = 0; f < cols; f++) {
          for (let b = 0; b < nb; b++) {
            const inBin = rows.filter((r) => bins[f * n + r] === b);
            worst = Math.max(worst, Math.abs(hist[2 * (binStart[f] + b)] - sum(inBin, 0)));
            worst = Math.max(worst, Math.abs(hist[2 * (binStart[f] + b) + 1] - sum(inBin, 1)));
          }
        }
        expect(worst).toBeLessThan(1e-9);
      }
    });
  }
});
