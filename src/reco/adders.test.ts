/**
 * Seeded bound on real data: predicting the products 13,763 Santander clients added in 2016-05
 * from their 2015-12 .. 2016-04 history (`../shared/data/santander/santander_adders_dev.csv`).
 * References on the same data and protocol: popularity 0.657, a Kaggle-standard XGBoost 0.847.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED } from '../data/ingest/fixtures.test-util.js';
import { evaluatePanel } from './evaluate-panel.js';
import { DEFAULT_FIT_OPTIONS } from './fit.js';

const FILE = path.join(SHARED, 'santander_adders_dev.csv');

describe('MAP@7 on the Santander 2016-05 adders', () => {
  it('the default hybrid model reaches MAP@7 ≥ 0.87 and beats popularity by far', async () => {
    const r = await evaluatePanel(FILE, '2016-05-28', DEFAULT_FIT_OPTIONS, { threads: 1 });
    expect(r.test_clients).toBe(13_763);
    expect(r.test_adders).toBe(13_763);
    expect(r.map7).toBeGreaterThanOrEqual(0.87);
    expect(r.roc_auc).toBeGreaterThan(0.97);
    const pop = await evaluatePanel(
      FILE,
      '2016-05-28',
      { ...DEFAULT_FIT_OPTIONS, model: 'popularity' },
      { threads: 1 },
    );
    expect(pop.map7).toBeCloseTo(0.657, 3);
  }, 120_000);
});
