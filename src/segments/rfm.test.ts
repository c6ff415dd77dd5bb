import { describe, expect, it } from 'vitest';
import { quintileScores, rfmScores, rfmSegmentName, rfmSummary } from './rfm.js';

describe('RFM', () => {
  it('quintile scores by mid-rank: ten distinct values give two per score, ties share one', () => {
    const v = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(Array.from(quintileScores(v, true, 1))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(Array.from(quintileScores(v, false, 1))).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    const ties = Float64Array.from([0, 0, 0, 0, 0, 0, 5, 7, NaN, 9]);
    // Six zeros: mid-rank 3.5 of 9 present → 1 + ⌊5·3.5/9⌋ = 2.
    expect(Array.from(quintileScores(ties, true, 1))).toEqual([2, 2, 2, 2, 2, 2, 4, 5, 1, 5]);
  });

  it('names segments by the ordered map', () => {
    expect(rfmSegmentName(5, 5, 5)).toBe('Champions');
    expect(rfmSegmentName(5, 5, 1)).toBe('Loyal');
    expect(rfmSegmentName(1, 4, 2)).toBe('At risk');
    expect(rfmSegmentName(2, 1, 1)).toBe('Hibernating');
    expect(rfmSegmentName(1, 1, 3)).toBe('Lost');
    expect(rfmSegmentName(1, 5, 5)).toBe('Cannot lose them');
  });

  it('scores a small activity table and summarises it', () => {
    const set = {
      columns: ['months', 'tx', 'salary', 'deposit'],
      rows: Array.from({ length: 10 }, (_, i) => [i + 1, 10 - i, 1000 * (10 - i), i % 2 ? null : 50]),
    };
    const cols = { recency: 'months', frequency: 'tx', monetary: ['salary', 'deposit'] };
    const s = rfmScores(set, cols);
    expect(s.r[0]).toBe(5);
    expect(s.f[0]).toBe(5);
    expect(s.segment[0]).toBe('Champions');
    expect(s.segment[9]).toBe('Lost');
    const summary = rfmSummary(set, cols, s);
    expect(summary.reduce((a, r) => a + r.clients, 0)).toBe(10);
    const champions = summary.find((r) => r.segment === 'Champions');
    // Rows 0..3 score ≥ 4 on all three.
    expect(champions?.meanMonetary).toBe((10050 + 9000 + 8050 + 7000) / 4);
  });
});
