/**
 * Decisioning over HTTP: the policy filters `/v1/recommendations` (model and precomputed answers),
 * `/v1/recommendations/online` and `/v1/offers`; `explain: true` lists the exclusions; every
 * response is checked against the OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractClient, type ContractClient } from '../api/contract.test-util.js';
import { AS, createTestApp, fakeServices, type TestApp } from '../api/testing.test-util.js';
import { loadCatalog } from '../offers/catalog.js';
import { openPglite } from '../store/db-pglite.js';
import type { Database } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { replacePrecomputed } from '../store/precomputed.js';
import { factsFromFeatures } from './client.js';
import { ContactLedger } from './contacts.js';
import { Decider } from './decider.js';
import { parsePolicyText } from './policy.js';
import { decidedOffers, decidedRecommendations } from './services.js';

const catalog = loadCatalog();
const POLICY = `
format: nextoffer-policy
version: api-test
eligibility:
  age:
    - products: [credit, CREDIT_CARD]
      min: 18
      max: 75
  consent:
    channels: [SMS]
contacts:
  limits:
    - channels: [PUSH]
      max: 1
      days: 7
arbitration:
  margins:
    DIRECT_DEBIT: 2
`;
/** Clients the fake recommender knows: 2 is 16 years old, 4 is 40 and holds a payroll pension. */
const KNOWN: Record<string, Record<string, unknown>> = {
  '2': { age: 16 },
  '4': { age: 40, ind_nom_pens_ult1: 1 },
};

describe('decisioning over HTTP', () => {
  let t: TestApp;
  let api: ContractClient;
  let db: Database;
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    const policy = parsePolicyText(POLICY, catalog, 'api-test.yaml');
    const decider = new Decider({ policy, catalog, ledger: new ContactLedger(db) });
    const fakes = fakeServices();
    const channels = catalog.channels.map((c) => c.code);
    t = await createTestApp({
      db,
      services: {
        ...fakes,
        recommendations: decidedRecommendations(fakes.recommendations, decider, (id) =>
          KNOWN[id] ? factsFromFeatures(KNOWN[id], channels) : null,
        ),
        offers: decidedOffers(fakes.offers, decider),
      },
    });
    api = await contractClient(t.app);
  });
  afterAll(async () => {
    await t.close();
    await db.close();
  });

  const post = (url: string, payload: unknown) =>
    api.call({ method: 'POST', url, headers: AS.api, payload: payload as object }, 200);

  it('drops ineligible and held products before ranking; explain lists why', async () => {
    // The fake ranks recibo 0.9, nom_pens 0.8, cco 0.7, tjcr (credit card) 0.6.
    const minor = (await post('/v1/recommendations', { client_id: 2, k: 4, explain: true })).json<{
      items: { product: string; score: number; reasons: string[] }[];
      excluded: { product: string; rule: string; reason: string }[];
    }>();
    expect(minor.items.map((i) => i.product)).toEqual([
      'ind_recibo_ult1',
      'ind_nom_pens_ult1',
      'ind_cco_fin_ult1',
    ]);
    // DIRECT_DEBIT (recibo) has value 2 in the policy: 0.9 × 2.
    expect(minor.items[0]).toEqual({
      product: 'ind_recibo_ult1',
      score: 1.8,
      reasons: ['lag:2', 'propensity=0.9', 'value:policy=2', 'lever:none=1'],
    });
    expect(minor.excluded).toEqual([
      {
        product: 'ind_tjcr_fin_ult1',
        rule: 'AGE_OUT_OF_RANGE',
        reason: 'age 16 outside 18..75 (eligibility.age[0])',
      },
    ]);
    const adult = (await post('/v1/recommendations', { client_id: 4, k: 2 })).json<{
      items: { product: string }[];
    }>();
    expect(adult.items.map((i) => i.product)).toEqual(['ind_recibo_ult1', 'ind_cco_fin_ult1']);
    expect(adult).not.toHaveProperty('excluded');
    // An unknown client has no known age: the credit card is excluded (fail closed).
    const unknown = (await post('/v1/recommendations', { client_ids: ['77'], explain: true })).json<{
      results: { excluded: { rule: string }[] }[];
    }>();
    expect(unknown.results[0].excluded.map((e) => e.rule)).toEqual(['AGE_UNKNOWN']);
  });

  it('filters the precomputed answers and the online ones', async () => {
    await replacePrecomputed(
      db,
      [
        { clientId: '2', product: 'ind_tjcr_fin_ult1', score: 0.99, reasons: ['pre'] },
        { clientId: '2', product: 'ind_cco_fin_ult1', score: 0.5, reasons: ['pre'] },
      ],
      { format: 'json', loadedBy: null },
    );
    await t.app.precomputed.refresh();
    const pre = (await post('/v1/recommendations', { client_id: 2, k: 2, explain: true })).json<{
      source: string;
      items: { product: string }[];
      excluded: { rule: string }[];
    }>();
    expect(pre.source).toBe('precomputed');
    expect(pre.items.map((i) => i.product)).toEqual(['ind_cco_fin_ult1']);
    expect(pre.excluded.map((e) => e.rule)).toEqual(['AGE_OUT_OF_RANGE']);
    const online = (
      await post('/v1/recommendations/online', {
        features: { age: 80 },
        history: [['CTA_CTE']],
        k: 5,
        explain: true,
      })
    ).json<{ items: { product: string }[]; excluded: { product: string; rule: string }[] }>();
    expect(online.items.map((i) => i.product)).toEqual(['ind_recibo_ult1', 'ind_nom_pens_ult1']);
    expect(online.excluded.map((e) => [e.product, e.rule])).toEqual([
      ['ind_cco_fin_ult1', 'HOLDS_PRODUCT'],
      ['ind_tjcr_fin_ult1', 'AGE_OUT_OF_RANGE'],
    ]);
  });

  it('generates no offer for an ineligible item, says why, and counts contacts', async () => {
    const item = (client: number, product: string, channel: string, features: object, explain?: boolean) => ({
      client_id: client,
      product,
      channel,
      features,
      ...(explain === undefined ? {} : { explain }),
    });
    const answers = (
      await post('/v1/offers', [
        item(30, 'CC', 'SMS', { age: 30, consent_sms: 1 }),
        item(31, 'CC', 'SMS', { age: 30 }),
        item(32, 'ПК', 'PUSH', { age: 17 }),
        item(33, 'DEPOSIT', 'PUSH', { age: 17 }, true),
        item(33, 'DC', 'PUSH', { age: 17 }),
      ])
    ).json<Record<string, unknown>[]>();
    expect(answers[0]).toMatchObject({
      client_id: 30,
      product: 'CC',
      channel: 'SMS',
      offer_id: 'off-30-CC-SMS',
    });
    expect(answers[0]).not.toHaveProperty('excluded');
    expect(answers[1]).toEqual({
      client_id: 31,
      product: 'CC',
      channel: 'SMS',
      eligible: false,
      excluded: [
        {
          product: 'CC',
          channel: 'SMS',
          rule: 'CONSENT_MISSING',
          reason: 'no consent for SMS (eligibility.consent)',
        },
      ],
    });
    expect(answers[2]).toMatchObject({ eligible: false, excluded: [{ rule: 'AGE_OUT_OF_RANGE' }] });
    // explain: the other channels of the product the client may not get (SMS: no consent).
    expect(answers[3]).toMatchObject({
      offer_id: 'off-33-DEPOSIT-PUSH',
      excluded: [{ channel: 'SMS', rule: 'CONSENT_MISSING' }],
    });
    // One PUSH contact per week: the second item of client 33 is over the limit.
    expect(answers[4]).toMatchObject({
      eligible: false,
      excluded: [{ rule: 'CONTACT_LIMIT', channel: 'PUSH' }],
    });
  });
});
