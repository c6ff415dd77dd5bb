/**
 * `score --all` without Redis (in-process) on a small generated dataset with embedded PGlite:
 * every client scored once with the same answer as `recommend`, a rerun does nothing, status,
 * list and publish, and the argument checks.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli/run-cli.test-util.js';
import { writeSantanderCsv } from '../data/generate/write.js';
import { tempDir } from '../data/ingest/fixtures.test-util.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../store/db.js';

describe('score --all in-process (no NEXTOFFER_REDIS_URL)', () => {
  let dataDir = '';
  beforeAll(async () => {
    vi.stubEnv('NEXTOFFER_REDIS_URL', '');
    vi.stubEnv('DATABASE_URL', '');
    const dir = await tempDir();
    const panel = path.join(dir, 'panel.csv');
    dataDir = path.join(dir, 'data');
    await writeSantanderCsv(panel, { customers: 1500, months: 2, seed: 4 });
    expect((await runCli('ingest', panel, '--data-dir', dataDir, '--json')).code).toBe(0);
    const trained = await runCli(
      'train',
      '--model',
      'popularity',
      '--train-months',
      '1',
      '--quiet',
      '--data-dir',
      dataDir,
    );
    expect(trained.code).toBe(0);
  }, 60_000);
  afterAll(() => vi.unstubAllEnvs());

  it('scores every client once, as `recommend` does, and a rerun does nothing', async () => {
    const first = await runCli(
      'score',
      '--all',
      '--k',
      '3',
      '--shard-size',
      '400',
      '--data-dir',
      dataDir,
      '--json',
    );
    expect(first.code).toBe(0);
    const s = JSON.parse(first.out) as Record<string, number | string | boolean>;
    expect(s).toMatchObject({
      mode: 'in-process',
      created: true,
      k: 3,
      clients: 1500,
      shards: 4,
      finished: true,
    });
    expect(s.run).toMatch(/^reco-v1-k3-[0-9a-f]{12}$/);

    const db = await openDatabase(loadConfig({ NEXTOFFER_DATA_DIR: dataDir }));
    let totals: { rows: number; clients: number };
    let stored: { client_id: number; product: string; score: number }[];
    try {
      [totals] = await db.query<{ rows: number; clients: number }>(
        'select count(*) as rows, count(distinct client_id) as clients from scoring_results',
      );
      stored = await db.query<{ client_id: number; product: string; score: number }>(
        `select client_id, product, score from scoring_results
          where client_id = (select min(client_id) from scoring_results) order by rank`,
      );
    } finally {
      await db.close();
    }
    expect(totals).toEqual({ rows: 4500, clients: 1500 });
    const client = String(stored[0].client_id);
    const rec = await runCli('recommend', '--client', client, '--k', '3', '--data-dir', dataDir, '--json');
    const items = (JSON.parse(rec.out) as { items: { product: string; score: number }[] }).items;
    expect(stored.map((r) => r.product)).toEqual(items.map((i) => i.product));
    stored.forEach((r, i) => expect(r.score).toBeCloseTo(items[i].score, 6));

    const again = await runCli(
      'score',
      '--all',
      '--k',
      '3',
      '--shard-size',
      '400',
      '--data-dir',
      dataDir,
      '--json',
    );
    expect(JSON.parse(again.out)).toMatchObject({
      run: s.run,
      created: false,
      shards_skipped: 4,
      shards_done: 4,
    });
    const status = await runCli('score', '--status', String(s.run), '--data-dir', dataDir);
    expect(status.out).toBe(`${String(s.run)}: 4/4 shards, 1500/1500 clients — finished\n`);
    const list = await runCli('score', '--list', '--data-dir', dataDir);
    expect(list.out).toContain(
      `${String(s.run)}  reco v1 k3  1500 clients in 4 shards  in-process  finished`,
    );
    const pub = await runCli('score', '--publish', String(s.run), '--data-dir', dataDir, '--json');
    expect(JSON.parse(pub.out)).toMatchObject({ rows: 4500, clients: 1500 });
  }, 60_000);

  it('rejects bad arguments and a worker without Redis', async () => {
    const both = await runCli('score', '--all', '--list', '--data-dir', dataDir);
    expect(both.err).toContain('give exactly one of --all, --status RUN, --list, --publish RUN');
    const k = await runCli('score', '--all', '--k', '30', '--data-dir', dataDir);
    expect(k.err).toContain('--k 30: at most 24 products');
    const run = await runCli('score', '--all', '--run', 'bad id!', '--data-dir', dataDir);
    expect(run.err).toContain('--run "bad id!"');
    const clash = await runCli(
      'score',
      '--all',
      '--k',
      '4',
      '--shard-size',
      '400',
      '--run',
      'fixed',
      '--data-dir',
      dataDir,
    );
    expect(clash.code).toBe(0);
    const other = await runCli(
      'score',
      '--all',
      '--k',
      '5',
      '--shard-size',
      '400',
      '--run',
      'fixed',
      '--data-dir',
      dataDir,
    );
    expect(other.err).toContain('scoring run fixed exists with other parameters');
    const missing = await runCli('score', '--status', 'nope', '--data-dir', dataDir);
    expect(missing.err).toContain('no scoring run "nope"');
    const worker = await runCli('worker', '--data-dir', dataDir);
    expect(worker.err).toContain('NEXTOFFER_REDIS_URL is not set');
  }, 60_000);
});
