import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDuck, openDuck } from '../data/duckdb.js';
import { attachDataset } from '../data/dataset-view.js';
import { writeSantanderCsv } from '../data/generate/write.js';
import { tempDir } from '../data/ingest/fixtures.test-util.js';
import { ingest } from '../data/ingest/ingest.js';
import { recommenderFromBytes, recommenderToBytes } from './artifact.js';
import { DEFAULT_FIT_OPTIONS } from './fit.js';
import type { Recommender } from './recommender.js';
import { PRODUCTS } from './products.js';
import { trainRecommender } from './train.js';

describe('Recommender trained on a small generated panel', () => {
  let duck: Awaited<ReturnType<typeof openDuck>>;
  let rec: Recommender;
  beforeAll(async () => {
    const dir = await tempDir();
    const panel = path.join(dir, 'panel.csv');
    await writeSantanderCsv(panel, { customers: 1500, months: 6, seed: 11 });
    await ingest(panel, { dataDir: dir, threads: 1 });
    duck = await openDuck({ threads: 1 });
    await attachDataset(duck.conn, dir, 'santander', 'p');
    const options = {
      ...DEFAULT_FIT_OPTIONS,
      ranker: {
        ...DEFAULT_FIT_OPTIONS.ranker,
        gbdt: { ...DEFAULT_FIT_OPTIONS.ranker.gbdt, nEstimators: 20 },
      },
    };
    rec = (await trainRecommender(duck.conn, 'p', options)).recommender;
  }, 60_000);
  afterAll(() => closeDuck(duck));

  it('recommends products the client does not own, best first, with reason codes', () => {
    const L = rec.model.parts.features.lags;
    let c = 0;
    while (rec.store.masks[c * L] <= 1) c++; // a client owning something besides SAVINGS
    const owned = rec.store.masks[c * L];
    const r = rec.recommend(rec.store.clients[c], 7);
    expect(r.source).toBe('model');
    expect(r.items).toHaveLength(7);
    expect(owned).toBeGreaterThan(0);
    for (const it of r.items) {
      const p = PRODUCTS.indexOf(it.product as (typeof PRODUCTS)[number]);
      expect(p).toBeGreaterThanOrEqual(0);
      expect((owned >>> p) & 1).toBe(0);
      expect(it.reasons.length).toBeGreaterThan(0);
      for (const code of it.reasons) expect(code).toMatch(/^[A-Z0-9_]+$/);
    }
    const scores = r.items.map((i) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(() => rec.recommend(-5)).toThrow(/client -5 is not in/);
  });

  it('round-trips through its artifact with identical recommendations', () => {
    const back = recommenderFromBytes(recommenderToBytes(rec), 3);
    expect(back.modelVersion).toBe(3);
    for (const i of [0, 5, 50, 400]) {
      const id = rec.store.clients[i];
      expect(back.recommend(id, 5).items).toEqual(rec.recommend(id, 5).items);
    }
    const broken = recommenderToBytes(rec).slice(0, 100);
    expect(() => recommenderFromBytes(broken)).toThrow(/not a recommender artifact/);
  });

  it('scores an unknown client online: with history like a stored one, without history as a fallback', () => {
    const cold = rec.recommendOnline(
      { attributes: { age: 35, segmento: '02 - PARTICULARES', sexo: 'V', renta: 90000 } },
      3,
    );
    expect(cold.source).toBe('fallback');
    expect(cold.items[0].reasons).toContain('POPULAR_IN_SEGMENT');
    const warm = rec.recommendOnline(
      { attributes: { age: 35 }, history: [['ind_cco_fin_ult1'], ['CTA_CTE']] },
      3,
    );
    expect(warm.source).toBe('model');
    expect(warm.items.map((i) => i.product)).not.toContain('ind_cco_fin_ult1');
    expect(() => rec.recommendOnline({ attributes: { sexo: 'X' } })).toThrow(/attributes.sexo/);
    expect(() => rec.recommendOnline({ history: [['nope']] })).toThrow(/unknown product "nope"/);
  });
});
