import { describe, expect, it } from 'vitest';
import { compareArms, fisherExact, normalCdf, twoProportionZ } from './significance.js';

describe('significance', () => {
  it('normal CDF matches tabulated values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6);
    expect(normalCdf(-3)).toBeCloseTo(0.0013499, 6);
  });

  it('two-proportion z-test matches hand-computed values', () => {
    // 200/1000 vs 250/1000: pooled 0.225, se = sqrt(0.225·0.775·0.002) = 0.018675, z = 2.6774.
    const r = twoProportionZ({ trials: 1000, successes: 200 }, { trials: 1000, successes: 250 });
    expect(r.z).toBeCloseTo(2.6773978, 5);
    expect(r.pValue).toBeCloseTo(0.0074196, 5);
    // 30/300 vs 45/300: z = 1.8516, p = 0.0641; the sign follows the second arm.
    const s = twoProportionZ({ trials: 300, successes: 45 }, { trials: 300, successes: 30 });
    expect(s.z).toBeCloseTo(-1.8516402, 5);
    expect(s.pValue).toBeCloseTo(0.0640775, 5);
  });

  it("Fisher's exact test matches known tables", () => {
    // Lady tasting tea: [[3,1],[1,3]] → 0.4857; [[1,9],[11,3]] → 0.002759; [[0,5],[5,0]] → 0.007937.
    expect(fisherExact({ trials: 4, successes: 3 }, { trials: 4, successes: 1 })).toBeCloseTo(0.4857143, 6);
    expect(fisherExact({ trials: 10, successes: 1 }, { trials: 14, successes: 11 })).toBeCloseTo(
      0.0027595,
      6,
    );
    expect(fisherExact({ trials: 5, successes: 0 }, { trials: 5, successes: 5 })).toBeCloseTo(0.0079365, 6);
  });

  it('gives verdicts by confidence, direction and sample size', () => {
    const champion = { trials: 1000, successes: 200 };
    const challenger = { trials: 1000, successes: 250 };
    expect(compareArms(champion, challenger, { confidence: 0.95 })).toMatchObject({
      test: 'z',
      verdict: 'challenger-wins',
      difference: expect.closeTo(0.05, 12) as number,
    });
    expect(compareArms(champion, challenger, { confidence: 0.999 }).verdict).toBe('no-difference');
    expect(compareArms(challenger, champion, { confidence: 0.95 }).verdict).toBe('champion-wins');
    expect(compareArms(champion, challenger, { confidence: 0.95, minTrials: 2000 }).verdict).toBe(
      'too-few-outcomes',
    );
    const small = compareArms({ trials: 5, successes: 0 }, { trials: 5, successes: 5 }, { confidence: 0.95 });
    expect(small.test).toBe('fisher');
    expect(small.pValue).toBeCloseTo(0.0079365, 6);
    expect(small.verdict).toBe('challenger-wins');
    expect(compareArms({ trials: 0, successes: 0 }, challenger, { confidence: 0.95 }).verdict).toBe(
      'too-few-outcomes',
    );
    expect(() => compareArms(champion, { trials: 1, successes: 2 }, { confidence: 0.95 })).toThrow(
      /2 successes exceed 1 trials/,
    );
    expect(() => compareArms(champion, challenger, { confidence: 1 })).toThrow(/confidence/);
  });
});
