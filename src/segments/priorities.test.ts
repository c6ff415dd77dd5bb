import { describe, expect, it } from 'vitest';
import { SANTANDER_PRODUCTS } from '../data/santander-schema.js';
import { Rng } from '../ml/random.js';
import { churnLabels } from './churn.js';
import { selectK } from './kselect.js';
import { splitPanel, withProductCount } from './load.js';
import { percentileRanks, segmentPriorities, valueScores } from './priorities.js';

describe('priorities', () => {
  it('percentile ranks share mid-ranks on ties and score missing values 0', () => {
    expect(Array.from(percentileRanks(Float64Array.from([10, 20, 20, 30, NaN])))).toEqual([
      0, 0.5, 0.5, 1, 0,
    ]);
  });

  it('ranks segments by mean risk × mean value', () => {
    const set = { columns: ['income'], rows: [[1], [2], [3], [4]] };
    const value = valueScores(set, ['income', 'absent']);
    expect(Array.from(value ?? [])).toEqual([0, 1 / 3, 2 / 3, 1]);
    const risk = Float64Array.from([0.9, 0.9, 0.1, 0.2]);
    const p = segmentPriorities([0, 0, 1, 1], ['low value', 'high value'], value, risk);
    expect(p[0].value).toBeCloseTo(1 / 6, 12);
    expect(p[0].churnRisk).toBeCloseTo(0.9, 12);
    expect(p[1].priority).toBeCloseTo((5 / 6) * 0.15, 12);
    expect(p.map((s) => s.rank)).toEqual([1, 2]); // 0.15 vs 0.125
    expect(valueScores(set, ['absent'])).toBeNull();
  });
});

describe('Santander panels', () => {
  const columns = ['fecha_dato', 'ncodpers', 'ind_actividad_cliente', ...SANTANDER_PRODUCTS];
  const row = (month: string, id: number, active: number, products: number[]) => [
    month,
    id,
    active,
    ...SANTANDER_PRODUCTS.map((_, j) => (products.includes(j) ? 1 : 0)),
  ];

  it('labels churn: a dropped product, turning inactive or leaving; not adding a product', () => {
    const set = {
      columns,
      rows: [
        row('2016-03-28', 1, 1, [2, 5]),
        row('2016-04-28', 1, 1, [2]), // dropped product 5
        row('2016-03-28', 2, 1, [2]),
        row('2016-04-28', 2, 0, [2]), // inactive
        row('2016-03-28', 3, 1, [2]), // gone
        row('2016-03-28', 4, 0, [2]),
        row('2016-04-28', 4, 1, [2, 7]), // added only
      ],
    };
    const { latest, previous, month } = splitPanel(set);
    expect(month).toBe('2016-04-28');
    expect(latest.rows).toHaveLength(3);
    expect(Array.from(churnLabels(previous ?? latest, latest))).toEqual([1, 1, 1, 0]);
    const counted = withProductCount(latest);
    expect(counted.rows.map((r) => r[counted.columns.indexOf('n_products')])).toEqual([1, 1, 2]);
  });
});

describe('selectK', () => {
  it('recommends the number of well-separated blobs and explains why', () => {
    const rng = new Rng(3);
    const n = 900;
    const data = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const c = i % 3;
      data[i * 2] = c * 10 + rng.normal();
      data[i * 2 + 1] = (c % 2) * 10 + rng.normal();
    }
    const sel = selectK({ data, rows: n, cols: 2 }, [2, 3, 4, 5], { seed: 0, nInit: 3 });
    expect(sel.recommended).toBe(3);
    expect(sel.table.map((t) => t.k)).toEqual([2, 3, 4, 5]);
    expect(sel.reason).toMatch(/k = 3 has the highest silhouette/);
    expect(() => selectK({ data, rows: n, cols: 2 }, [1], {})).toThrow(/no k/);
  });
});
