/**
 * Tests of the offer log, part of the database contract (`db.suite.ts`): JSON, numbers, dates and
 * errors come back identically from PGlite and PostgreSQL.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './db.js';
import { expectAppError } from './db.suite.js';
import { migrate } from './migrate.js';
import { OfferLog, type OfferToSave } from './offers.js';

const OFFER: OfferToSave = {
  client_id: 17,
  product: 'ПК',
  channel: 'SMS',
  locale: 'ru',
  text: 'Демобанк: кредит наличными. Оценивайте свои финансовые возможности и риски.',
  elements: ['hook.none', 'benefit.credit.online'],
  features: { gender: 1, age: 41.5, super_clust: 'a. Супер-ЗП (6,15)', cnt_tr_oil_3m: null },
  confidence: 0.125,
};

export function defineOfferLogTests(getDb: () => Database): void {
  describe('offer log repository', () => {
    let log: OfferLog;
    beforeEach(async () => {
      await migrate(getDb());
      log = new OfferLog(getDb());
    });

    it('saves a batch and reads each offer back as saved', async () => {
      const ids = await log.save(
        [OFFER, { ...OFFER, client_id: 18, channel: 'PUSH', title: 'Демобанк для вас', confidence: 1 }],
        'req-1',
      );
      expect(ids).toHaveLength(2);
      const a = await log.get(ids[0]);
      expect(a).toEqual({
        ...OFFER,
        offerId: ids[0],
        requestId: 'req-1',
        title: null,
        subject: null,
        createdAt: a.createdAt,
      });
      expect(a.createdAt).toBeInstanceOf(Date);
      const b = await log.get(ids[1]);
      expect([b.client_id, b.channel, b.title, b.confidence]).toEqual([18, 'PUSH', 'Демобанк для вас', 1]);
      expect(await log.save([])).toEqual([]);
      expect(await log.counts()).toEqual({ offers: 2, outcomes: 0 });
    });

    it('marks outcomes; the latest outcome of an offer is the one trained on', async () => {
      const [a, b, c] = await log.save([OFFER, { ...OFFER, client_id: 2 }, { ...OFFER, client_id: 3 }]);
      const rec = await log.mark(a, 'failure', 'no answer', 'operator1');
      expect(rec).toEqual({
        offerId: a,
        outcome: 'failure',
        comment: 'no answer',
        userName: 'operator1',
        createdAt: rec.createdAt,
      });
      await log.mark(a, 'success');
      await log.mark(c, 'failure');
      const set = await log.trainingSet();
      expect(set.map((r) => [r.offerId, r.outcome])).toEqual(
        expect.arrayContaining([
          [a, 'success'],
          [c, 'failure'],
        ]),
      );
      expect(set).toHaveLength(2);
      expect(set.find((r) => r.offerId === b)).toBeUndefined();
      const row = set.find((r) => r.offerId === a)!;
      expect(row.features).toEqual(OFFER.features);
      expect(row.elements).toEqual(OFFER.elements);
      expect(row.confidence).toBe(0.125);
      expect(await log.counts()).toEqual({ offers: 3, outcomes: 3 });
    });

    it('explains unknown ids, malformed ids, bad outcomes and bad offers', async () => {
      await expectAppError(
        log.mark('00000000-0000-4000-8000-000000000000', 'success'),
        'OFFER_NOT_FOUND',
        /no offer with id 00000000-0000-4000-8000-000000000000/,
      );
      await expectAppError(log.mark('42', 'success'), 'ARGUMENT_INVALID', /not a UUID/);
      const [id] = await log.save([OFFER]);
      await expectAppError(log.mark(id, 'maybe' as 'success'), 'ARGUMENT_INVALID', /success or failure/);
      await expectAppError(log.get('00000000-0000-4000-8000-000000000001'), 'OFFER_NOT_FOUND');
      await expectAppError(
        log.save([OFFER, { ...OFFER, confidence: 1.5 }]),
        'ARGUMENT_INVALID',
        /offers\[1\]\.confidence/,
      );
      expect(await log.counts()).toEqual({ offers: 1, outcomes: 0 });
    });
  });
}
