/**
 * The whole learning loop on embedded defaults (PGlite, filesystem artifacts) through the HTTP API:
 * serve offers, record 1,000 simulated outcomes in which the deposit and one phrasing truly convert
 * better, retrain (a challenger is registered), serve half the clients with it, record outcomes per
 * arm, let the significance test promote it, and check that confidence and choice moved toward the
 * better product and phrasing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainServices } from '../api/domain-services.js';
import { AS, createTestApp, type TestApp } from '../api/testing.test-util.js';
import { loadConfig } from '../config.js';
import { Rng } from '../ml/random.js';
import { openArtifactStore, type ArtifactStore } from '../store/artifacts.js';
import { openPglite } from '../store/db-pglite.js';
import type { Database } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { ModelRegistry } from '../store/registry.js';
import { Runs } from '../store/runs.js';
import { armOf } from './arms.js';
import type { Services } from '../api/services.js';

const GOOD = 'cta.friendly.2';
const PRODUCTS = ['DC', 'DEPOSIT'] as const;
/** True conversion: the deposit converts better than the card, and one phrasing adds 0.35. */
const truth = (product: string, elements: string[]) =>
  (product === 'DEPOSIT' ? 0.2 : 0.06) + (elements.includes(GOOD) ? 0.35 : 0);

interface Offer {
  offer_id: string;
  client_id: number;
  product: string;
  confidence: number;
  elements: string[];
  model_version: string | null;
}

function items(from: number, n: number, seed: number) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const features = {
      gender: rng.bernoulli(0.5) ? '1' : '0',
      age: Math.round(20 + rng.next() * 50),
      cnt_tr_buy_3m: rng.int(40),
      cnt_zp_12m: rng.bernoulli(0.4) ? 1 + rng.int(12) : null,
    };
    return PRODUCTS.map((product) => ({ client_id: from + i, features, product, channel: 'MOBILE_CHAT' }));
  }).flat();
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const goodShare = (offers: Offer[]) => offers.filter((o) => o.elements.includes(GOOD)).length / offers.length;

describe('learning loop', () => {
  let dir: string;
  let db: Database;
  let artifacts: ArtifactStore;
  let t: TestApp;
  let services: Services;
  const outcomes = new Rng(2024);

  async function serve(from: number, clients: number, seed: number): Promise<Offer[]> {
    const all = items(from, clients, seed);
    const out: Offer[] = [];
    for (let i = 0; i < all.length; i += 1000) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/offers',
        headers: AS.api,
        payload: all.slice(i, i + 1000),
      });
      expect(res.statusCode).toBe(200);
      out.push(...res.json<Offer[]>());
    }
    expect(out.every((o) => o.elements.length > 0)).toBe(true);
    return out;
  }

  async function mark(offers: Offer[]): Promise<void> {
    for (const o of offers) {
      const outcome = outcomes.bernoulli(truth(o.product, o.elements)) ? 'success' : 'failure';
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/feedback',
        headers: AS.operator,
        payload: { offer_id: o.offer_id, outcome },
      });
      expect(res.statusCode).toBe(201);
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-loop-'));
    db = await openPglite();
    await migrate(db);
    const config = loadConfig({
      NEXTOFFER_DATA_DIR: dir,
      NEXTOFFER_MODEL_RELOAD_SECONDS: '0',
      NEXTOFFER_CHALLENGER_SHARE: '0.5',
      NEXTOFFER_AUTO_PROMOTE_CONFIDENCE: '0.95',
      NEXTOFFER_PROMOTE_MIN_OUTCOMES: '300',
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

  it('retrains on outcomes, promotes the better challenger, and shifts confidence and choice', async () => {
    const learning = services.learning!;
    // 1. No model yet: every offer gets the catalog prior; the card (0.15) outranks the deposit (0.08).
    const first = await serve(1, 500, 1);
    expect(first).toHaveLength(1000);
    expect(first.every((o) => o.model_version === null)).toBe(true);
    const priorBy = (p: string) => mean(first.filter((o) => o.product === p).map((o) => o.confidence));
    expect(priorBy('DC')).toBeCloseTo(0.15, 10);
    expect(priorBy('DEPOSIT')).toBeCloseTo(0.08, 10);
    const shareBefore = goodShare(first);
    expect(shareBefore).toBeGreaterThan(0.15);
    expect(shareBefore).toBeLessThan(0.5);
    await mark(first);

    // 2. Retrain: a challenger version is registered (not promoted) as a tracked run.
    const job1 = await learning.runJob();
    expect(job1.promoted).toEqual([]);
    expect(job1.retrained[0]).toMatchObject({ model: 'offers-confidence', status: 'registered', version: 1 });
    expect(job1.retrained[1]).toMatchObject({ model: 'reco', status: 'skipped' });
    const registry = new ModelRegistry(db, artifacts);
    expect(await registry.promoted('offers-confidence')).toBeNull();
    const [run] = await new Runs(db).list({ kind: 'retrain' });
    expect(run).toMatchObject({ name: 'offers-confidence', status: 'succeeded', params: { outcomes: 1000 } });

    // 3. Half the clients (stable by id) get the challenger; outcomes are recorded per arm.
    const second = await serve(1001, 600, 2);
    for (const o of second)
      expect(o.model_version).toBe(
        armOf('offers-confidence', o.client_id, 0.5) === 'challenger' ? 'offers-confidence:1' : null,
      );
    await mark(second);
    const cmp = await t.app.inject({
      method: 'GET',
      url: '/v1/models/offers-confidence/compare',
      headers: AS.analyst,
    });
    expect(cmp.statusCode).toBe(200);
    const report = cmp.json<{
      arms: Record<'champion' | 'challenger', { served: number; trials: number; rate: number }>;
      comparison: { test: string; p_value: number; verdict: string; difference: number };
    }>();
    expect(report.arms.champion.served + report.arms.challenger.served).toBe(1200);
    expect(report.arms.challenger.trials).toBeGreaterThan(500);
    expect(report.arms.champion.trials).toBeGreaterThan(500);
    expect(report.comparison).toMatchObject({ test: 'z', verdict: 'challenger-wins' });
    expect(report.comparison.difference).toBeGreaterThan(0.05);
    expect(report.comparison.p_value).toBeLessThan(0.01);
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/v1/models/segments/compare',
      headers: AS.analyst,
    });
    expect(unknown.statusCode).toBe(404);
    const noVersion = await t.app.inject({
      method: 'GET',
      url: '/v1/models/offers-confidence/compare?challenger=99',
      headers: AS.analyst,
    });
    expect(noVersion.json<{ error: { code: string } }>().error.code).toBe('MODEL_NOT_FOUND');

    // 4. The scheduled job promotes the winner and registers the next challenger.
    const job2 = await learning.runJob();
    expect(job2.promoted).toEqual(['offers-confidence:1']);
    expect(job2.retrained[0]).toMatchObject({ status: 'registered', version: 2 });
    expect((await registry.promoted('offers-confidence'))?.version).toBe(1);

    // 5. The champion now prefers the better phrasing and rates the deposit above the card.
    const third = (await serve(3001, 600, 3)).filter((o) => o.model_version === 'offers-confidence:1');
    expect(third.length).toBeGreaterThan(500);
    expect(goodShare(third)).toBeGreaterThan(shareBefore + 0.25);
    const confBy = (p: string) => mean(third.filter((o) => o.product === p).map((o) => o.confidence));
    expect(confBy('DEPOSIT')).toBeGreaterThan(confBy('DC') + 0.08);
    const good = third.filter((o) => o.elements.includes(GOOD)).map((o) => o.confidence);
    const other = third.filter((o) => !o.elements.includes(GOOD)).map((o) => o.confidence);
    expect(mean(good) - mean(other)).toBeGreaterThan(0.2);
    // Choosing the product with the highest confidence: the card before, the deposit now.
    const byClient = new Map<number, Offer[]>();
    for (const o of third) byClient.set(o.client_id, [...(byClient.get(o.client_id) ?? []), o]);
    const pairs = [...byClient.values()].filter((p) => p.length === 2);
    const depositChosen = pairs.filter(
      (p) =>
        p.find((o) => o.product === 'DEPOSIT')!.confidence > p.find((o) => o.product === 'DC')!.confidence,
    ).length;
    expect(depositChosen / pairs.length).toBeGreaterThan(0.6);
  });
});
