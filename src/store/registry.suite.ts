/**
 * Tests of the runs repository and the model registry, part of the database contract
 * (`db.suite.ts`): they run on PGlite and on PostgreSQL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsArtifactStore } from './artifacts-fs.js';
import type { Database } from './db.js';
import { expectAppError } from './db.suite.js';
import { migrate } from './migrate.js';
import { ModelRegistry, promotionStack } from './registry.js';
import { Runs, compareRuns, type RunRecord, type RunSink } from './runs.js';

export function defineRegistryTests(getDb: () => Database): void {
  describe('experiment runs', () => {
    let runs: Runs;
    let seen: string[];
    beforeEach(async () => {
      await migrate(getDb());
      seen = [];
      const sink: RunSink = {
        onStart: (r) => Promise.resolve(void seen.push(`start:${r.status}`)),
        onFinish: (r) => Promise.resolve(void seen.push(`finish:${r.status}`)),
      };
      runs = new Runs(getDb(), { sinks: [sink] });
    });

    it('records a run from start to finish with params, metrics, timings and artifacts', async () => {
      const run = await runs.start({
        kind: 'train',
        name: 'reco',
        params: { k: 7, model: 'hybrid' },
        dataFingerprint: 'v1',
        gitCommit: 'abc',
      });
      expect(run).toMatchObject({
        status: 'running',
        params: { k: 7, model: 'hybrid' },
        dataFingerprint: 'v1',
        gitCommit: 'abc',
        finishedAt: null,
      });
      const done = await runs.finish(run.id, {
        metrics: { map7: 0.875 },
        timings: { fit: 1.5 },
        artifacts: ['models/reco/x.bin'],
      });
      expect(done).toMatchObject({
        status: 'succeeded',
        metrics: { map7: 0.875 },
        timings: { fit: 1.5 },
        artifacts: ['models/reco/x.bin'],
      });
      expect(done.finishedAt).toBeInstanceOf(Date);
      expect(await runs.get(run.id)).toEqual(done);
      expect(await runs.get(run.id.slice(0, 8))).toEqual(done);
      expect(seen).toEqual(['start:running', 'finish:succeeded']);
      await expectAppError(runs.finish(run.id), 'ARGUMENT_INVALID', /already ended \(succeeded\)/);
    });

    it('records failures, lists newest first with filters, and compares metrics', async () => {
      const a = await runs.start({ kind: 'evaluate', name: 'reco', gitCommit: null });
      await runs.finish(a.id, { metrics: { map7: 0.8, ndcg3: 0.7 } });
      const b = await runs.start({ kind: 'evaluate', name: 'reco', gitCommit: null });
      const bDone = await runs.finish(b.id, { metrics: { map7: 0.85 } });
      const c = await runs.start({ kind: 'train', name: 'segments', gitCommit: null });
      const failed = await runs.fail(c.id, new Error('out of memory'));
      expect(failed).toMatchObject({ status: 'failed', error: 'out of memory' });
      expect((await runs.list()).map((r) => r.id)).toEqual([c.id, b.id, a.id]);
      expect((await runs.list({ kind: 'evaluate', limit: 1 })).map((r) => r.id)).toEqual([b.id]);
      const table = compareRuns([await runs.get(a.id), bDone]);
      expect(table).toEqual([
        { metric: 'map7', values: [0.8, 0.85], deltas: [0, expect.closeTo(0.05, 12) as number] },
        { metric: 'ndcg3', values: [0.7, null], deltas: [0, null] },
      ]);
    });

    it('rejects bad input and unknown ids', async () => {
      await expectAppError(
        runs.start({ kind: 'Train!', name: 'x' }),
        'ARGUMENT_INVALID',
        /lower-case identifier/,
      );
      const r = await runs.start({ kind: 'train', name: 'x', gitCommit: null });
      await expectAppError(
        runs.finish(r.id, { metrics: { auc: Number.NaN } }),
        'ARGUMENT_INVALID',
        /metrics.auc must be a finite number/,
      );
      await expectAppError(runs.get('00000000-0000-0000-0000-000000000000'), 'RUN_NOT_FOUND', /no run/);
    });

    it('keeps the run when a sink fails, and reports the sink error', async () => {
      const errors: string[] = [];
      const broken: RunSink = {
        onStart: () => Promise.reject(new Error('mlflow down')),
        onFinish: () => Promise.resolve(),
      };
      const withBroken = new Runs(getDb(), {
        sinks: [broken],
        onSinkError: (e, run: RunRecord) => errors.push(`${run.kind}:${String(e)}`),
      });
      const run = await withBroken.start({ kind: 'train', name: 'x', gitCommit: null });
      expect((await withBroken.get(run.id)).status).toBe('running');
      expect(errors).toEqual(['train:Error: mlflow down']);
    });
  });

  describe('model registry', () => {
    let dir: string;
    let registry: ModelRegistry;
    beforeEach(async () => {
      await migrate(getDb());
      dir = await mkdtemp(path.join(tmpdir(), 'nextoffer-registry-'));
      registry = new ModelRegistry(getDb(), new FsArtifactStore(dir));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('numbers versions, promotes the first automatically and loads the live bytes', async () => {
      const v1 = await registry.register('reco', {
        artifact: 'one',
        metrics: { map7: 0.8 },
        params: { depth: 6 },
      });
      expect(v1).toMatchObject({
        name: 'reco',
        version: 1,
        promoted: true,
        metrics: { map7: 0.8 },
        params: { depth: 6 },
      });
      const v2 = await registry.register('reco', { artifact: 'two' });
      expect(v2).toMatchObject({ version: 2, promoted: false });
      expect((await registry.load('reco')).toString()).toBe('one');
      expect((await registry.load('reco', 2)).toString()).toBe('two');
      const v3 = await registry.register('reco', { artifact: 'three', promote: true });
      expect(v3.promoted).toBe(true);
      expect((await registry.open('reco')).version.version).toBe(3);
      expect((await registry.list('reco')).map((v) => [v.version, v.promoted])).toEqual([
        [3, true],
        [2, false],
        [1, false],
      ]);
    });

    it('rolls back along the promotion stack and refuses when nothing is left', async () => {
      await registry.register('seg', { artifact: 'a' });
      await registry.register('seg', { artifact: 'b', promote: true });
      await registry.register('seg', { artifact: 'c', promote: true });
      expect((await registry.rollback('seg')).version).toBe(2);
      expect((await registry.rollback('seg')).version).toBe(1);
      expect((await registry.promoted('seg'))?.version).toBe(1);
      await expectAppError(registry.rollback('seg'), 'MODEL_NOT_FOUND', /no earlier promoted version/);
      expect((await registry.promote('seg', 3)).promoted).toBe(true);
      expect((await registry.history('seg')).map((h) => `${h.action}:${h.version}`)).toEqual([
        'promote:1',
        'promote:2',
        'promote:3',
        'rollback:3',
        'rollback:2',
        'promote:3',
      ]);
    });

    it('keeps versions apart per model and reports unknown models and versions', async () => {
      await registry.register('a', { artifact: 'x' });
      await registry.register('b', { artifact: 'y' });
      expect((await registry.list()).map((v) => `${v.name}${v.version}`)).toEqual(['a1', 'b1']);
      await expectAppError(registry.get('a', 7), 'MODEL_NOT_FOUND', /model a has no version 7/);
      await expectAppError(registry.load('zzz'), 'MODEL_NOT_FOUND', /no promoted version/);
      await expectAppError(
        registry.register('Bad Name', { artifact: 'x' }),
        'ARGUMENT_INVALID',
        /lower-case identifier/,
      );
      expect(await registry.promoted('zzz')).toBeNull();
    });

    it('gives concurrent registrations distinct version numbers', async () => {
      const versions = await Promise.all(
        [1, 2, 3, 4].map((i) => registry.register('m', { artifact: String(i) })),
      );
      expect(versions.map((v) => v.version).sort()).toEqual([1, 2, 3, 4]);
    });
  });

  it('promotionStack replays promotions and rollbacks', () => {
    const at = new Date(0);
    expect(
      promotionStack([
        { version: 1, action: 'promote', at },
        { version: 2, action: 'promote', at },
        { version: 2, action: 'rollback', at },
        { version: 3, action: 'promote', at },
      ]),
    ).toEqual([1, 3]);
  });
}
