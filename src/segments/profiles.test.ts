import { describe, expect, it } from 'vitest';
import { profileSegments } from './profiles.js';
import { elbowK } from './kselect.js';

describe('profileSegments', () => {
  it('computes sizes, means, modes and lifts against the whole, and names segments by their strongest features', () => {
    const set = {
      columns: ['age', 'job'],
      rows: [
        [20, 'student'],
        [22, 'student'],
        [24, 'admin.'],
        [60, 'retired'],
        [70, 'retired'],
        [null, 'retired'],
      ],
    };
    const [young, old] = profileSegments(set, [0, 0, 0, 1, 1, 1], 2, {
      numeric: ['age'],
      categorical: ['job'],
    });
    expect(young.size).toBe(3);
    expect(young.share).toBe(0.5);
    expect(young.numeric[0].mean).toBe(22);
    expect(young.numeric[0].overall).toBe(39.2);
    expect(old.numeric[0].mean).toBe(65); // the missing age is ignored
    expect(old.categorical[0]).toMatchObject({ mode: 'retired', share: 1, overallShare: 0.5, lift: 2 });
    expect(young.name).toContain('low age');
    expect(old.name).toContain('high age');
    expect(old.distinguishing.map((d) => d.feature)).toContain('job=retired');
  });
});

describe('elbowK', () => {
  it('finds the knee of a curve that flattens after k = 4', () => {
    expect(elbowK([2, 3, 4, 5, 6, 7], [1000, 600, 200, 180, 165, 150])).toBe(4);
    expect(elbowK([2, 3], [10, 5])).toBeNull();
  });
});
