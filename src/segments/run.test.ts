import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { columnIndices } from '../ml/preprocessing/columns.js';
import { loadSegmentInput } from './load.js';
import { SegmentModel } from './model.js';
import { runSegmentation } from './run.js';

const DATA = '../shared/data';
const UCI = `${DATA}/uci-bank-marketing/bank-additional-full.csv`;
const YAKUTIA = `${DATA}/gazprombank/Dataset_Yakutia.xlsx`;

describe.skipIf(!existsSync(UCI))('segmentation of UCI bank marketing (job, housing, loan)', () => {
  it('reaches silhouette ≥ 0.63 at k = 4 and the rule tree assigns holdout clients with accuracy ≥ 0.99', async () => {
    const input = await loadSegmentInput(UCI, 'auto', { dataDir: '/nonexistent' });
    expect(input.format).toBe('bank');
    const { report, model } = runSegmentation(input, { features: ['job', 'housing', 'loan'], k: 4, seed: 0 });
    expect(report.rows).toBe(41188);
    expect(report.silhouette_exact).toBe(true);
    expect(report.silhouette).toBeGreaterThanOrEqual(0.63);
    expect(report.classifier_accuracy).toBeGreaterThanOrEqual(0.99);
    expect(report.sizes.reduce((a, b) => a + b, 0)).toBe(41188);
    expect(report.rules.length).toBeGreaterThan(3);
    expect(report.rules.join('\n')).toMatch(/job (∈|∉|=)/);
    console.log(report.rules.join('\n'));

    // The saved model assigns exactly as the fitted one, and as the tree predicts.
    const loaded = SegmentModel.fromBytes(model.toBytes());
    const [ji, hi, li] = columnIndices(input.set, ['job', 'housing', 'loan']);
    for (const r of input.set.rows.slice(0, 2000)) {
      const rec = { job: r[ji], housing: r[hi], loan: r[li] };
      const a = model.assign(rec);
      expect(loaded.assign(rec)).toEqual(a);
      expect(a.segment).toBe(
        model.tree.predict({ data: model.featureRow(rec), rows: 1, cols: model.featureRow(rec).length })[0],
      );
    }
    // 'unknown' is UCI's missing value: it is treated as the most frequent category.
    const unknown = model.assign({ job: 'unknown', housing: 'yes', loan: 'no' });
    expect(unknown).toEqual(model.assign({ job: 'admin.', housing: 'yes', loan: 'no' }));
    expect(unknown.path.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!existsSync(YAKUTIA))('segmentation of the Yakutia activity table', () => {
  it('runs end to end with RFM and k-means and compares with super_clust', async () => {
    const input = await loadSegmentInput(YAKUTIA, 'auto', { dataDir: '/nonexistent' });
    expect(input.format).toBe('yakutia');
    const { report, model } = runSegmentation(input, {
      k: 'auto',
      kRange: [3, 4, 5, 6],
      seed: 1,
      gbdt: true,
    });
    expect(report.rows).toBe(1000);
    expect(report.k_selection.map((r) => r.k)).toEqual([3, 4, 5, 6]);
    expect(report.k).toBe(report.k_selection.reduce((a, b) => (b.silhouette > a.silhouette ? b : a)).k);
    expect(report.rfm?.summary.reduce((s, r) => s + r.clients, 0)).toBe(1000);
    expect(report.rfm?.summary.map((r) => r.segment)).toContain('Champions');
    const ari = report.reference?.adjusted_rand_index ?? NaN;
    expect(ari).toBeGreaterThan(-0.5);
    expect(ari).toBeLessThanOrEqual(1);
    expect(report.priorities.filter((p) => p.rank !== null)).toHaveLength(report.k);
    expect(report.classifier_accuracy).toBeGreaterThan(0.7);
    expect(report.gbdt_accuracy).toBeGreaterThan(0.7);
    expect(report.projection.points.length).toBe(500);
    // Fractional ages and NULL cells reach the model as numbers and missing values.
    const a = model.assign({ age: 52.68, gender: '0', cnt_tr_all_3m: 201, sum_zp_12m: null });
    expect(a.segment).toBeGreaterThanOrEqual(0);
    expect(a.segment).toBeLessThan(report.k);
  });
});
