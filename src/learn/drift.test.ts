import { describe, expect, it } from 'vitest';
import { Rng } from '../ml/random.js';
import {
  buildReference,
  categoricalReference,
  numericReference,
  parseReference,
  psi,
  psiFromShares,
} from './drift.js';
import { DriftMonitor, setDriftGauges } from './drift-monitor.js';
import { createMetrics } from '../api/metrics.js';

/** Naive PSI: quantile edges by sorting, bins by linear scan, ε for empty bins, missing last. */
function naivePsi(reference: number[], recent: (number | null)[], bins: number): number {
  const sorted = reference.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const q = sorted[Math.ceil((i / bins) * sorted.length) - 1];
    if (q < sorted[sorted.length - 1] && !edges.includes(q)) edges.push(q);
  }
  const binOf = (x: number | null): number => {
    if (x === null || !Number.isFinite(x)) return edges.length + 1;
    for (let j = 0; j < edges.length; j++) if (x <= edges[j]) return j;
    return edges.length;
  };
  const share = (xs: (number | null)[]) => {
    const c = new Array<number>(edges.length + 2).fill(0);
    for (const x of xs) c[binOf(x)]++;
    return c.map((v) => v / xs.length);
  };
  const e = share(reference);
  const a = share(recent);
  let out = 0;
  for (let j = 0; j < e.length; j++) {
    const ej = e[j] === 0 ? 1e-4 : e[j];
    const aj = a[j] === 0 ? 1e-4 : a[j];
    out += (aj - ej) * Math.log(aj / ej);
  }
  return out;
}

describe('PSI', () => {
  it('matches hand-checked numbers on fixed data, empty bins included', () => {
    const ref = numericReference([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5);
    expect(ref.edges).toEqual([2, 4, 6, 8]);
    expect(ref.shares).toEqual([0.2, 0.2, 0.2, 0.2, 0.2, 0]);
    // Recent shares 0.4, 0.2, 0.1, 0 (empty: ε), 0.2, missing 0.1 (empty in the reference: ε).
    // 0.2·ln 2 + 0.1·ln 2 + 0.1999·ln(2000) + 0.0999·ln(1000) = 2.4174493
    expect(psi(ref, [1, 1, 1, 1, 3, 3, 5, 9, 9, null])).toBeCloseTo(2.4174493, 6);
    expect(psi(ref, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(0);

    const cat = categoricalReference(['a', 'a', 'b', 'c']);
    expect(cat).toEqual({
      type: 'categorical',
      categories: ['a', 'b', 'c'],
      shares: [0.5, 0.25, 0.25, 0, 0],
    });
    // 'd' is unseen → "other"; null → missing.
    expect(psi(cat, ['a', 'd', 'd', null])).toBeCloseTo(10.296719, 5);
    expect(psiFromShares([0.5, 0.5], [0.5, 0.5])).toBe(0);
    expect(() => psiFromShares([1], [0.5, 0.5])).toThrow(/1 reference bins vs 2/);
  });

  it('agrees with the naive implementation on seeded data with ties and missing values', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const reference = Array.from({ length: 500 + trial * 37 }, () =>
        rng.next() < 0.3 ? Math.floor(rng.next() * 4) : rng.normal() * 3,
      );
      const shift = trial / 10;
      const recent = Array.from({ length: 300 }, () => (rng.next() < 0.05 ? null : rng.normal() * 3 + shift));
      const bins = 5 + (trial % 6);
      expect(psi(numericReference(reference, bins), recent)).toBeCloseTo(
        naivePsi(reference, recent, bins),
        10,
      );
    }
  });

  it('builds references per feature and checks stored ones', () => {
    const records = Array.from({ length: 100 }, (_, i) => ({
      age: 20 + (i % 50),
      city: i % 3 === 0 ? 'Moscow' : 'Kazan',
      rare: i === 0 ? 1 : undefined,
      nested: { a: 1 },
    }));
    const ref = buildReference(records, { bins: 4 });
    expect(Object.keys(ref.features)).toEqual(['age', 'city']);
    expect(ref.features.age.type).toBe('numeric');
    expect(ref.features.city).toMatchObject({ type: 'categorical', categories: ['Kazan', 'Moscow'] });
    expect(parseReference(JSON.parse(JSON.stringify(ref)), 'x')).toEqual(ref);
    expect(() => parseReference({ kind: 'nope' }, 'reco:3')).toThrow(/reco:3: not a drift reference/);
  });

  it('a shifted stream raises the alert gauge, an unshifted one does not', async () => {
    const rng = new Rng(11);
    const training = Array.from({ length: 5000 }, () => ({
      income: Math.exp(rng.normal() * 0.5 + 10),
      segment: (['mass', 'mass', 'affluent'] as const)[rng.int(3)],
      score: rng.next() * 0.4,
    }));
    const reference = buildReference(training);
    const stream = (shift: number) => {
      const m = new DriftMonitor({
        model: 'm',
        modelVersion: 'm:1',
        reference,
        threshold: 0.2,
        window: 1000,
      });
      for (let i = 0; i < 3000; i++)
        m.observe({
          income: Math.exp(rng.normal() * 0.5 + 10 + shift),
          segment: (['mass', 'mass', 'affluent'] as const)[rng.int(3)],
          score: rng.next() * 0.4 + shift / 5,
        });
      return m.report();
    };
    const stable = stream(0);
    expect(stable.features.map((f) => f.n)).toEqual([1000, 1000, 1000]);
    expect(stable.maxPsi).toBeLessThan(0.05);
    expect(stable.alert).toBe(false);
    const shifted = stream(0.5);
    expect(shifted.features[0].psi).toBeGreaterThan(0.2);
    expect(shifted.alert).toBe(true);
    expect(shifted.features.find((f) => f.feature === 'segment')!.psi).toBeLessThan(0.05);

    const metrics = createMetrics();
    setDriftGauges(metrics, [
      { ...stable, model: 'stable' },
      { ...shifted, model: 'shifted' },
    ]);
    const text = await metrics.registry.metrics();
    expect(text).toContain('nextoffer_drift_alert{model="stable"} 0');
    expect(text).toContain('nextoffer_drift_alert{model="shifted"} 1');
    expect(text).toMatch(
      /nextoffer_drift_psi\{model="shifted",feature="income"\} 0\.[2-9]|nextoffer_drift_psi\{model="shifted",feature="income"\} [1-9]/,
    );
  });
});
