/**
 * 10,000 randomized requests through the decisioning services on PGlite: random clients (ages,
 * regions, consents, holdings), random policies, random sequences of offer batches, recommendations
 * by id and online recommendations, with operators marking served offers as failures in between.
 * Every answer is checked against a naive checker (`randomized.test-util.ts`) that interprets the
 * raw policy itself: a served offer must be eligible and within every contact limit, an excluded one
 * must break a rule, a recommendation may only hold eligible products not owned, ranked by
 * propensity × value × lever, and as many as the eligible candidates allow.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { isExcludedOffer, type OfferService, type RecommendationService } from '../api/services.js';
import { Rng } from '../ml/random.js';
import { loadCatalog } from '../offers/catalog.js';
import { PRODUCTS } from '../reco/products.js';
import { PGLITE_PARSERS, wrapPglite } from '../store/db-pglite.js';
import { migrate } from '../store/migrate.js';
import { OfferLog } from '../store/offers.js';
import { factsFromFeatures } from './client.js';
import { ContactLedger } from './contacts.js';
import { insertOffer } from './contacts.suite.js';
import { Decider } from './decider.js';
import { parsePolicyText } from './policy.js';
import {
  NaiveChecker,
  featuresOf,
  randomClient,
  randomPolicy,
  type NaiveContact,
  type RandomClient,
} from './randomized.test-util.js';
import { decidedOffers, decidedRecommendations } from './services.js';

const REQUESTS = 10_000;
const ROUNDS = 5;
const CLIENTS = 30;
const catalog = loadCatalog();
const CHANNELS = catalog.channels.map((c) => c.code);
const CODES = catalog.products.map((p) => p.code);

let instance: PGlite | undefined;
afterAll(async () => {
  await instance?.close();
});

/** Candidates of a fake recommender: random propensities, best first, cut at k (like `topK`). */
function fakeRecommender(rng: Rng): RecommendationService & { last: string[]; scores: Map<string, number> } {
  const answer = (k: number) => {
    const products = [...PRODUCTS, ...rng.shuffle([...CODES]).slice(0, 6)];
    const items = products
      .map((product) => ({ product, score: rng.next(), reasons: ['MODEL'] }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
    fake.last = items.map((i) => i.product);
    fake.scores = new Map(items.map((i) => [i.product, i.score]));
    return Promise.resolve({ items, source: 'model' as const, modelVersion: 'reco:1' });
  };
  const fake = {
    last: [] as string[],
    scores: new Map<string, number>(),
    recommend: (_: string, k: number) => answer(k),
    recommendOnline: (_: unknown, k: number) => answer(k),
  };
  return fake;
}

function offerLogService(log: OfferLog): OfferService {
  return {
    async generate(items) {
      const base = items.map((i) => ({ ...i, text: `offer ${i.product}`, elements: [], confidence: 0.5 }));
      const ids = await log.save(base);
      return base.map((b, k) => ({ ...b, offer_id: ids[k] }));
    },
  };
}

describe('randomized decisioning', () => {
  it(`no ineligible or over-contacted client is offered in ${REQUESTS.toLocaleString('en')} requests`, async () => {
    instance ??= await PGlite.create({ parsers: PGLITE_PARSERS });
    const rng = new Rng(20261121);
    const tally = {
      served: 0,
      excluded: 0,
      recoItems: 0,
      recoExcluded: 0,
      marks: 0,
      rules: new Set<string>(),
    };
    let requests = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await instance.exec(`create schema rnd_${round}; set search_path to rnd_${round}`);
      const db = wrapPglite(instance, { ownsInstance: false });
      await migrate(db);
      const log = new OfferLog(db);
      const raw = randomPolicy(rng, catalog, round);
      const policy = parsePolicyText(stringify(raw), catalog, `random-${round}.yaml`);
      const naive = new NaiveChecker(raw, catalog);
      const clients = Array.from({ length: CLIENTS }, (_, i) => randomClient(rng, round * 1000 + i, catalog));
      const byId = new Map(clients.map((c) => [String(c.id), c]));
      const pick = (): RandomClient => clients[rng.int(clients.length)];
      // Earlier contacts, some failed, at ages x.5 days (never on a window's edge).
      for (let i = 0; i < 80; i++) {
        const c = pick();
        const o = {
          client: c.id,
          product: CODES[rng.int(CODES.length)],
          channel: CHANNELS[rng.int(CHANNELS.length)],
        };
        const ageDays = rng.int(40) + 0.5;
        const failed = rng.bernoulli(0.4);
        await insertOffer(db, { ...o, daysAgo: ageDays, outcome: failed ? 'failure' : undefined });
        naive.add({ ...o, ageDays, failed });
      }
      const served: { id: string; contact: NaiveContact }[] = [];
      const decider = new Decider({ policy, catalog, ledger: new ContactLedger(db) });
      const offers = decidedOffers(offerLogService(log), decider);
      const inner = fakeRecommender(rng);
      const reco = decidedRecommendations(inner, decider, (id) => {
        const c = byId.get(id);
        return c ? factsFromFeatures(featuresOf(c), CHANNELS) : null;
      });
      const checkReco = (
        c: RandomClient,
        k: number,
        items: { product: string; score: number }[],
        history: boolean,
      ) => {
        const eligible = inner.last.filter(
          (p) => naive.productRules(c, p, history).length === 0 && !c.holdings.includes(p),
        );
        expect(items.length).toBe(Math.min(k, eligible.length));
        for (const [j, item] of items.entries()) {
          expect(eligible, `${item.product} for client ${c.id}`).toContain(item.product);
          if (j > 0) expect(item.score).toBeLessThanOrEqual(items[j - 1].score);
          const propensity = inner.scores.get(item.product) ?? Number.NaN;
          expect(item.score).toBeCloseTo(propensity * naive.multiplier(item.product, new Map()), 9);
        }
        tally.recoItems += items.length;
        tally.recoExcluded += inner.last.length - eligible.length;
      };

      for (let n = 0; n < REQUESTS / ROUNDS; n++, requests++) {
        const r = rng.next();
        if (r < 0.1 && served.length > 0) {
          const s = served[rng.int(served.length)];
          const outcome = rng.bernoulli(0.8) ? 'failure' : 'success';
          await log.mark(s.id, outcome);
          s.contact.failed = outcome === 'failure';
          tally.marks++;
        }
        if (r < 0.45) {
          const items = Array.from({ length: 1 + rng.int(3) }, () => {
            const c = rng.bernoulli(0.5) ? clients[n % 4] : pick();
            return {
              client: c,
              item: {
                client_id: c.id,
                features: featuresOf(c),
                product: CODES[rng.int(CODES.length)],
                channel: CHANNELS[rng.int(CHANNELS.length)],
                explain: rng.bernoulli(0.2),
              },
            };
          });
          const answers = await offers.generate(items.map((x) => x.item));
          expect(answers).toHaveLength(items.length);
          answers.forEach((a, j) => {
            const { client, item } = items[j];
            const rules = naive.offerRules(client, item.product, item.channel);
            expect(a).toMatchObject({ client_id: client.id, product: item.product, channel: item.channel });
            if (isExcludedOffer(a)) {
              expect(
                rules.length,
                `${item.product}/${item.channel} for ${client.id} excluded`,
              ).toBeGreaterThan(0);
              for (const e of a.excluded) expect(rules).toContain(e.rule);
              a.excluded.forEach((e) => tally.rules.add(e.rule));
              tally.excluded++;
            } else {
              expect(rules, `${item.product}/${item.channel} served to client ${client.id}`).toEqual([]);
              const contact = {
                client: client.id,
                product: item.product,
                channel: item.channel,
                ageDays: 0,
                failed: false,
              };
              naive.add(contact);
              served.push({ id: a.offer_id, contact });
              tally.served++;
            }
          });
        } else if (r < 0.75) {
          const c = pick();
          const k = 1 + rng.int(8);
          const answer = await reco.recommend(String(c.id), k, { explain: rng.bernoulli(0.3) });
          checkReco(c, k, answer.items, true);
          for (const e of answer.excluded ?? []) {
            const held = e.rule === 'HOLDS_PRODUCT' && c.holdings.includes(e.product);
            if (!held)
              expect(naive.productRules(c, e.product), `${e.product}: ${e.reason}`).toContain(e.rule);
            tally.rules.add(e.rule);
          }
        } else {
          const c = pick();
          const k = 1 + rng.int(8);
          const answer = await reco.recommendOnline(featuresOf(c), k);
          checkReco(c, k, answer.items, false);
        }
      }
      await db.close();
    }
    expect(requests).toBe(REQUESTS);
    // The run exercised both outcomes and every kind of rule (offers and explained recommendations).
    expect(tally.served).toBeGreaterThan(500);
    expect(tally.excluded).toBeGreaterThan(500);
    expect(tally.recoItems).toBeGreaterThan(1000);
    expect([...tally.rules].sort()).toEqual([
      'AGE_OUT_OF_RANGE',
      'AGE_UNKNOWN',
      'CONSENT_MISSING',
      'CONTACT_LIMIT',
      'FAILURE_SUPPRESSED',
      'HOLDS_PRODUCT',
      'LEVER_ZERO',
      'REGION_DENIED',
      'REGION_NOT_ALLOWED',
      'REGION_UNKNOWN',
    ]);
  }, 120_000);
});
