import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../offers/catalog.js';
import { arbitrate, factors, fmt, leverOf } from './arbitration.js';
import { parsePolicyText } from './policy.js';

const catalog = loadCatalog();
const policy = parsePolicyText(
  `format: nextoffer-policy
version: t
groups:
  deposits: [DEPOSIT, SAVE_ACC]
arbitration:
  margins:
    CREDIT_CARD: 9
  levers:
    - products: [group:deposits]
      weight: 1.5
      from: 2026-12-01
      to: 2026-12-31
    - products: [DEPOSIT]
      weight: 2
    - products: [OMS]
      weight: 0
`,
  catalog,
  'test.yaml',
);

describe('arbitration: final score = propensity × value × lever', () => {
  it('takes the value from the catalog margin, the policy margins, else 1', () => {
    // ПК: margin 18 in the shipped catalog.
    expect(factors(catalog, policy, 'ПК', 0.1, '2026-11-21')).toMatchObject({
      value: 18,
      valueSource: 'margin',
      lever: 1,
      score: 0.1 * 18,
    });
    expect(factors(catalog, policy, 'ind_tjcr_fin_ult1', 0.2, '2026-11-21')).toMatchObject({
      value: 9,
      valueSource: 'policy',
      score: 0.2 * 9,
    });
    expect(factors(catalog, policy, 'ind_recibo_ult1', 0.3, '2026-11-21')).toMatchObject({
      value: 1,
      valueSource: 'default',
      score: 0.3,
    });
  });

  it('multiplies the levers whose inclusive date window contains the day', () => {
    expect(leverOf(policy, 'DEPOSIT', '2026-11-30')).toEqual({ lever: 2, levers: ['arbitration.levers[1]'] });
    expect(leverOf(policy, 'DEPOSIT', '2026-12-01')).toEqual({
      lever: 3,
      levers: ['arbitration.levers[0]', 'arbitration.levers[1]'],
    });
    expect(leverOf(policy, 'SAVE_ACC', '2026-12-31').lever).toBe(1.5);
    expect(leverOf(policy, 'SAVE_ACC', '2027-01-01').lever).toBe(1);
  });

  it('re-ranks by the final score with the factors in the reason codes; a zero lever excludes', () => {
    const items = [
      { product: 'ind_recibo_ult1', score: 0.5, reasons: ['LAG1_OWNS_CTA_CTE'] }, // 0.5 × 1 × 1 = 0.5
      { product: 'DEPOSIT', score: 0.1, reasons: [] }, // 0.1 × 4 × 1.5 × 2 = 1.2 (December)
      { product: 'ПК', score: 0.05, reasons: [] }, // 0.05 × 18 = 0.9
      { product: 'OMS', score: 0.9, reasons: [] }, // lever 0: excluded
    ];
    const r = arbitrate(items, catalog, policy, '2026-12-15');
    expect(r.items.map((i) => i.product)).toEqual(['DEPOSIT', 'ПК', 'ind_recibo_ult1']);
    expect(r.items[0].score).toBeCloseTo(1.2, 12);
    expect(r.items[1].score).toBeCloseTo(0.9, 12);
    expect(r.items[0].reasons).toEqual([
      'propensity=0.1',
      'value:margin=4',
      'lever:arbitration.levers[0]=1.5',
      'lever:arbitration.levers[1]=2',
    ]);
    expect(r.items[2].reasons).toEqual([
      'LAG1_OWNS_CTA_CTE',
      'propensity=0.5',
      'value:default=1',
      'lever:none=1',
    ]);
    expect(r.excluded).toEqual([
      { product: 'OMS', rule: 'LEVER_ZERO', reason: 'lever weight 0 today (arbitration.levers[2])' },
    ]);
    // In November the deposit lever is off: 0.1 × 4 × 2 = 0.8 < 0.9.
    expect(arbitrate(items, catalog, policy, '2026-11-15').items.map((i) => i.product)).toEqual([
      'ПК',
      'DEPOSIT',
      'ind_recibo_ult1',
    ]);
    expect(fmt(0.123456)).toBe('0.1235');
  });
});
