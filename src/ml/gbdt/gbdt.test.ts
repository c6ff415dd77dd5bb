import { describe, expect, it } from 'vitest';
import type { Matrix } from '../matrix.js';
import { accuracy } from '../metrics/classification.js';
import { Rng } from '../random.js';
import { GradientBoosting } from './model.js';

/** Three Gaussian blobs in 2-D, well apart: class = blob. */
function blobs(n: number, seed: number): { X: Matrix; y: number[] } {
  const rng = new Rng(seed);
  const centres = [
    [0, 0],
    [6, 0],
    [0, 6],
  ];
  const data = new Float32Array(n * 2);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    data[2 * i] = centres[c][0] + rng.normal();
    data[2 * i + 1] = centres[c][1] + rng.normal();
    y.push(c);
  }
  return { X: { data, rows: n, cols: 2 }, y };
}

/** x0 uniform in [0, 1), y = x0 > 0.5, plus a noise column; some rows of class `nanClass` lose x0. */
function withMissing(n: number, nanClass: number, seed: number): { X: Matrix; y: number[] } {
  const rng = new Rng(seed);
  const data = new Float32Array(n * 2);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = rng.next();
    const label = x > 0.5 ? 1 : 0;
    data[2 * i] = label === nanClass && rng.next() < 0.3 ? NaN : x;
    data[2 * i + 1] = rng.next();
    y.push(label);
  }
  return { X: { data, rows: n, cols: 2 }, y };
}

describe('GradientBoosting', () => {
  it('separates a binary fixture', () => {
    const { X, y } = blobs(300, 1);
    const yb = y.map((c) => (c === 1 ? 1 : 0));
    const m = new GradientBoosting({ nEstimators: 30 }).fit(X, yb);
    const p = m.predictProba(X);
    expect(p).toHaveLength(300);
    expect(
      accuracy(
        yb,
        Array.from(p, (v) => (v > 0.5 ? 1 : 0)),
      ),
    ).toBe(1);
    expect(m.bestIteration).toBe(29);
  });

  it('separates a multiclass fixture with K trees per round', () => {
    const { X, y } = blobs(300, 2);
    const m = new GradientBoosting({ objective: 'multiclass', nEstimators: 20 }).fit(X, y);
    const p = m.predictProba(X);
    expect(p).toHaveLength(900);
    let correct = 0;
    for (let i = 0; i < 300; i++) {
      const row = Array.from(p.subarray(3 * i, 3 * i + 3));
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      if (row.indexOf(Math.max(...row)) === y[i]) correct++;
    }
    expect(correct).toBe(300);
    expect(m.toJSON().numGroups).toBe(3);
    expect(Buffer.from(m.toJSON().trees.roots, 'base64').byteLength / 4).toBe(60);
  });

  it('stops early on a validation set and keeps the best rounds', () => {
    const rng = new Rng(3);
    const n = 400;
    const data = Float32Array.from({ length: n * 3 }, () => rng.next());
    const y = Array.from({ length: n }, (_, i) => (data[3 * i] + 0.6 * rng.next() > 0.8 ? 1 : 0));
    const train: Matrix = { data: data.subarray(0, 600), rows: 200, cols: 3 };
    const valid: Matrix = { data: data.subarray(600), rows: 200, cols: 3 };
    const opts = { nEstimators: 300, learningRate: 0.3, maxLeaves: 16, minChildWeight: 0 };
    const m = new GradientBoosting({ ...opts, earlyStoppingRounds: 5 }).fit(train, y.slice(0, 200), {
      validation: { X: valid, y: y.slice(200) },
    });
    expect(m.evalHistory.length).toBeLessThan(300);
    expect(m.evalHistory.length).toBe(m.bestIteration + 6);
    const best = Math.min(...m.evalHistory);
    expect(m.evalHistory[m.bestIteration]).toBe(best);
    // The kept model is exactly the model trained for bestIteration + 1 rounds.
    const short = new GradientBoosting({ ...opts, nEstimators: m.bestIteration + 1 }).fit(
      train,
      y.slice(0, 200),
    );
    expect(m.predictRaw(valid)).toEqual(short.predictRaw(valid));
  });

  it('treats a row of weight k as k copies of it', () => {
    const rng = new Rng(4);
    const n = 60;
    const rows: number[][] = [];
    const y: number[] = [];
    const w: number[] = [];
    for (let i = 0; i < n; i++) {
      rows.push([Math.round(rng.next() * 20), Math.round(rng.next() * 20)]);
      y.push(rng.next() < 0.4 ? 1 : 0);
      w.push(1 + rng.int(3));
    }
    const weighted: Matrix = { data: Float32Array.from(rows.flat()), rows: n, cols: 2 };
    const dupRows = rows.flatMap((r, i) => Array.from({ length: w[i] }, () => r));
    const dupY = y.flatMap((v, i) => Array.from({ length: w[i] }, () => v));
    const dup: Matrix = { data: Float32Array.from(dupRows.flat()), rows: dupRows.length, cols: 2 };
    const opts = { nEstimators: 5, maxLeaves: 6, learningRate: 0.5 };
    const a = new GradientBoosting(opts).fit(weighted, y, { sampleWeight: Float32Array.from(w) });
    const b = new GradientBoosting(opts).fit(dup, dupY);
    const unweighted = new GradientBoosting(opts).fit(weighted, y);
    const pa = a.predictRaw(weighted);
    const pb = b.predictRaw(weighted);
    for (let i = 0; i < n; i++) expect(pa[i]).toBeCloseTo(pb[i], 4);
    expect(Array.from(unweighted.predictRaw(weighted))).not.toEqual(Array.from(pa));
  });

  it('learns where missing values go', () => {
    const probe: Matrix = { data: Float32Array.of(NaN, 0.5), rows: 1, cols: 2 };
    for (const nanClass of [0, 1]) {
      const { X, y } = withMissing(600, nanClass, 5 + nanClass);
      const p = new GradientBoosting({ nEstimators: 30 }).fit(X, y).predictProba(probe)[0];
      if (nanClass === 1) expect(p).toBeGreaterThan(0.9);
      else expect(p).toBeLessThan(0.1);
    }
  });

  it('gives contributions that sum to the raw margin', () => {
    const { X, y } = withMissing(300, 1, 7);
    const bin = new GradientBoosting({ nEstimators: 15 }).fit(X, y);
    const c = bin.contributions(X);
    const raw = bin.predictRaw(X);
    expect(c).toHaveLength(300 * 3);
    for (let i = 0; i < 300; i++) expect(c[3 * i] + c[3 * i + 1] + c[3 * i + 2]).toBeCloseTo(raw[i], 4);
    // x0 carries the signal, the noise column far less.
    const imp = bin.featureImportance();
    expect(imp[0]).toBeGreaterThan(10 * imp[1]);

    const b = blobs(150, 8);
    const multi = new GradientBoosting({ objective: 'multiclass', nEstimators: 10 }).fit(b.X, b.y);
    const cm = multi.contributions(b.X);
    const rm = multi.predictRaw(b.X);
    expect(cm).toHaveLength(150 * 3 * 3);
    for (let i = 0; i < 150 * 3; i++) expect(cm[3 * i] + cm[3 * i + 1] + cm[3 * i + 2]).toBeCloseTo(rm[i], 4);
  });

  it('is reproducible with a seed under row and column subsampling', () => {
    const { X, y } = blobs(300, 9);
    const opts = { objective: 'multiclass' as const, nEstimators: 10, subsample: 0.7, colsampleByTree: 0.5 };
    const a = new GradientBoosting({ ...opts, seed: 1 }).fit(X, y).predictRaw(X);
    const b = new GradientBoosting({ ...opts, seed: 1 }).fit(X, y).predictRaw(X);
    const c = new GradientBoosting({ ...opts, seed: 2 }).fit(X, y).predictRaw(X);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});
