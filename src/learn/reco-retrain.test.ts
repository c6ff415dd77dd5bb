/**
 * Recommender retraining on newly ingested months, champion/challenger routing of recommendation
 * requests (arms recorded in the request history, outcomes from feedback), and drift of the
 * recommender's inputs.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainServices } from '../api/domain-services.js';
import { AS, createTestApp } from '../api/testing.test-util.js';
import { runIngest } from '../cli/commands/ingest.js';
import { runCli } from '../cli/run-cli.test-util.js';
import { loadClients } from '../offers/clients.js';
import { loadConfig, type Config } from '../config.js';
import { writeSantanderCsv } from '../data/generate/write.js';
import { recommenderFromBytes } from '../reco/artifact.js';
import { openArtifactStore, type ArtifactStore } from '../store/artifacts.js';
import { openDatabase, type Database } from '../store/db.js';
import { ModelRegistry } from '../store/registry.js';
import { Runs } from '../store/runs.js';
import { armOf } from './arms.js';
import { retrainReco } from './retrain.js';
import { driftReferenceOf } from './versions.js';

describe('recommender retraining and champion/challenger', () => {
  let dir: string;
  let config: Config;
  let db: Database;
  let artifacts: ArtifactStore;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-reco-retrain-'));
    config = loadConfig({
      NEXTOFFER_DATA_DIR: dir,
      NEXTOFFER_MODEL_RELOAD_SECONDS: '0',
      NEXTOFFER_CHALLENGER_SHARE: '0.5',
      NEXTOFFER_THREADS: '1',
      NEXTOFFER_PROMOTE_MIN_OUTCOMES: '50',
    });
    db = await openDatabase(config);
    artifacts = openArtifactStore(config);
  });
  let closed = false;
  afterAll(async () => {
    if (!closed) await db.close();
    await artifacts.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('retrains only on newer months and routes a share of clients to the challenger', async () => {
    const file = path.join(dir, 'panel.csv');
    await writeSantanderCsv(file, { customers: 1500, months: 7, seed: 3 });
    await runIngest(config, file, {}, false);
    const ctx = { db, artifacts, config };
    // The first version is promoted (nothing is served yet), with its drift reference.
    const first = await retrainReco(ctx);
    expect(first).toMatchObject({ model: 'reco', status: 'registered', version: 1 });
    const registry = new ModelRegistry(db, artifacts);
    const v1 = await registry.get('reco', 1);
    expect(v1.promoted).toBe(true);
    expect(Object.keys(driftReferenceOf(v1)!.features)).toEqual(
      expect.arrayContaining(['age', 'renta', 'score']),
    );
    expect(await retrainReco(ctx)).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/^no month newer than 2015-07/) as string,
    });
    // One more month delivered: a challenger, not promoted, recorded as a retrain run.
    await writeSantanderCsv(file, { customers: 1500, months: 8, seed: 3 });
    await runIngest(config, file, {}, false);
    const second = await retrainReco(ctx);
    expect(second).toMatchObject({ status: 'registered', version: 2 });
    expect((await registry.get('reco', 2)).promoted).toBe(false);
    expect((await registry.get('reco', 2)).params.lastMonth).toMatch(/^2015-08/);
    expect((await new Runs(db).list({ kind: 'retrain', name: 'reco' }))[0]).toMatchObject({
      status: 'succeeded',
    });

    const services = await domainServices(db, artifacts, config);
    const t = await createTestApp({ db, services });
    try {
      const model = recommenderFromBytes(await registry.load('reco', 1));
      // An evenly spaced sample (client ids correlate with seniority and age).
      const n = model.store.clients.length;
      const clients = Array.from({ length: 500 }, (_, i) => model.store.clients[Math.floor((i * n) / 500)]);
      const requestIds: { id: string; arm: string }[] = [];
      for (const id of clients) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/recommendations',
          headers: AS.api,
          payload: { client_id: id, k: 3 },
        });
        expect(res.statusCode).toBe(200);
        const arm = armOf('reco', id, 0.5);
        expect(res.json<{ model_version: string }>().model_version).toBe(
          arm === 'challenger' ? 'reco:2' : 'reco:1',
        );
        requestIds.push({ id: res.headers['x-request-id'] as string, arm });
      }
      // Feedback: challenger answers all succeed, champion answers all fail.
      for (const r of requestIds) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/feedback',
          headers: AS.operator,
          payload: { request_id: r.id, outcome: r.arm === 'challenger' ? 'success' : 'failure' },
        });
        expect(res.statusCode).toBe(201);
      }
      const cmp = await t.app.inject({ method: 'GET', url: '/v1/models/reco/compare', headers: AS.analyst });
      expect(cmp.statusCode).toBe(200);
      const body = cmp.json<{
        experiment: string;
        arms: Record<string, { served: number; trials: number; successes: number }>;
        comparison: { verdict: string };
      }>();
      const nChallenger = requestIds.filter((r) => r.arm === 'challenger').length;
      expect(body.experiment).toBe('reco:2');
      expect(body.arms.challenger).toEqual(
        expect.objectContaining({ served: nChallenger, trials: nChallenger, successes: nChallenger }),
      );
      expect(body.arms.champion).toEqual(
        expect.objectContaining({ served: 500 - nChallenger, trials: 500 - nChallenger, successes: 0 }),
      );
      expect(body.comparison.verdict).toBe('challenger-wins');

      // Champion answers of known clients are drawn from the training population: no drift.
      const drift = await t.app.inject({ method: 'GET', url: '/v1/drift', headers: AS.analyst });
      const reco = drift
        .json<{
          models: {
            model: string;
            alert: boolean;
            features: { feature: string; psi: number; n: number }[];
          }[];
        }>()
        .models.find((m) => m.model === 'reco')!;
      expect(reco.features.map((f) => f.n)).toContain(500 - nChallenger);
      expect(reco.features.find((f) => f.feature === 'age')!.psi).toBeLessThan(0.1);
      expect(Math.max(...reco.features.map((f) => f.psi))).toBeLessThan(0.1);
      expect(reco.alert).toBe(false);
    } finally {
      await t.close();
    }

    // Offline drift of a request file against the promoted version (the CLI opens the database).
    await db.close();
    closed = true;
    const rows = (await loadClients(file))
      .map((c) => c.features)
      .filter((f) => f.fecha_dato === '2015-07-28');
    const same = path.join(dir, 'same.json');
    const older = path.join(dir, 'older.json');
    writeFileSync(same, JSON.stringify(rows));
    writeFileSync(older, JSON.stringify(rows.map((r) => ({ ...r, age: Number(r.age) + 40 }))));
    const calm = await runCli('drift', '--model', 'reco', '--input', same, '--data-dir', dir, '--json');
    expect(calm.code).toBe(0);
    const calmReport = JSON.parse(calm.out) as {
      version: number;
      alert: boolean;
      features: { feature: string; psi: number }[];
    };
    expect(calmReport.version).toBe(1);
    expect(calmReport.features.find((f) => f.feature === 'age')!.psi).toBeLessThan(0.01);
    // The dataset imputes missing income (province median) for training; raw rows leave it missing,
    // and drift shows exactly that skew. Every other input matches the training month.
    expect(calmReport.features[0]).toMatchObject({ feature: 'renta' });
    expect(calmReport.features[0].psi).toBeGreaterThan(0.2);
    expect(Math.max(...calmReport.features.slice(1).map((f) => f.psi))).toBeLessThan(0.05);
    const moved = await runCli('drift', '--model', 'reco', '--input', older, '--data-dir', dir, '--json');
    const movedReport = JSON.parse(moved.out) as typeof calmReport;
    expect(movedReport.alert).toBe(true);
    expect(movedReport.features.find((f) => f.feature === 'age')!.psi).toBeGreaterThan(1);
  });
});
