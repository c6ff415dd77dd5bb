import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeSantanderCsv } from '../data/generate/write.js';
import { tempDir } from '../data/ingest/fixtures.test-util.js';
import { runCli } from './run-cli.test-util.js';

const run = runCli;

describe('recommendation CLI on a small generated panel', () => {
  let panel = '';
  let dataDir = '';
  beforeAll(async () => {
    const dir = await tempDir();
    panel = path.join(dir, 'panel.csv');
    dataDir = path.join(dir, 'data');
    await writeSantanderCsv(panel, { customers: 2000, months: 7, seed: 3 });
  }, 60_000);
  afterEach(() => vi.restoreAllMocks());

  it('evaluate --json prints the metrics and records the run', async () => {
    const r = await run(
      'evaluate',
      '--panel',
      panel,
      '--target-month',
      '2015-07-28',
      '--model',
      'gbdt',
      '--json',
      '--data-dir',
      dataDir,
    );
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.out) as Record<string, number | string>;
    for (const k of [
      'model',
      'map7',
      'map7_kaggle',
      'ndcg3',
      'precision7',
      'recall7',
      'f1',
      'roc_auc',
      'coverage',
      'novelty',
      'train_seconds',
      'test_clients',
      'test_adders',
    ])
      expect(m).toHaveProperty(k);
    expect(m.model).toBe('gbdt');
    expect(m.test_adders as number).toBeGreaterThan(20);
    expect(m.test_clients as number).toBeGreaterThan(m.test_adders as number);
    // Kaggle MAP counts non-adders as 0: it is MAP over adders times the share of adders.
    expect(m.map7_kaggle as number).toBeCloseTo(
      ((m.map7 as number) * (m.test_adders as number)) / (m.test_clients as number),
      10,
    );
    // Synthetic additions are predictable: the ranker must beat chance by far.
    expect(m.map7 as number).toBeGreaterThan(0.4);
    expect(r.err).toContain('evaluate: training ranker');
    const runs = await run('runs', 'list', '--json', '--data-dir', dataDir);
    const list = JSON.parse(runs.out) as {
      id: string;
      kind: string;
      status: string;
      metrics: Record<string, number>;
      dataFingerprint: string;
    }[];
    expect(list[0]).toMatchObject({ kind: 'evaluate', status: 'succeeded' });
    expect(list[0].metrics.map7).toBeCloseTo(m.map7 as number, 12);
    expect(list[0].dataFingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  }, 60_000);

  it('rejects a target month outside the panel and a bad model name', async () => {
    const late = await run(
      'evaluate',
      '--panel',
      panel,
      '--target-month',
      '2016-07-28',
      '--json',
      '--data-dir',
      dataDir,
    );
    expect(late.code).toBe(2);
    expect(late.err).toMatch(/target month 2016-07-28/);
    const bad = await run('evaluate', '--panel', panel, '--target-month', '2015-07-28', '--model', 'magic');
    expect(bad.err).toMatch(/--model "magic"/);
  }, 60_000);
});
