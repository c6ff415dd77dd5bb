import { describe, expect, it } from 'vitest';
import { ArmRouter, armOf, bucketOf, type HeldModel } from './arms.js';

describe('arm assignment', () => {
  it('honours the share within a binomial bound over 100k ids, stably', () => {
    for (const share of [0.1, 0.5]) {
      let challenger = 0;
      for (let id = 0; id < 100_000; id++)
        if (armOf('offers-confidence', id, share) === 'challenger') challenger++;
      // 4 standard deviations of Binomial(100000, share).
      const sd = Math.sqrt(100_000 * share * (1 - share));
      expect(Math.abs(challenger - 100_000 * share)).toBeLessThan(4 * sd);
    }
    for (const id of [0, 1, 42, 123456789, 'abc']) {
      expect(armOf('reco', id, 0.3)).toBe(armOf('reco', id, 0.3));
      expect(bucketOf('reco', id)).toBe(bucketOf('reco', String(id)));
    }
    // A client in the challenger arm at share s stays there when s grows.
    for (let id = 0; id < 1000; id++)
      if (armOf('reco', id, 0.1) === 'challenger') expect(armOf('reco', id, 0.2)).toBe('challenger');
    expect(armOf('reco', 5, 0)).toBe('champion');
    expect(armOf('reco', 5, 1)).toBe('challenger');
  });

  it('routes to the challenger only while an unpromoted newer version is held', () => {
    let champion: HeldModel<string> | null = { version: '1', model: 'm1' };
    let challenger: HeldModel<string> | null = null;
    const router = new ArmRouter(
      'offers-confidence',
      { champion: () => champion, challenger: () => challenger, label: (v) => `offers-confidence:${v}` },
      0.5,
    );
    expect(router.experiment()).toBeNull();
    expect(router.choose(7)).toEqual({
      arm: 'champion',
      model: 'm1',
      modelVersion: 'offers-confidence:1',
      experiment: null,
    });
    challenger = { version: '2', model: 'm2' };
    const arms = new Map<number, string>();
    for (let id = 0; id < 200; id++) {
      const c = router.choose(id);
      expect(c.experiment).toBe('offers-confidence:2');
      expect(c.model).toBe(c.arm === 'challenger' ? 'm2' : 'm1');
      expect(c.arm).toBe(armOf('offers-confidence', id, 0.5));
      arms.set(id, c.arm);
    }
    expect([...arms.values()].filter((a) => a === 'challenger').length).toBeGreaterThan(70);
    // Promoted: the champion holds the same version, the experiment ends.
    champion = { version: '2', model: 'm2' };
    expect(router.experiment()).toBeNull();
    expect(router.choose(3).arm).toBe('champion');
    expect(
      () => new ArmRouter('x', { champion: () => null, challenger: () => null, label: String }, 1.5),
    ).toThrow(/must be in 0..1/);
  });
});
