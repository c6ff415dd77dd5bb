/** A seeded quality bound on real data: UCI Bank Marketing (bank-full, without `duration`). */
import { describe, expect, it } from 'vitest';
import { loadBank, splitRows } from '../../../bench/data/uci-bank.js';
import { takeRows } from '../matrix.js';
import { logLoss, rocAuc } from '../metrics/classification.js';
import { GradientBoosting } from './model.js';

describe('GradientBoosting on UCI bank-full', () => {
  it('reaches ROC-AUC ≥ 0.785 on a seeded 70/30 split', () => {
    const d = loadBank();
    const { train, test } = splitRows(d.X.rows, 0.7, 1);
    const yTrain = Array.from(train, (i) => d.y[i]);
    const yTest = Array.from(test, (i) => d.y[i]);
    const Xtest = takeRows(d.X, test);
    const m = new GradientBoosting({ nEstimators: 200, learningRate: 0.05, maxLeaves: 31, seed: 1 }).fit(
      takeRows(d.X, train),
      yTrain,
      { featureNames: d.featureNames },
    );
    const p = m.predictProba(Xtest);
    expect(rocAuc(yTest, p)).toBeGreaterThanOrEqual(0.785);
    // Better than the base rate alone.
    const rate = yTrain.reduce((s, v) => s + v, 0) / yTrain.length;
    expect(logLoss(yTest, p)).toBeLessThan(logLoss(yTest, new Float32Array(p.length).fill(rate)) - 0.03);
    const imp = m.featureImportance();
    const top = d.featureNames[imp.indexOf(Math.max(...imp))];
    expect(['poutcome', 'month', 'contact', 'day', 'age', 'housing', 'pdays']).toContain(top);
  });
});
