/**
 * Drift through the server: a confidence model is trained on served offers, promoted, and then
 * served an unshifted stream (no alert) and a shifted one (`nextoffer_drift_alert` 1 in /metrics).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainServices } from '../api/domain-services.js';
import type { Services } from '../api/services.js';
import { AS, createTestApp, type TestApp } from '../api/testing.test-util.js';
import { loadConfig, type Config } from '../config.js';
import { Rng } from '../ml/random.js';
import { openArtifactStore, type ArtifactStore } from '../store/artifacts.js';
import { openPglite } from '../store/db-pglite.js';
import type { Database } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { OfferLog } from '../store/offers.js';
import { ModelRegistry } from '../store/registry.js';
import { retrainConfidence } from './retrain.js';

interface DriftBody {
  alert: boolean;
  threshold: number;
  models: {
    model: string;
    alert: boolean;
    max_psi: number;
    features: { feature: string; psi: number; n: number }[];
  }[];
}

function stream(from: number, n: number, seed: number, shift: boolean) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => ({
    client_id: from + i,
    product: 'DC',
    channel: 'MOBILE_CHAT',
    features: {
      gender: rng.bernoulli(0.5) ? '1' : '0',
      age: Math.round(20 + rng.next() * 40 + (shift ? 25 : 0)),
      cnt_tr_buy_3m: rng.int(40) * (shift ? 4 : 1),
    },
  }));
}

describe('drift of served traffic', () => {
  let dir: string;
  let db: Database;
  let artifacts: ArtifactStore;
  let config: Config;
  let services: Services;
  let t: TestApp;

  const serve = async (payload: unknown[]) => {
    for (let i = 0; i < payload.length; i += 1000) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/offers',
        headers: AS.api,
        payload: payload.slice(i, i + 1000),
      });
      expect(res.statusCode).toBe(200);
    }
  };
  const drift = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/drift', headers: AS.analyst });
    expect(res.statusCode).toBe(200);
    return res.json<DriftBody>();
  };
  const alertLine = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(res.statusCode).toBe(200);
    return res.body.split('\n').find((l) => l.startsWith('nextoffer_drift_alert{model="offers-confidence"}'));
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-drift-'));
    db = await openPglite();
    await migrate(db);
    config = loadConfig({
      NEXTOFFER_DATA_DIR: dir,
      NEXTOFFER_MODEL_RELOAD_SECONDS: '0',
      NEXTOFFER_CHALLENGER_SHARE: '0',
      NEXTOFFER_DRIFT_WINDOW: '1000',
    });
    artifacts = openArtifactStore(config);
    services = await domainServices(db, artifacts, config);
    t = await createTestApp({ db, services });
  });
  afterAll(async () => {
    await t.close();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('raises the alert for a shifted stream only', async () => {
    // Training traffic and outcomes, a retrained model, promoted.
    await serve(stream(1, 1000, 1, false));
    const log = new OfferLog(db);
    const rng = new Rng(5);
    for (const r of await db.query<{ offer_id: string }>('select offer_id from offers order by seq'))
      await log.mark(r.offer_id, rng.bernoulli(0.2) ? 'success' : 'failure');
    const trained = await retrainConfidence({ db, artifacts, config });
    expect(trained).toMatchObject({ status: 'registered', version: 1 });
    await new ModelRegistry(db, artifacts).promote('offers-confidence', 1);
    await services.learning!.refresh();
    expect((await drift()).models).toEqual([
      expect.objectContaining({ model: 'offers-confidence', alert: false, max_psi: null, features: [] }),
    ]);

    await serve(stream(5001, 1000, 2, false));
    const stable = await drift();
    const m = stable.models[0];
    expect(m.features.map((f) => f.feature).sort()).toEqual(['age', 'cnt_tr_buy_3m', 'gender', 'score']);
    expect(m.features.every((f) => f.n === 1000)).toBe(true);
    expect(m.max_psi).toBeLessThan(0.1);
    expect(stable.alert).toBe(false);
    expect(await alertLine()).toBe('nextoffer_drift_alert{model="offers-confidence"} 0');

    await serve(stream(9001, 1000, 3, true));
    const shifted = await drift();
    expect(shifted.threshold).toBe(0.2);
    expect(shifted.alert).toBe(true);
    const byFeature = Object.fromEntries(shifted.models[0].features.map((f) => [f.feature, f.psi]));
    expect(byFeature.age).toBeGreaterThan(1);
    expect(byFeature.cnt_tr_buy_3m).toBeGreaterThan(0.5);
    expect(byFeature.gender).toBeLessThan(0.05);
    expect(await alertLine()).toBe('nextoffer_drift_alert{model="offers-confidence"} 1');
    // Analysts and admins read drift; the api role does not.
    const forbidden = await t.app.inject({ method: 'GET', url: '/v1/drift', headers: AS.api });
    expect(forbidden.statusCode).toBe(403);
  });

  it('refuses a bad retrain schedule at start, naming the setting', async () => {
    await expect(domainServices(db, artifacts, { ...config, retrainCron: '61 * * * *' })).rejects.toThrow(
      /NEXTOFFER_RETRAIN_CRON: cron "61 \* \* \* \*": minute "61": 61 is outside 0-59/,
    );
  });
});
