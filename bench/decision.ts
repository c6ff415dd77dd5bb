/**
 * Cost of the decisioning step, side by side in one process (single thread):
 * - recommendations: a recommender trained on a generated panel (20,000 clients × 8 months)
 *   answering `recommend(id, 7)` directly, against the same recommender through the shipped
 *   policy (every product scored, eligibility, failure suppression read from the offer log,
 *   arbitration, top 7);
 * - offers: storing one offer per request in the offer log (PGlite), against the same through the
 *   policy (contact history read, a contact slot reserved under an advisory lock, released after).
 *
 *   npm run bench:decision -- [--requests 2000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { OfferService, RecommendationService } from '../src/api/services.js';
import { runIngest } from '../src/cli/commands/ingest.js';
import { loadConfig } from '../src/config.js';
import { closeDuck, openDuck } from '../src/data/duckdb.js';
import { attachDataset } from '../src/data/dataset-view.js';
import { writeSantanderCsv } from '../src/data/generate/write.js';
import { factsFromRecommender } from '../src/decision/client.js';
import { ContactLedger } from '../src/decision/contacts.js';
import { Decider } from '../src/decision/decider.js';
import { DEFAULT_POLICY_PATH, loadPolicy } from '../src/decision/policy.js';
import { decidedOffers, decidedRecommendations } from '../src/decision/services.js';
import { loadCatalog } from '../src/offers/catalog.js';
import { DEFAULT_FIT_OPTIONS } from '../src/reco/fit.js';
import { trainRecommender } from '../src/reco/train.js';
import { openPglite } from '../src/store/db-pglite.js';
import { migrate } from '../src/store/migrate.js';
import { OfferLog } from '../src/store/offers.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '2000' } } });
const N = Number(values.requests);
const dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-bench-decision-'));
const db = await openPglite();
try {
  const config = loadConfig({ NEXTOFFER_DATA_DIR: dir, NEXTOFFER_THREADS: '1' });
  const panel = path.join(dir, 'panel.csv');
  await writeSantanderCsv(panel, { customers: 20_000, months: 8, seed: 7 });
  await runIngest(config, panel, {}, false);
  const duck = await openDuck({ threads: 1 });
  await attachDataset(duck.conn, dir, 'santander', 'd');
  const { recommender } = await trainRecommender(duck.conn, 'd', DEFAULT_FIT_OPTIONS);
  closeDuck(duck);
  await migrate(db);
  const catalog = loadCatalog();
  const decider = new Decider({
    policy: loadPolicy(DEFAULT_POLICY_PATH, catalog),
    catalog,
    ledger: new ContactLedger(db),
  });
  const clients = recommender.store.clients;
  const plain: RecommendationService = {
    recommend: (id, k) => Promise.resolve({ ...recommender.recommend(Number(id), k), modelVersion: null }),
    recommendOnline: (_, k) => Promise.resolve({ ...recommender.recommendOnline({}, k), modelVersion: null }),
  };
  const decided = decidedRecommendations(plain, decider, (id) =>
    factsFromRecommender(recommender, Number(id)),
  );
  const time = async (label: string, fn: (i: number) => Promise<unknown>): Promise<number> => {
    for (let i = 0; i < 50; i++) await fn(i); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await fn(i);
    const us = ((performance.now() - t0) * 1000) / N;
    console.log(`${label.padEnd(44)} ${us.toFixed(1).padStart(9)} µs/request`);
    return us;
  };
  const id = (i: number) => String(clients[(i * 7919) % clients.length]);
  const recoPlain = await time('recommend(id, 7), no policy', (i) => plain.recommend(id(i), 7));
  await time('recommend(id, 24), no policy (all candidates)', (i) => plain.recommend(id(i), 24));
  const recoPolicy = await time('recommend(id, 7) through the policy', (i) => decided.recommend(id(i), 7));

  const log = new OfferLog(db);
  const store: OfferService = {
    async generate(items) {
      const base = items.map((i) => ({ ...i, text: `offer ${i.product}`, elements: [], confidence: 0.5 }));
      const ids = await log.save(base);
      return base.map((b, k) => ({ ...b, offer_id: ids[k] }));
    },
  };
  const offers = decidedOffers(store, decider);
  const item = (i: number, channel: string) => ({
    client_id: 1_000_000 + i,
    features: { age: 30 + (i % 40), consent: 1 },
    product: 'DEPOSIT',
    channel,
  });
  const offerPlain = await time('one offer stored, no policy', (i) => store.generate([item(i, 'PUSH')]));
  const offerPolicy = await time('one offer stored through the policy', (i) =>
    offers.generate([item(i, 'SMS')]),
  );
  console.log(`\nrecommendation: policy / plain = ${(recoPolicy / recoPlain).toFixed(2)}`);
  console.log(`offer:          policy / plain = ${(offerPolicy / offerPlain).toFixed(2)}`);
  console.log(`(${N} requests each, ${clients.length} known clients, one thread)`);
} finally {
  await db.close();
  await rm(dir, { recursive: true, force: true });
}
