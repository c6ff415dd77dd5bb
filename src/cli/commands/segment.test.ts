import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config.js';
import { tempDir } from '../../data/ingest/fixtures.test-util.js';
import { Rng } from '../../ml/random.js';
import { SegmentModel } from '../../segments/model.js';
import { openArtifactStore } from '../../store/artifacts.js';
import { openDatabase } from '../../store/db.js';
import { ModelRegistry } from '../../store/registry.js';
import { Runs } from '../../store/runs.js';
import { runCli } from '../run-cli.test-util.js';

const run = runCli;

/** A small `;`-separated bank-style file: three well-separated groups of clients. */
function writeFixture(file: string): void {
  const rng = new Rng(1);
  const lines = ['"age";"job";"housing";"loan";"balance"'];
  for (let i = 0; i < 300; i++) {
    const g = i % 3;
    const job = ['student', 'technician', 'retired'][g];
    const age = [22, 40, 68][g] + rng.int(5);
    lines.push(`${age};"${job}";"${g === 1 ? 'yes' : 'no'}";"no";${[100, 2000, 5000][g] + rng.int(50)}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

describe('nextoffer segment', () => {
  afterEach(() => vi.restoreAllMocks());

  it('segments a CSV, prints JSON, records the run and registers a model the API can load', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'clients.csv');
    writeFixture(file);
    const { code, out, err } = await run(
      'segment',
      '--input',
      file,
      '--k',
      'auto',
      '--k-range',
      '2-4',
      '--json',
      '--data-dir',
      dir,
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(out) as {
      k: number;
      format: string;
      sizes: number[];
      silhouette: number;
      rules: string[];
      classifier_accuracy: number;
      k_selection: { k: number }[];
      saved: string;
    };
    expect(r.format).toBe('generic');
    expect(r.k).toBe(3);
    expect(r.sizes).toEqual([100, 100, 100]);
    expect(r.silhouette).toBeGreaterThan(0.5);
    expect(r.k_selection.map((s) => s.k)).toEqual([2, 3, 4]);
    expect(r.classifier_accuracy).toBe(1);
    expect(r.saved).toMatch(/saved model segments v1/);

    const config = loadConfig({ NEXTOFFER_DATA_DIR: dir });
    const db = await openDatabase(config);
    const artifacts = openArtifactStore(config);
    try {
      const registry = new ModelRegistry(db, artifacts);
      const live = await registry.promoted('segments');
      expect(live?.metrics.k).toBe(3);
      const model = SegmentModel.fromBytes(await registry.load('segments'));
      const a = model.assign({ age: 70, job: 'retired', housing: 'no', loan: 'no', balance: 5010 });
      const b = model.assign({ age: 23, job: 'student', housing: 'no', loan: 'no', balance: 120 });
      expect(a.segment).not.toBe(b.segment);
      expect(a.path.length).toBeGreaterThan(0);
      const [segRun] = await new Runs(db).list({ kind: 'segment' });
      expect(segRun.status).toBe('succeeded');
      expect(segRun.artifacts).toEqual([live?.artifactKey, `${live?.artifactKey}.report.json`]);
    } finally {
      await artifacts.close();
      await db.close();
    }
  });

  it('rejects a bad format, k or feature list with a clear error', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'clients.csv');
    writeFixture(file);
    const bad = await run('segment', '--input', file, '--format', 'xml', '--no-save');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--format "xml"/);
    const badK = await run('segment', '--input', file, '--k', 'many', '--no-save');
    expect(badK.err).toMatch(/--k "many"/);
    const badF = await run('segment', '--input', file, '--features', 'age,salary', '--no-save');
    expect(badF.err).toMatch(/no column "salary"/);
  });
});
