/** `nextoffer retrain`, `nextoffer models compare` and `nextoffer drift` on a data directory. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli/run-cli.test-util.js';
import { loadConfig } from '../config.js';
import { tempDir } from '../data/ingest/fixtures.test-util.js';
import { Rng } from '../ml/random.js';
import { openDatabase } from '../store/db.js';
import { OfferLog, type OfferToSave } from '../store/offers.js';

const FEATURES = (rng: Rng, shift = 0) => ({
  gender: rng.bernoulli(0.5) ? 1 : 0,
  age: Math.round(20 + rng.next() * 40 + shift),
});

/** Offers of an experiment with exactly `successes` of `trials` marked success per arm. */
function offers(rng: Rng, arm: 'champion' | 'challenger', trials: number, from: number): OfferToSave[] {
  return Array.from({ length: trials }, (_, i) => ({
    client_id: from + i,
    product: 'DC',
    channel: 'PUSH',
    text: 'text',
    elements: [i % 2 === 0 ? 'cta.short.0' : 'cta.short.1'],
    features: FEATURES(rng),
    confidence: 0.15,
    arm,
    model_version: arm === 'challenger' ? 'offers-confidence:1' : null,
    experiment: 'offers-confidence:1',
  }));
}

describe('learning loop CLI', () => {
  afterEach(() => vi.restoreAllMocks());

  it('retrains a challenger, compares the arms with a z-test, promotes, and reports drift', async () => {
    const dir = await tempDir();
    const db = await openDatabase(loadConfig({ NEXTOFFER_DATA_DIR: dir }));
    const log = new OfferLog(db);
    const rng = new Rng(7);
    // 200 outcomes per arm: the champion converts 40 (20 %), the challenger 70 (35 %).
    for (const [arm, wins, from] of [
      ['champion', 40, 1],
      ['challenger', 70, 1001],
    ] as const) {
      const ids = await log.save(offers(rng, arm, 200, from));
      for (let i = 0; i < ids.length; i++) await log.mark(ids[i], i < wins ? 'success' : 'failure');
    }
    await db.close();

    const retrain = await runCli('retrain', '--what', 'confidence', '--data-dir', dir, '--json');
    expect(retrain.code).toBe(0);
    expect(JSON.parse(retrain.out)).toEqual([
      expect.objectContaining({ model: 'offers-confidence', status: 'registered', version: 1 }),
    ]);
    const again = await runCli('retrain', '--what', 'confidence', '--data-dir', dir);
    expect(again.out).toMatch(/offers-confidence: skipped — no new outcomes since v1 \(400\)/);
    const bad = await runCli('retrain', '--what', 'everything', '--data-dir', dir);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/ARGUMENT_INVALID.*--what "everything": must be confidence, reco or all/);
    const noData = await runCli('retrain', '--what', 'reco', '--data-dir', dir);
    expect(noData.err).toMatch(/DATASET_NOT_FOUND/);

    const text = await runCli(
      'models',
      'compare',
      'offers-confidence',
      '--min-outcomes',
      '100',
      '--data-dir',
      dir,
    );
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/champion\s+200\s+200\s+40\s+20\.00%/);
    expect(text.out).toMatch(/challenger\s+200\s+200\s+70\s+35\.00%/);
    // pooled 0.275, se 0.044651, z = 0.15 / se = 3.359, p = 0.000781
    expect(text.out).toMatch(/z = 3\.359, p = 0\.000781/);
    expect(text.out).toMatch(/verdict: challenger-wins$/m);
    const json = await runCli(
      'models',
      'compare',
      'offers-confidence',
      '--min-outcomes',
      '100',
      '--promote',
      '--data-dir',
      dir,
      '--json',
    );
    const report = JSON.parse(json.out) as { promoted: boolean; comparison: { pValue: number; z: number } };
    expect(report.promoted).toBe(true);
    expect(report.comparison.z).toBeCloseTo(3.3593551, 5);
    expect(report.comparison.pValue).toBeCloseTo(0.00078125, 6);
    const list = await runCli('models', 'list', '--name', 'offers-confidence', '--data-dir', dir);
    expect(list.out).toMatch(/^\* offers-confidence v1/m);
    // Promoted: the experiment is over (not running); with a larger minimum it would not have won.
    const tooFew = await runCli(
      'models',
      'compare',
      'offers-confidence',
      '--min-outcomes',
      '500',
      '--data-dir',
      dir,
    );
    expect(tooFew.out).toMatch(/^offers-confidence: experiment offers-confidence:1$/m);
    expect(tooFew.out).toMatch(/verdict: too-few-outcomes/);

    const same = path.join(dir, 'same.json');
    const shifted = path.join(dir, 'shifted.json');
    const r2 = new Rng(8);
    writeFileSync(same, JSON.stringify(Array.from({ length: 400 }, () => FEATURES(r2))));
    writeFileSync(shifted, JSON.stringify(Array.from({ length: 400 }, () => FEATURES(r2, 30))));
    const calm = await runCli(
      'drift',
      '--model',
      'offers-confidence',
      '--input',
      same,
      '--data-dir',
      dir,
      '--json',
    );
    const calmReport = JSON.parse(calm.out) as {
      alert: boolean;
      features: { feature: string; psi: number }[];
    };
    expect(calmReport.alert).toBe(false);
    expect(calmReport.features.map((f) => f.feature).sort()).toEqual(['age', 'gender']);
    const moved = await runCli(
      'drift',
      '--model',
      'offers-confidence',
      '--input',
      shifted,
      '--data-dir',
      dir,
    );
    expect(moved.out).toMatch(/age\s+PSI \d+\.\d{4}\s+ALERT/);
    expect(moved.out).toMatch(/drift alert: max PSI/);
  });
});
