/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return --
   response bodies (`res.json()`) are untyped JSON; their shape is what these tests assert. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractClient, type ContractClient } from './contract.test-util.js';
import { AS, createTestApp, fakeServices, type TestApp } from './testing.test-util.js';

const post = (url: string, payload: unknown, headers = AS.operator) => ({
  method: 'POST' as const,
  url,
  payload: payload as object,
  headers,
});

describe('routes of the web UI (history filters, bulk feedback, series, catalog, compliance, segments)', () => {
  let t: TestApp;
  let c: ContractClient;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp({ services: fakeServices() });
    c = await contractClient(t.app);
    const offer = (client_id: number, product: string, channel: string) =>
      c.call(post('/v1/offers', [{ client_id, features: { age: 30 }, product, channel }]), 200);
    ids.smsCard = (await offer(1, 'CC', 'SMS')).headers['x-request-id'] as string;
    ids.pushDeposit = (await offer(2, 'DEPOSIT', 'PUSH')).headers['x-request-id'] as string;
    ids.smsDeposit = (await offer(3, 'DEPOSIT', 'SMS')).headers['x-request-id'] as string;
    ids.segment = (
      await c.call(post('/v1/segments/assign', { features: { age: 50 } }), 200)
    ).json().request_id;
  });
  afterAll(async () => {
    await t.close();
  });

  const history = async (query: string) =>
    (await c.call({ url: `/v1/history?${query}`, headers: AS.operator }, 200))
      .json()
      .items.map((i: { request_id: string }) => i.request_id);

  it('GET /v1/history filters by product, channel and segment named in the request or answer', async () => {
    expect(await history('channel=SMS')).toEqual([ids.smsDeposit, ids.smsCard]);
    expect(await history('product=DEPOSIT')).toEqual([ids.smsDeposit, ids.pushDeposit]);
    expect(await history('product=DEPOSIT&channel=SMS')).toEqual([ids.smsDeposit]);
    expect(await history(`product=${encodeURIComponent('ПК')}`)).toEqual([]);
    expect(await history('segment=1')).toEqual([ids.segment]);
    expect(await history('segment=0')).toEqual([]);
    await c.call({ url: '/v1/history?channel=a%20b', headers: AS.operator }, 400);
  });

  it('POST /v1/feedback/bulk marks many answers at once; outcome=unmarked lists the rest', async () => {
    const r = await c.call(
      post('/v1/feedback/bulk', {
        request_ids: [ids.smsCard, ids.pushDeposit],
        outcome: 'failure',
        comment: 'wrong product',
      }),
      201,
    );
    expect(r.json().marked).toBe(2);
    expect(r.json().ids).toHaveLength(2);
    expect(await history('outcome=failure')).toEqual([ids.pushDeposit, ids.smsCard]);
    expect(await history('outcome=unmarked')).toEqual([ids.segment, ids.smsDeposit]);
    const item = (
      await c.call({ url: '/v1/history?outcome=failure&limit=1', headers: AS.operator }, 200)
    ).json().items[0];
    expect(item.feedback[0]).toMatchObject({
      outcome: 'failure',
      comment: 'wrong product',
      user: 'operator',
    });

    const unknown = '00000000-0000-4000-8000-000000000000';
    const missing = await c.call(
      post('/v1/feedback/bulk', { request_ids: [ids.smsDeposit, unknown], outcome: 'success' }),
      404,
    );
    expect(missing.json().error.message).toContain(unknown);
    expect(await history('outcome=success')).toEqual([]); // all or none
    await c.call(post('/v1/feedback/bulk', { request_ids: [], outcome: 'success' }), 400);
    await c.call(
      post('/v1/feedback/bulk', { request_ids: [ids.smsDeposit], outcome: 'success' }, AS.analyst),
      403,
    );
  });

  it('GET /v1/stats?bucket= adds a time series; model versions in use are always listed', async () => {
    const s = (await c.call({ url: '/v1/stats?bucket=minute', headers: AS.analyst }, 200)).json();
    const total = s.series.reduce((a: number, p: { requests: number }) => a + p.requests, 0);
    expect(total).toBe(s.requests);
    expect(s.series.reduce((a: number, p: { failure: number }) => a + p.failure, 0)).toBe(2);
    expect(s.feedback).toMatchObject({ success: 0, failure: 2, success_rate: 0 });
    const versions = Object.fromEntries(
      s.model_versions.map((m: { model_version: string; requests: number }) => [m.model_version, m.requests]),
    );
    expect(versions).toEqual({ 'offers@v1': 3, 'seg@v1': 1 });
    const plain = (await c.call({ url: '/v1/stats', headers: AS.analyst }, 200)).json();
    expect(plain.series).toBeUndefined();
    await c.call({ url: '/v1/stats?bucket=week', headers: AS.analyst }, 400);
  });

  it('GET /v1/catalog and POST /v1/compliance/check: findings and SMS segments of a hand-written text', async () => {
    const cat = (await c.call({ url: '/v1/catalog', headers: AS.operator }, 200)).json();
    expect(cat.products.map((p: { code: string }) => p.code)).toContain('ПК');
    expect(cat.channels.find((ch: { code: string }) => ch.code === 'SMS').sms).toBe(true);

    const bad = (
      await c.call(
        post('/v1/compliance/check', {
          text: 'Кредит по ставке 5%! Успейте оформить.',
          product: 'ПК',
          channel: 'SMS',
        }),
        200,
      )
    ).json();
    expect(bad.compliant).toBe(false);
    expect(bad.findings.some((f: { severity: string }) => f.severity === 'error')).toBe(true);
    expect(bad.sms).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    const long = (
      await c.call(
        post('/v1/compliance/check', { text: 'а'.repeat(71), product: 'DEPOSIT', channel: 'SMS' }),
        200,
      )
    ).json();
    expect(long.sms.segments).toBe(2); // 71 UCS-2 characters: two parts of at most 67
    const push = (
      await c.call(post('/v1/compliance/check', { text: 'hello', product: 'DEPOSIT', channel: 'PUSH' }), 200)
    ).json();
    expect(push.sms).toBeNull();
    const unknown = await c.call(
      post('/v1/compliance/check', { text: 'x', product: 'NOPE', channel: 'SMS' }),
      400,
    );
    expect(unknown.json().error.message).toMatch(/unknown product/);
    await c.call(post('/v1/compliance/check', { text: 'x', product: 'CC', channel: 'SMS' }, AS.analyst), 403);
  });

  it('GET /v1/segments/model gives the promoted segmentation to operators and analysts, not to api clients', async () => {
    const m = (await c.call({ url: '/v1/segments/model', headers: AS.operator }, 200)).json();
    expect(m).toMatchObject({ name: 'segments', version: '3', report: { k: 2, sizes: [6, 4] } });
    expect(m.report.projection.points).toHaveLength(1);
    await c.call({ url: '/v1/segments/model', headers: AS.analyst }, 200);
    await c.call({ url: '/v1/segments/model', headers: AS.api }, 403);
  });
});
