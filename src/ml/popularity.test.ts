import { describe, expect, it } from 'vitest';
import { Popularity, topK, type PopularityJson } from './popularity.js';

const events = {
  // item 0 added 3× in segment 0 / January; item 1 2× in segment 1 / June; item 2 once in segment 1 / June
  items: [0, 0, 0, 1, 1, 2],
  segments: [0, 0, 0, 1, 1, 1],
  months: [1, 1, 1, 6, 6, 6],
};

describe('Popularity', () => {
  it('global shares are addition frequencies', () => {
    const p = new Popularity({ mode: 'global' }).fit(events, 4, 2);
    expect(Array.from(p.scores())).toEqual([0.5, 2 / 6, 1 / 6, 0]);
    expect(Array.from(p.recommend(2, [0]))).toEqual([1, 2]);
  });

  it('segment shares shrink towards the global share', () => {
    const p = new Popularity({ mode: 'segment', smoothing: 3 }).fit(events, 4, 2);
    // segment 1: counts [0, 2, 1, 0], total 3; (c + 3·g) / 6
    const s = p.scores(1);
    expect(s[0]).toBeCloseTo((0 + 1.5) / 6, 12);
    expect(s[1]).toBeCloseTo((2 + 1) / 6, 12);
    expect(s[2]).toBeCloseTo((1 + 0.5) / 6, 12);
    const raw = new Popularity({ mode: 'segment', smoothing: 0 }).fit(events, 4, 2).scores(1);
    expect(Array.from(raw)).toEqual([0, 2 / 3, 1 / 3, 0]);
  });

  it('season lifts items added in that month', () => {
    const p = new Popularity({ mode: 'season', smoothing: 0 }).fit(events, 4, 2);
    expect(Array.from(p.recommend(3, [], -1, 6))).toEqual([1, 2, 0]);
    expect(Array.from(p.scores(-1, 6))).toEqual([0, 2 / 3, 1 / 3, 0]);
    expect(p.recommend(1, [], -1, 1)[0]).toBe(0);
  });

  it('round-trips through JSON and refuses foreign input', () => {
    const p = new Popularity().fit(events, 4, 2);
    const q = Popularity.fromJSON(JSON.parse(JSON.stringify(p.toJSON())) as PopularityJson);
    expect(Array.from(q.scores(1, 6))).toEqual(Array.from(p.scores(1, 6)));
    expect(() => Popularity.fromJSON({ ...p.toJSON(), version: 9 as 1 })).toThrow(/format 1/);
    expect(() => new Popularity().scores()).toThrow(/fit\(\) first/);
    expect(() => new Popularity().fit({ items: [5] }, 4)).toThrow(/items\[0\] = 5/);
  });

  it('topK breaks ties by index', () => {
    expect(Array.from(topK([1, 3, 3, -Infinity], 3))).toEqual([1, 2, 0]);
  });
});
