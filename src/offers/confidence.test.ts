import { describe, expect, it } from 'vitest';
import { Rng } from '../ml/random.js';
import { loadCatalog } from './catalog.js';
import { ConfidenceModel, FeatureEncoder, priorOf, type TrainingExample } from './confidence.js';
import { clientProfile } from './features.js';

const catalog = loadCatalog();

function examples(n: number, seed: number): TrainingExample[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const vehicle = rng.bernoulli(0.3);
    const elements = ['greet.none', rng.bernoulli(0.5) ? 'hook.vehicle.1' : 'hook.none', 'cta.short.1'];
    // Vehicle owners convert on AUTO at 0.4, everyone else at 0.05.
    const p = vehicle ? 0.4 : 0.05;
    return {
      features: { app_vehicle_ind: vehicle ? '1' : '0', gender: rng.bernoulli(0.5) ? '1' : '0' },
      product: 'AUTO',
      channel: 'PUSH',
      elements,
      prior: 0.03,
      success: rng.bernoulli(p),
    };
  });
}

describe('confidence model', () => {
  it('uses the catalog popularity or the given score as the prior, clamped', () => {
    const dc = catalog.products.find((p) => p.code === 'DC')!;
    expect(priorOf(dc)).toBe(0.15);
    expect(priorOf(dc, 0.4)).toBe(0.4);
    expect(priorOf(dc, 0)).toBe(0.001);
    expect(() => priorOf(dc, 1.5)).toThrow(/probability/);
  });

  it('encodes one indicator per known phrase id and ignores unknown ones', () => {
    const enc = new FeatureEncoder(['A', 'B'], ['SMS'], ['cta.1', 'hook.x']);
    const out = new Float32Array(enc.width);
    enc.encode(clientProfile({ gender: '1' }), 'B', 'SMS', ['hook.x', 'never.seen'], 0.5, out);
    expect(Array.from(out.slice(-5))).toEqual([0, 1, 1, 0, 1]);
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(1);
  });

  it('learns a real effect, is calibrated on average, and round-trips through JSON', () => {
    const train = examples(3000, 1);
    const model = ConfidenceModel.fit(train, catalog, { seed: 2 });
    const owner = model.predict(
      clientProfile({ app_vehicle_ind: '1' }),
      'AUTO',
      'PUSH',
      ['greet.none', 'hook.none'],
      0.03,
    );
    const other = model.predict(
      clientProfile({ app_vehicle_ind: '0' }),
      'AUTO',
      'PUSH',
      ['greet.none', 'hook.none'],
      0.03,
    );
    expect(owner).toBeGreaterThan(0.3);
    expect(owner).toBeLessThan(0.5);
    expect(other).toBeLessThan(0.1);
    expect(model.report.rocAuc).toBeGreaterThan(0.7);
    const rate = train.filter((e) => e.success).length / train.length;
    const weighted = model.report.reliability.reduce(
      (s, b) => s + b.count * (b.meanPredicted - b.observedRate),
      0,
    );
    expect(Math.abs(weighted / model.report.evaluatedOn)).toBeLessThan(0.03);
    expect(model.report.baseRate).toBeCloseTo(rate, 1);
    const back = ConfidenceModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(
      back.predict(
        clientProfile({ app_vehicle_ind: '1' }),
        'AUTO',
        'PUSH',
        ['greet.none', 'hook.none'],
        0.03,
      ),
    ).toBe(owner);
    expect(back.elementStats).toEqual(model.elementStats);
  });

  it('refuses too little feedback and foreign files', () => {
    expect(() => ConfidenceModel.fit(examples(5, 1), catalog)).toThrow(/only 5 outcomes/);
    expect(() => ConfidenceModel.fromJSON({ kind: 'x' })).toThrow(/not an offer-confidence model/);
    const json = ConfidenceModel.fit(examples(50, 1), catalog).toJSON();
    expect(() => ConfidenceModel.fromJSON({ ...json, version: 2 })).toThrow(/version 2/);
    expect(() => ConfidenceModel.fromJSON({ ...json, elements: [] })).toThrow(/coefficients/);
  });
});
