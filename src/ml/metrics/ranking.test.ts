import { describe, expect, it } from 'vitest';
import {
  averagePrecisionAtK,
  coverage,
  f1,
  mapAtK,
  ndcgAtK,
  novelty,
  precisionAtK,
  recallAtK,
} from './ranking.js';

describe('ranking metrics (hand-computed)', () => {
  it('AP@k follows the Kaggle definition', () => {
    // hits at ranks 1 and 3: (1/1 + 2/3) / min(2, 7)
    expect(averagePrecisionAtK([5, 9], [5, 1, 9, 2], 7)).toBeCloseTo((1 + 2 / 3) / 2, 12);
    // one relevant item found at rank 2: (1/2) / 1
    expect(averagePrecisionAtK([4], [0, 4, 1], 7)).toBeCloseTo(0.5, 12);
    // hit beyond k does not count
    expect(averagePrecisionAtK([4], [0, 1, 4], 2)).toBe(0);
    // more relevant items than k: divide by k
    expect(averagePrecisionAtK([0, 1, 2], [0, 1], 2)).toBe(1);
    expect(averagePrecisionAtK([], [0, 1], 7)).toBe(0);
  });

  it('MAP@k averages users, non-adders count 0', () => {
    const v = mapAtK([[1], [2], []], [[1, 0], [0, 2], [3]], 7);
    expect(v).toBeCloseTo((1 + 0.5 + 0) / 3, 12);
  });

  it('NDCG@k with binary gains', () => {
    // hit at ranks 1 and 3 of 2 relevant: (1 + 1/log2 4) / (1 + 1/log2 3)
    expect(ndcgAtK([5, 9], [5, 1, 9], 3)).toBeCloseTo((1 + 0.5) / (1 + 1 / Math.log2(3)), 12);
    expect(ndcgAtK([7], [1, 2, 3], 3)).toBe(0);
  });

  it('precision, recall, F1', () => {
    expect(precisionAtK([1, 2, 3], [1, 4, 2, 5], 4)).toBe(0.5);
    expect(recallAtK([1, 2, 3], [1, 4, 2, 5], 4)).toBeCloseTo(2 / 3, 12);
    expect(f1(0.5, 2 / 3)).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3), 12);
    expect(f1(0, 0)).toBe(0);
  });

  it('coverage and novelty', () => {
    expect(
      coverage(
        [
          [0, 1],
          [1, 2],
        ],
        10,
        2,
      ),
    ).toBeCloseTo(0.3, 12);
    expect(
      coverage(
        [
          [0, 1],
          [1, 2],
        ],
        10,
        1,
      ),
    ).toBeCloseTo(0.2, 12);
    // items with popularity 0.5 and 0.25: mean of 1 and 2 bits
    expect(novelty([[0, 1]], [0.5, 0.25], 2)).toBeCloseTo(1.5, 12);
  });

  it('rejects a bad k and mismatched lists', () => {
    expect(() => averagePrecisionAtK([1], [1], 0)).toThrow(/k: must be/);
    expect(() => mapAtK([[1]], [], 7)).toThrow(/1 actual lists but 0/);
  });
});
