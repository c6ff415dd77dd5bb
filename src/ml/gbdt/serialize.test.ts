import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import type { Matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { GradientBoosting } from './model.js';

function fixture(n: number, seed: number): { X: Matrix; y: number[] } {
  const rng = new Rng(seed);
  const data = Float32Array.from({ length: n * 4 }, () => (rng.next() < 0.1 ? NaN : rng.normal()));
  const y = Array.from({ length: n }, (_, i) => ((data[4 * i] || 0) + (data[4 * i + 2] || 0) > 0 ? 1 : 0));
  return { X: { data, rows: n, cols: 4 }, y };
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('GradientBoosting save/load', () => {
  it('round-trips through JSON text with identical predictions', () => {
    const { X, y } = fixture(400, 1);
    const m = new GradientBoosting({ nEstimators: 20, subsample: 0.8 }).fit(X, y, {
      featureNames: ['a', 'b', 'c', 'd'],
    });
    const text = JSON.stringify(m.toJSON());
    const back = GradientBoosting.fromJSON(JSON.parse(text));
    expect(back.predictRaw(X)).toEqual(m.predictRaw(X));
    expect(back.predictProba(X)).toEqual(m.predictProba(X));
    expect(back.contributions(X)).toEqual(m.contributions(X));
    expect(back.featureImportance()).toEqual(m.featureImportance());
    expect(back.featureNames).toEqual(['a', 'b', 'c', 'd']);
    expect(back.bestIteration).toBe(19);

    const labels = y.map((v, i) => (v + (i % 3 === 0 ? 1 : 0)) % 3);
    const mc = new GradientBoosting({ objective: 'multiclass', nEstimators: 5 }).fit(X, labels);
    const mcBack = GradientBoosting.fromJSON(JSON.parse(JSON.stringify(mc)));
    expect(mcBack.predictProba(X)).toEqual(mc.predictProba(X));
  });

  it('checks kind, version and the tree arrays on load', () => {
    const { X, y } = fixture(100, 2);
    const json = new GradientBoosting({ nEstimators: 3 }).fit(X, y).toJSON();
    expect(code(() => GradientBoosting.fromJSON({ ...json, kind: 'kmeans' }))).toMatch(
      /ARGUMENT_INVALID.*kind/,
    );
    expect(code(() => GradientBoosting.fromJSON({ ...json, version: 2 }))).toMatch(/version 2/);
    expect(code(() => GradientBoosting.fromJSON(null))).toMatch(/expected an object/);
    const trees = { ...json.trees, value: Buffer.from([1, 2, 3]).toString('base64') };
    expect(code(() => GradientBoosting.fromJSON({ ...json, trees }))).toMatch(/trees.value/);
  });
});

describe('GradientBoosting input checks', () => {
  const { X, y } = fixture(50, 3);
  const fit =
    (opts: object, yy: ArrayLike<number> = y, run: object = {}) =>
    () =>
      new GradientBoosting(opts).fit(X, yy, run);

  it('rejects bad options', () => {
    expect(code(fit({ maxBins: 256 }))).toMatch(/ARGUMENT_INVALID: gbdt option maxBins/);
    expect(code(fit({ learningRate: 0 }))).toMatch(/learningRate/);
    expect(code(fit({ subsample: 1.5 }))).toMatch(/subsample/);
    expect(code(fit({ maxLeaves: 1 }))).toMatch(/maxLeaves/);
    expect(code(fit({ objective: 'regression' }))).toMatch(/objective/);
    expect(code(fit({ maxLeafs: 8 }))).toMatch(/maxLeafs: unknown option/);
  });

  it('rejects bad labels, weights and shapes', () => {
    expect(code(fit({}, y.slice(1)))).toMatch(/y: 49 labels for 50 rows/);
    expect(
      code(
        fit(
          {},
          y.map((v) => v * 2),
        ),
      ),
    ).toMatch(/y\[\d+\]: binary labels must be 0 or 1, got 2/);
    expect(code(fit({ objective: 'multiclass', numClasses: 2 }, [...y.slice(1), 2]))).toMatch(
      /y\[49\].*\[0, 1\]/,
    );
    expect(code(fit({ objective: 'multiclass' }, [...y.slice(1), 1.5]))).toMatch(/got 1.5/);
    const w = new Float32Array(50).fill(1);
    w[7] = NaN;
    expect(code(fit({}, y, { sampleWeight: w }))).toMatch(/sampleWeight\[7\]: weights must be finite/);
    expect(code(fit({}, y, { sampleWeight: new Float32Array(50) }))).toMatch(/at least one weight/);
    expect(code(fit({}, y, { featureNames: ['a'] }))).toMatch(/featureNames: 1 names for 4 columns/);
    const bad: Matrix = { data: new Float32Array(10), rows: 3, cols: 4 };
    expect(code(() => new GradientBoosting().fit(bad, [0, 1, 0]))).toMatch(/X: data has 10 values/);
    const inf = { ...X, data: X.data.slice() };
    inf.data[5] = Infinity;
    expect(code(() => new GradientBoosting().fit(inf, y))).toMatch(/row 1 column 1 is infinite/);
    const valid = { X: { data: new Float32Array(6), rows: 2, cols: 3 }, y: [0, 1] };
    expect(code(fit({}, y, { validation: valid }))).toMatch(/validation.X: has 3 columns/);
  });

  it('refuses to predict before fit or on the wrong width', () => {
    expect(code(() => new GradientBoosting().predictProba(X))).toMatch(/^NOT_FITTED/);
    expect(code(() => new GradientBoosting().toJSON())).toMatch(/^NOT_FITTED/);
    const m = new GradientBoosting({ nEstimators: 2 }).fit(X, y);
    expect(code(() => m.predictRaw({ data: new Float32Array(6), rows: 2, cols: 3 }))).toMatch(/fitted on 4/);
  });
});
