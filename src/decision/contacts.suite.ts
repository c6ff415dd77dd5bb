/**
 * The contact ledger on a database: counts read from the offer log, reservations, and the
 * concurrency guarantee (two concurrent requests never both take the last free contact slot).
 * Run on PGlite (`contacts.pglite.test.ts`) and PostgreSQL (`test/decision.postgres.test.ts`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { OfferService } from '../api/services.js';
import { isExcludedOffer } from '../api/services.js';
import { loadCatalog } from '../offers/catalog.js';
import type { Database } from '../store/db.js';
import { OfferLog } from '../store/offers.js';
import { ContactLedger, PENDING_MINUTES } from './contacts.js';
import { Decider } from './decider.js';
import { parsePolicyText } from './policy.js';
import { decidedOffers } from './services.js';

/** Inserts an offer `daysAgo` days old, optionally marked with an outcome. */
export async function insertOffer(
  db: Database,
  o: { client: number; product: string; channel: string; daysAgo: number; outcome?: 'success' | 'failure' },
): Promise<void> {
  const [{ offer_id }] = await db.query<{ offer_id: string }>(
    `insert into offers (client_id, product, channel, text, confidence, created_at)
     values ($1, $2, $3, 'x', 0.5, now() - make_interval(secs => $4)) returning offer_id`,
    [o.client, o.product, o.channel, o.daysAgo * 86400],
  );
  if (o.outcome)
    await db.query('insert into offer_outcomes (offer_id, outcome) values ($1, $2)', [offer_id, o.outcome]);
}

/** An offer service that stores each offer after `delayMs` (a slow text generator). */
export function slowOffers(db: Database, delayMs: number): OfferService {
  const log = new OfferLog(db);
  return {
    async generate(items) {
      await sleep(delayMs);
      const base = items.map((i) => ({ ...i, text: `offer ${i.product}`, elements: [], confidence: 0.5 }));
      const ids = await log.save(base);
      return base.map((b, k) => ({ ...b, offer_id: ids[k] }));
    },
  };
}

export function defineContactLedgerTests(getDb: () => Database): void {
  const catalog = loadCatalog();
  const policy = parsePolicyText(
    'format: nextoffer-policy\nversion: t\ncontacts:\n  limits:\n    - channels: ["*"]\n      max: 2\n      days: 7\n',
    catalog,
    'test.yaml',
  );
  const SMS = [{ max: 2, days: 7 }];

  describe('contact ledger', () => {
    it('counts contacts by channel and failed offers by product within each window', async () => {
      const db = getDb();
      await insertOffer(db, { client: 5, product: 'CC', channel: 'SMS', daysAgo: 1, outcome: 'failure' });
      await insertOffer(db, { client: 5, product: 'CC', channel: 'SMS', daysAgo: 6.9 });
      await insertOffer(db, { client: 5, product: 'CC', channel: 'PUSH', daysAgo: 8, outcome: 'failure' });
      await insertOffer(db, { client: 5, product: 'DC', channel: 'SMS', daysAgo: 20, outcome: 'failure' });
      await insertOffer(db, { client: 6, product: 'CC', channel: 'SMS', daysAgo: 1, outcome: 'failure' });
      // A failure later overturned by a success does not count (the latest verdict does).
      await insertOffer(db, { client: 5, product: 'CC', channel: 'EMAIL', daysAgo: 2, outcome: 'failure' });
      await db.query(
        `insert into offer_outcomes (offer_id, outcome)
         select offer_id, 'success' from offers where client_id = 5 and channel = 'EMAIL'`,
      );
      const h = await new ContactLedger(db).history(5, 30);
      expect([
        h.contacts('SMS', 7),
        h.contacts('SMS', 30),
        h.contacts('PUSH', 7),
        h.contacts('TMO', 30),
      ]).toEqual([2, 3, 0, 0]);
      expect([h.failures('CC', 7), h.failures('CC', 30), h.failures('DC', 30), h.failures('DC', 10)]).toEqual(
        [1, 2, 1, 0],
      );
    });

    it('reserves while below every limit, counting offers and pending reservations; release frees', async () => {
      const db = getDb();
      const ledger = new ContactLedger(db);
      await insertOffer(db, { client: 1, product: 'CC', channel: 'SMS', daysAgo: 3 });
      await insertOffer(db, { client: 1, product: 'CC', channel: 'SMS', daysAgo: 9 });
      const req = { clientId: 1, channel: 'SMS', product: 'DC', limits: SMS };
      const [a, b] = await ledger.reserve([req, req]);
      expect(a).toEqual({ ok: true, id: expect.any(Number) as number });
      expect(b).toEqual({ ok: false, count: 2, max: 2, days: 7, path: 'contacts.limits' });
      // Another channel, another client, and a request without limits are independent.
      const others = await ledger.reserve([
        { ...req, channel: 'PUSH' },
        { ...req, clientId: 2 },
        { ...req, limits: [] },
      ]);
      expect(others.map((r) => r.ok)).toEqual([true, true, true]);
      expect(others[2]).toEqual({ ok: true, id: null });
      await ledger.release([a.ok ? a.id : null]);
      expect((await ledger.reserve([req]))[0].ok).toBe(true);
      // A reservation left by a crashed process stops counting after PENDING_MINUTES.
      await db.query(`update contact_reservations set created_at = now() - make_interval(mins => $1)`, [
        PENDING_MINUTES + 1,
      ]);
      expect((await ledger.reserve([req]))[0].ok).toBe(true);
      expect((await ledger.reserve([req]))[0].ok).toBe(false);
    });

    it('never lets concurrent reservations pass the last free slot', async () => {
      const db = getDb();
      await insertOffer(db, { client: 3, product: 'CC', channel: 'SMS', daysAgo: 1 });
      const ledgers = Array.from({ length: 8 }, () => new ContactLedger(db));
      const req = { clientId: 3, channel: 'SMS', product: 'CC', limits: SMS };
      // Locks are taken in sorted order: batches naming the same keys in any order do not dead-lock.
      const other = { ...req, channel: 'PUSH' };
      const results = await Promise.all(
        ledgers.map((l, i) => l.reserve(i % 2 === 0 ? [req, other] : [other, req])),
      );
      const sms = results.map((r, i) => r[i % 2 === 0 ? 0 : 1]);
      const push = results.map((r, i) => r[i % 2 === 0 ? 1 : 0]);
      expect(sms.filter((r) => r.ok)).toHaveLength(1);
      expect(push.filter((r) => r.ok)).toHaveLength(2);
    });

    it('two concurrent offer requests for the last slot: one text, one CONTACT_LIMIT, one offer stored', async () => {
      const db = getDb();
      await insertOffer(db, { client: 4, product: 'CC', channel: 'PUSH', daysAgo: 2 });
      const decider = new Decider({ policy, catalog, ledger: new ContactLedger(db) });
      const offers = decidedOffers(slowOffers(db, 30), decider);
      const item = { client_id: 4, features: {}, product: 'DC', channel: 'PUSH' };
      const answers = (await Promise.all([offers.generate([item]), offers.generate([item])])).flat();
      expect(answers.filter((a) => !isExcludedOffer(a))).toHaveLength(1);
      expect(answers.filter(isExcludedOffer).map((a) => a.excluded[0].rule)).toEqual(['CONTACT_LIMIT']);
      const [{ n }] = await db.query<{ n: number }>(
        "select count(*) as n from offers where client_id = 4 and channel = 'PUSH'",
      );
      expect(n).toBe(2);
      const [{ pending }] = await db.query<{ pending: number }>(
        'select count(*) as pending from contact_reservations',
      );
      expect(pending).toBe(0);
    });
  });
}
