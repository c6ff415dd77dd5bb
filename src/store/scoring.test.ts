/** The batch-scoring repository on embedded PGlite; the same SQL runs on PostgreSQL in test/batch-score.redis.test.ts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRunId, planShards, shardJobId } from '../batch/plan.js';
import { openPglite } from './db-pglite.js';
import type { Database } from './db.js';
import { migrate } from './migrate.js';
import { getPrecomputed } from './precomputed.js';
import { ScoringStore, type ScoredClient, type ScoringRunSpec } from './scoring.js';

const SPEC: ScoringRunSpec = {
  id: 'night-1',
  modelName: 'reco',
  modelVersion: 3,
  k: 2,
  shardSize: 2,
  shards: 2,
  clients: 3,
  mode: 'in-process',
};

const scored = (id: number, a: string, b: string, reason = "client's payroll"): ScoredClient => ({
  clientId: id,
  source: 'model',
  items: [
    { product: a, score: 0.9, reasons: [reason] },
    { product: b, score: 0.4, reasons: [] },
  ],
});

describe('planShards and run ids', () => {
  it('cuts consecutive shards and derives stable ids', () => {
    expect(planShards([5, 6, 7, 8, 9], 2)).toEqual([
      { index: 0, clients: [5, 6] },
      { index: 1, clients: [7, 8] },
      { index: 2, clients: [9] },
    ]);
    expect(() => planShards([1], 0)).toThrow(/shard size/);
    const ids = Int32Array.of(1, 2, 3);
    const id = defaultRunId('reco', 3, 7, 1000, ids);
    expect(id).toMatch(/^reco-v3-k7-[0-9a-f]{12}$/);
    expect(defaultRunId('reco', 3, 7, 1000, Int32Array.of(1, 2, 3))).toBe(id);
    expect(defaultRunId('reco', 3, 7, 1000, Int32Array.of(1, 2, 4))).not.toBe(id);
    expect(defaultRunId('reco', 4, 7, 1000, ids)).not.toBe(id);
    expect(shardJobId(id, 12)).toBe(`${id}.s12`);
  });
});

describe('ScoringStore (PGlite)', () => {
  let db: Database;
  let store: ScoringStore;
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    store = new ScoringStore(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it('creates a run once; a rerun with other parameters is a conflict', async () => {
    expect((await store.createRun(SPEC)).created).toBe(true);
    const again = await store.createRun(SPEC);
    expect(again.created).toBe(false);
    expect(again.run).toMatchObject({ id: 'night-1', modelVersion: 3, k: 2, shards: 2, finishedAt: null });
    await expect(store.createRun({ ...SPEC, k: 3 })).rejects.toThrow(/exists with other parameters/);
    await expect(store.progress('missing')).rejects.toThrow(/no scoring run "missing"/);
  });

  it('a shard written twice leaves one ranked set per client; the last shard finishes the run', async () => {
    await store.writeShard({
      runId: 'night-1',
      shard: 0,
      worker: 'a',
      attempt: 1,
      seconds: 0.5,
      clients: [scored(1, 'P1', 'P2'), scored(2, 'P3', 'P4')],
    });
    // A retried shard (another worker took it over) replaces the rows of its clients.
    await store.writeShard({
      runId: 'night-1',
      shard: 0,
      worker: 'b',
      attempt: 2,
      seconds: 0.25,
      clients: [scored(1, 'P2', 'P1'), scored(2, 'P3', 'P4')],
    });
    expect(await store.progress('night-1')).toMatchObject({ shardsDone: 1, clientsDone: 2 });
    expect((await store.getRun('night-1')).finishedAt).toBeNull();
    await expect(store.publish('night-1', 'cli')).rejects.toThrow(/not finished/);
    await store.writeShard({
      runId: 'night-1',
      shard: 1,
      worker: 'b',
      attempt: 1,
      seconds: 0.1,
      clients: [scored(3, 'P5', 'P6')],
    });
    const rows = await db.query<{ client_id: number; rank: number; product: string; reasons: string[] }>(
      'select client_id, rank, product, reasons from scoring_results order by client_id, rank',
    );
    expect(rows.map((r) => `${r.client_id}:${r.rank}:${r.product}`)).toEqual([
      '1:1:P2',
      '1:2:P1',
      '2:1:P3',
      '2:2:P4',
      '3:1:P5',
      '3:2:P6',
    ]);
    expect(rows[0].reasons).toEqual(["client's payroll"]);
    const shards = await db.query<{ shard: number; worker: string; attempt: number }>(
      'select shard, worker, attempt from scoring_shards order by shard',
    );
    expect(shards).toEqual([
      { shard: 0, worker: 'b', attempt: 2 },
      { shard: 1, worker: 'b', attempt: 1 },
    ]);
    expect((await store.getRun('night-1')).finishedAt).toBeInstanceOf(Date);
    expect(await store.doneShards('night-1')).toEqual(new Set([0, 1]));
  });

  it('publishes a finished run as the precomputed recommendations', async () => {
    expect(await store.publish('night-1', 'cli')).toMatchObject({ rows: 6, clients: 3 });
    expect(await getPrecomputed(db, '1', 7)).toEqual([
      { product: 'P2', score: 0.9, reasons: ["client's payroll"] },
      { product: 'P1', score: 0.4, reasons: [] },
    ]);
    const [load] = await db.query<{ format: string; rows: number }>(
      'select format, rows from precomputed_loads order by id desc limit 1',
    );
    expect(load).toEqual({ format: 'batch', rows: 6 });
    expect((await store.listRuns())[0].publishedAt).toBeInstanceOf(Date);
  });
});
