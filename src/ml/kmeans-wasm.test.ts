import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KMeans, meanVariance } from './kmeans.js';
import { KMeansKernel } from './kmeans-wasm.js';
import { fromRows, type Matrix } from './matrix.js';
import { Rng } from './random.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Gaussian blobs around `k` random centres spread over ±spread·k, unit noise. */
function blobs(n: number, d: number, k: number, seed: number, spread: number): { X: Matrix } {
  const rng = new Rng(seed);
  const centres = Array.from({ length: k * d }, () => (rng.next() - 0.5) * 2 * spread * k);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c * d + j] + rng.normal();
  }
  return { X: { data, rows: n, cols: d } };
}

function fitBoth(X: Matrix, k: number, algorithm: 'hamerly' | 'lloyd', init: number[]) {
  const opts = { k, init, algorithm, tol: 0, maxIter: 300 };
  return [new KMeans({ ...opts, wasm: true }).fit(X), new KMeans({ ...opts, wasm: false }).fit(X)];
}

describe('k-means WebAssembly kernel', () => {
  it('is available here and gives the JavaScript path’s labels, centres and inertia', () => {
    // More rows than one kernel call takes, odd column count, k not a multiple of the lane padding.
    const { X } = blobs(40_000, 7, 11, 4, 0.6); // heavily overlapping: many reassignments
    expect(KMeansKernel.create(X, 11)).not.toBeNull();
    const init = Array.from(X.data.subarray(0, 11 * 7));
    for (const algorithm of ['hamerly', 'lloyd'] as const) {
      const [w, js] = fitBoth(X, 11, algorithm, init);
      expect(w.nIter).toBe(js.nIter);
      expect(w.nIter).toBeGreaterThan(5);
      expect(Array.from(w.labels)).toEqual(Array.from(js.labels));
      Array.from(w.centres).forEach((v, i) => expect(v).toBeCloseTo(js.centres[i], 9));
      expect(Math.abs(w.inertia - js.inertia) / js.inertia).toBeLessThan(1e-12);
    }
  });

  it('stays exact when centres far from the origin lose precision in float32', () => {
    // An offset of 1e5 leaves float32 centres ~0.004 off: the kernel's slack and float64 tie check must cover it.
    const { X } = blobs(5000, 4, 5, 8, 0.3);
    for (let i = 0; i < X.data.length; i++) X.data[i] += 1e5;
    const init = Array.from(X.data.subarray(0, 5 * 4));
    const [w, js] = fitBoth(X, 5, 'hamerly', init);
    expect(Array.from(w.labels)).toEqual(Array.from(js.labels));
    expect(w.inertia).toBeCloseTo(js.inertia, 3);
  });

  it('relocates an empty cluster to the farthest row as the JavaScript path does', () => {
    const { X } = blobs(30_000, 6, 4, 12, 5);
    // The third centre is far from every row: its cluster is empty after the first pass.
    const init = [...X.data.subarray(0, 6), ...X.data.subarray(6, 12), 1e4, 1e4, 1e4, 1e4, 1e4, 1e4];
    for (const algorithm of ['hamerly', 'lloyd'] as const) {
      const [w, js] = fitBoth(X, 3, algorithm, init);
      expect(Math.max(...Array.from(w.centres))).toBeLessThan(1e3); // the far centre was moved
      expect(new Set(w.labels).size).toBe(3);
      expect(Array.from(w.labels)).toEqual(Array.from(js.labels));
      Array.from(w.centres).forEach((v, i) => expect(v).toBeCloseTo(js.centres[i], 9));
    }
  });

  it('breaks an exact tie towards the lower centre index, like the JavaScript path', () => {
    // Row 1 (x = 0) is equidistant from both initial centres; −1.5 and 1.5 are exact in float32.
    const X = fromRows([[-2], [0], [2], [2]]);
    for (const wasm of [true, false]) {
      const km = new KMeans({ k: 2, init: [-1.5, 1.5], algorithm: 'lloyd', maxIter: 1, tol: 0, wasm }).fit(X);
      // First pass: labels 0,0,1,1 → centres −1 and 2; the row at 0 stays with −1.
      expect(Array.from(km.labels)).toEqual([0, 0, 1, 1]);
      expect(Array.from(km.centres)).toEqual([-1, 2]);
      expect(km.inertia).toBeCloseTo(2, 12);
    }
  });

  it('computes the tolerance scale as the JavaScript pass does and handles k = 1', () => {
    const { X } = blobs(20_000, 3, 4, 2, 10);
    const kernel = KMeansKernel.create(X, 1);
    expect(kernel).not.toBeNull();
    expect(kernel?.meanVariance()).toBeCloseTo(meanVariance(X), 8);
    const km = new KMeans({ k: 1, init: [0, 0, 0], algorithm: 'hamerly' }).fit(X);
    const mean = [0, 1, 2].map((j) => {
      let s = 0;
      for (let i = 0; i < X.rows; i++) s += X.data[i * 3 + j];
      return s / X.rows;
    });
    Array.from(km.centres).forEach((v, j) => expect(v).toBeCloseTo(mean[j], 6));
    expect(new Set(km.labels).size).toBe(1);
  });

  it('embeds bytes compiled from the current AssemblyScript source', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/build-wasm.mjs'), '--check'], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);
});
