/**
 * The feedback loop end to end on PGlite: generate offers, store them, record 500 simulated outcomes
 * in which one phrasing truly converts better, train, generate again — confidence and choice move
 * toward that phrasing.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../ml/random.js';
import { wrapPglite, PGLITE_PARSERS } from '../store/db-pglite.js';
import type { Database } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { OfferLog } from '../store/offers.js';
import { loadCatalog } from './catalog.js';
import { ConfidenceModel } from './confidence.js';
import { createOfferEngine, type OfferAnswer, type OfferRequestItem } from './engine.js';
import { trainFromLog } from './feedback.js';

const GOOD = 'cta.friendly.2';
const catalog = loadCatalog();

function clients(n: number, seed: number, from: number): OfferRequestItem[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => ({
    client_id: from + i,
    product: 'DC',
    channel: 'MOBILE_CHAT',
    features: {
      gender: rng.bernoulli(0.5) ? '1' : '0',
      age: 20 + rng.next() * 50,
      cnt_tr_buy_3m: String(rng.int(40)),
      cnt_zp_12m: rng.bernoulli(0.4) ? String(1 + rng.int(12)) : 'NULL',
      qnt_months_from_last_visit: rng.bernoulli(0.3) ? rng.int(24) : 'NULL',
    },
  }));
}

const share = (answers: OfferAnswer[]) =>
  answers.filter((a) => a.elements.includes(GOOD)).length / answers.length;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('feedback moves confidence and choice toward the better phrasing', () => {
  let pg: PGlite;
  let db: Database;
  beforeAll(async () => {
    pg = await PGlite.create({ parsers: PGLITE_PARSERS });
    db = wrapPglite(pg, { ownsInstance: true });
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it('learns from 500 stored outcomes', async () => {
    const before = createOfferEngine({ catalog, seed: 1 });
    const first = before.generate(clients(500, 1, 1));
    expect(first.every((a) => a.confidence === 0.15)).toBe(true);
    const shareBefore = share(first);
    expect(shareBefore).toBeGreaterThan(0.2);
    expect(shareBefore).toBeLessThan(0.5);

    const log = new OfferLog(db);
    const items = clients(500, 1, 1);
    const ids = await log.save(
      first.map((a, i) => ({ ...a, features: items[i].features })),
      'sim-1',
    );
    const outcomes = new Rng(99);
    for (let i = 0; i < ids.length; i++) {
      const p = first[i].elements.includes(GOOD) ? 0.5 : 0.1;
      await log.mark(ids[i], outcomes.bernoulli(p) ? 'success' : 'failure', undefined, 'simulator');
    }
    expect(await log.counts()).toEqual({ offers: 500, outcomes: 500 });

    const model = await trainFromLog(log, catalog, { seed: 3 });
    expect(model.report.rows).toBe(500);
    expect(model.report.evaluatedOn).toBe(100);
    expect(model.report.rocAuc).toBeGreaterThan(0.6);
    expect(model.report.brier).toBeLessThan(model.report.priorBrier);
    const [s, f] = model.elementStats[GOOD];
    expect(s / (s + f)).toBeGreaterThan(0.35);

    const after = createOfferEngine({
      catalog,
      seed: 1,
      confidenceModel: ConfidenceModel.fromJSON(model.toJSON()),
    });
    const second = after.generate(clients(500, 2, 1001));
    const shareAfter = share(second);
    expect(shareAfter).toBeGreaterThan(shareBefore + 0.25);
    const good = second.filter((a) => a.elements.includes(GOOD)).map((a) => a.confidence);
    const other = second.filter((a) => !a.elements.includes(GOOD)).map((a) => a.confidence);
    expect(mean(good)).toBeGreaterThan(0.35);
    expect(mean(good) - mean(other)).toBeGreaterThan(0.2);
    // Other phrasings are still tried (Thompson sampling keeps exploring).
    expect(other.length).toBeGreaterThan(0);
  });
});
