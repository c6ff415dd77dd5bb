import { describe, expect, it } from 'vitest';
import { accuracy, brierScore, logLoss, multiLogLoss, reliabilityTable, rocAuc } from './classification.js';

describe('rocAuc', () => {
  it('counts correctly ordered positive/negative pairs (hand-computed)', () => {
    // positives at 0.8, 0.4; negatives at 0.6, 0.2 → pairs (0.8>0.6)(0.8>0.2)(0.4<0.6)(0.4>0.2) = 3/4
    expect(rocAuc([1, 0, 1, 0], [0.8, 0.6, 0.4, 0.2])).toBeCloseTo(0.75, 12);
  });
  it('gives ties half credit', () => {
    expect(rocAuc([1, 0], [0.5, 0.5])).toBeCloseTo(0.5, 12);
    // positive 0.5 ties one negative and beats another → (0.5 + 1) / 2
    expect(rocAuc([1, 0, 0], [0.5, 0.5, 0.1])).toBeCloseTo(0.75, 12);
  });
  it('matches a brute-force pair count on random data', () => {
    const labels: number[] = [];
    const scores: number[] = [];
    for (let i = 0; i < 300; i++) {
      labels.push((i * 7) % 3 === 0 ? 1 : 0);
      scores.push(((i * 37) % 101) / 101);
    }
    let good = 0;
    let pairs = 0;
    for (let i = 0; i < 300; i++) {
      for (let j = 0; j < 300; j++) {
        if (labels[i] !== 1 || labels[j] === 1) continue;
        pairs++;
        good += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      }
    }
    expect(rocAuc(labels, scores)).toBeCloseTo(good / pairs, 12);
  });
  it('is NaN with one class', () => {
    expect(rocAuc([1, 1], [0.1, 0.2])).toBeNaN();
  });
});

describe('losses and accuracy', () => {
  it('logLoss on hand-computed values', () => {
    expect(logLoss([1, 0], [0.8, 0.4])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
  });
  it('multiLogLoss picks the true-class probability', () => {
    expect(multiLogLoss([2, 0], [0.1, 0.2, 0.7, 0.5, 0.25, 0.25], 3)).toBeCloseTo(
      -(Math.log(0.7) + Math.log(0.5)) / 2,
      12,
    );
  });
  it('brierScore and accuracy', () => {
    expect(brierScore([1, 0], [0.8, 0.4])).toBeCloseTo((0.04 + 0.16) / 2, 12);
    expect(accuracy([1, 2, 3, 4], [1, 2, 0, 4])).toBe(0.75);
  });
  it('reliabilityTable bins predictions and observed rates', () => {
    const t = reliabilityTable([1, 0, 1, 1], [0.05, 0.08, 0.91, 0.95], 10);
    expect(t).toHaveLength(2);
    expect(t[0]).toMatchObject({ count: 2, observedRate: 0.5 });
    expect(t[0].meanPredicted).toBeCloseTo(0.065, 12);
    expect(t[1]).toMatchObject({ count: 2, observedRate: 1 });
  });
});
