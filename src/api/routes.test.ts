/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   response bodies (`res.json()`) are untyped JSON; their shape is what these tests assert. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractClient, type ContractClient } from './contract.test-util.js';
import { AS, createTestApp, fakeServices, type TestApp } from './testing.test-util.js';

const json = (method: string, url: string, payload: unknown, headers = AS.api) => ({
  method: method as 'POST',
  url,
  payload: payload as object,
  headers,
});

describe('REST API routes (in-process, every response checked against /openapi.json)', () => {
  let t: TestApp;
  let c: ContractClient;
  beforeAll(async () => {
    t = await createTestApp({ services: fakeServices() });
    c = await contractClient(t.app);
  });
  afterAll(async () => {
    expect(c.checked).toBeGreaterThan(40);
    await t.close();
  });

  it('GET /health needs no credentials', async () => {
    const r = await c.call({ url: '/health' }, 200);
    expect(r.json()).toEqual({ status: 'ok', history: 'ok', outbox_records: 0 });
  });

  it('POST /v1/recommendations answers one client and a batch, with the source of each answer', async () => {
    const one = (await c.call(json('POST', '/v1/recommendations', { client_id: 12, k: 2 }), 200)).json();
    expect(one).toMatchObject({ client_id: '12', source: 'model', model_version: 'reco@v2' });
    expect(one.items.map((i: { product: string }) => i.product)).toEqual([
      'ind_recibo_ult1',
      'ind_nom_pens_ult1',
    ]);
    expect(one.request_id).toMatch(/^[0-9a-f-]{36}$/);
    const batch = (await c.call(json('POST', '/v1/recommendations', { client_ids: ['7', 8] }), 200)).json();
    expect(batch.results.map((r: { source: string }) => r.source)).toEqual(['fallback', 'model']);
    expect(batch.results[0].items).toHaveLength(4); // k defaults to 7; the fake knows 4 products
  });

  it('refuses invalid recommendation requests with 400 VALIDATION_FAILED', async () => {
    for (const body of [
      { client_id: 1, client_ids: [2] },
      { k: 3 },
      { client_id: 1, k: 0 },
      { client_id: 'a b' },
      { client_id: 1, x: 1 },
    ]) {
      const r = await c.call(json('POST', '/v1/recommendations', body), 400);
      expect(r.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('POST /v1/recommendations/online and /v1/segments/assign answer from features', async () => {
    const online = (
      await c.call(json('POST', '/v1/recommendations/online', { features: { age: 30 }, k: 1 }), 200)
    ).json();
    expect(online).toMatchObject({
      source: 'fallback',
      model_version: 'reco@v2',
      items: [{ product: 'ind_recibo_ult1' }],
    });
    const seg = (
      await c.call(json('POST', '/v1/segments/assign', { features: { age: 52, renta: 1e5 } }), 200)
    ).json();
    expect(seg).toMatchObject({ segment: 1, name: 'mature', path: ['age >= 40'], model_version: 'seg@v1' });
  });

  it('POST /v1/offers maps the request array to offers in order and counts confidence and fallbacks', async () => {
    const items = [1, 2, 3].map((id) => ({
      client_id: id,
      features: { age: 30 },
      product: 'ind_tjcr_fin_ult1',
      channel: 'sms',
    }));
    const fallbacks = async () => (await t.app.metrics.complianceFallbacks.get()).values[0]?.value ?? 0;
    const before = await fallbacks();
    const offers = (await c.call(json('POST', '/v1/offers', items), 200)).json();
    expect(offers.map((o: { client_id: number }) => o.client_id)).toEqual([1, 2, 3]);
    expect(offers[0]).toMatchObject({
      offer_id: 'off-1-ind_tjcr_fin_ult1-sms',
      confidence: 0.7,
      channel: 'sms',
    });
    expect((await fallbacks()) - before).toBe(1); // the fake replaces every fifth text
    await c.call(
      json('POST', '/v1/offers', [{ client_id: 'x', features: {}, product: 'p', channel: 'sms' }]),
      400,
    );
    await c.call(json('POST', '/v1/offers', []), 400);
  });

  it('records every answer in the history once per request id, with user, timings and feedback', async () => {
    const id = '0b7c6a8e-1f2d-4c3b-9a8e-7d6c5b4a3f21';
    const headers = { ...AS.operator, 'x-request-id': id };
    const first = await c.call(json('POST', '/v1/recommendations', { client_id: 'h-1' }, headers), 200);
    expect(first.headers['x-request-id']).toBe(id);
    await c.call(json('POST', '/v1/recommendations', { client_id: 'h-1' }, headers), 200);
    const fb = await c.call(
      json('POST', '/v1/feedback', { request_id: id, outcome: 'success', comment: 'took it' }, AS.operator),
      201,
    );
    expect(fb.json()).toMatchObject({ request_id: id, outcome: 'success' });
    const page = (await c.call({ url: '/v1/history?client_id=h-1', headers: AS.operator }, 200)).json();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      request_id: id,
      route: '/v1/recommendations',
      user: 'operator',
      client_ids: ['h-1'],
      request: { client_id: 'h-1', k: 7 },
      status: 200,
      sources: { fallback: 1 },
      feedback: [{ outcome: 'success', comment: 'took it', user: 'operator' }],
    });
    expect(page.items[0].duration_ms).toBeGreaterThan(0);
    const bySuccess = (await c.call({ url: '/v1/history?outcome=success', headers: AS.analyst }, 200)).json();
    expect(bySuccess.items.map((i: { request_id: string }) => i.request_id)).toEqual([id]);
  });

  it('accepts feedback by offer id and refuses unknown ids with 404', async () => {
    await c.call(
      json('POST', '/v1/offers', [
        { client_id: 77, features: {}, product: 'ind_cco_fin_ult1', channel: 'email' },
      ]),
      200,
    );
    const r = await c.call(
      json('POST', '/v1/feedback', { offer_id: 'off-77-ind_cco_fin_ult1-email', outcome: 'failure' }),
      201,
    );
    expect(r.json().offer_id).toBe('off-77-ind_cco_fin_ult1-email');
    await c.call(json('POST', '/v1/feedback', { offer_id: 'off-nope', outcome: 'failure' }), 404);
    await c.call(
      json('POST', '/v1/feedback', {
        request_id: '00000000-0000-4000-8000-000000000000',
        outcome: 'failure',
      }),
      404,
    );
    await c.call(json('POST', '/v1/feedback', { outcome: 'failure' }), 400);
    await c.call(json('POST', '/v1/feedback', { offer_id: 'x', outcome: 'maybe' }), 400);
  });

  it('pages the history by offset and by cursor, newest first, and filters by route, user and dates', async () => {
    for (let i = 0; i < 5; i++)
      await c.call(json('POST', '/v1/recommendations', { client_id: `p-${i}` }, AS.admin), 200);
    const all = (await c.call({ url: '/v1/history?user=admin&limit=10', headers: AS.admin }, 200)).json();
    expect(all.items.map((i: { client_ids: string[] }) => i.client_ids[0])).toEqual([
      'p-4',
      'p-3',
      'p-2',
      'p-1',
      'p-0',
    ]);
    const p1 = (await c.call({ url: '/v1/history?user=admin&limit=2', headers: AS.admin }, 200)).json();
    const p2 = (
      await c.call({ url: `/v1/history?user=admin&limit=2&cursor=${p1.next_cursor}`, headers: AS.admin }, 200)
    ).json();
    const p3 = (
      await c.call({ url: '/v1/history?user=admin&limit=2&offset=4', headers: AS.admin }, 200)
    ).json();
    expect([...p1.items, ...p2.items, ...p3.items].map((i: { request_id: string }) => i.request_id)).toEqual(
      all.items.map((i: { request_id: string }) => i.request_id),
    );
    expect(p3.next_cursor).toBeNull();
    const offers = (await c.call({ url: '/v1/history?route=/v1/offers', headers: AS.admin }, 200)).json();
    expect(offers.items.every((i: { route: string }) => i.route === '/v1/offers')).toBe(true);
    expect(offers.items.length).toBeGreaterThan(0);
    const future = (await c.call({ url: '/v1/history?from=2999-01-01', headers: AS.admin }, 200)).json();
    expect(future.items).toEqual([]);
    await c.call({ url: '/v1/history?from=yesterday', headers: AS.admin }, 400);
    await c.call({ url: '/v1/history?cursor=abc&offset=1', headers: AS.admin }, 400);
    await c.call({ url: '/v1/history?cursor=bm9wZQ', headers: AS.admin }, 400);
  });

  it('GET /v1/stats reports requests, latency percentiles, sources and the feedback success rate', async () => {
    const s = (await c.call({ url: '/v1/stats', headers: AS.analyst }, 200)).json();
    const reco = s.routes.find((r: { route: string }) => r.route === '/v1/recommendations');
    expect(reco.requests).toBe(8); // 2 + 1 (one id sent twice) + 5; refused requests are not answers
    expect(reco.latency_ms.p50).toBeLessThanOrEqual(reco.latency_ms.p99);
    expect(s.answers_by_source.model).toBeGreaterThanOrEqual(2);
    expect(s.feedback).toEqual({ success: 1, failure: 1, success_rate: 0.5 });
    const none = (
      await c.call({ url: '/v1/stats?from=2999-01-01T00:00:00Z', headers: AS.analyst }, 200)
    ).json();
    expect(none).toMatchObject({ requests: 0, routes: [] });
  });

  it('models and runs: analysts read, only admins promote and roll back', async () => {
    const list = (await c.call({ url: '/v1/models?name=reco', headers: AS.analyst }, 200)).json();
    expect(list.items.map((m: { version: string }) => m.version)).toEqual(['v1', 'v2']);
    await c.call(json('POST', '/v1/models/reco/promote', { version: 'v1' }, AS.analyst), 403);
    expect(
      (await c.call(json('POST', '/v1/models/reco/promote', { version: 'v1' }, AS.admin), 200)).json(),
    ).toMatchObject({ version: 'v1', promoted: true });
    await c.call(json('POST', '/v1/models/reco/promote', { version: 'v9' }, AS.admin), 404);
    await c.call({ method: 'POST', url: '/v1/models/reco/rollback', headers: AS.admin }, 200);
    const runs = (await c.call({ url: '/v1/runs?kind=train&limit=5', headers: AS.analyst }, 200)).json();
    expect(runs.items.map((r: { id: string }) => r.id)).toEqual(['1']);
  });

  it('enforces roles on every route', async () => {
    const cases: [string, string, keyof typeof AS, number, unknown?][] = [
      ['GET', '/v1/history', 'api', 403],
      ['GET', '/v1/stats', 'operator', 403],
      ['GET', '/v1/stats', 'api', 403],
      ['POST', '/v1/recommendations', 'analyst', 403, { client_id: 1 }],
      ['POST', '/v1/offers', 'analyst', 403, []],
      ['POST', '/v1/feedback', 'analyst', 403, { offer_id: 'x', outcome: 'success' }],
      ['GET', '/v1/users', 'operator', 403],
      ['GET', '/v1/models', 'api', 403],
      ['POST', '/v1/recommendations/load', 'operator', 403, []],
      ['GET', '/v1/history', 'operator', 200],
      ['GET', '/v1/users', 'admin', 200],
    ];
    for (const [method, url, role, status, payload] of cases) {
      const r = await c.call({ method: method, url, headers: AS[role], payload: payload as object }, status);
      if (status === 403) expect(r.json().error.code).toBe('FORBIDDEN');
    }
    const anon = await c.call({ method: 'POST', url: '/v1/recommendations', payload: { client_id: 1 } }, 401);
    expect(anon.headers['www-authenticate']).toMatch(/^Basic/);
    expect(anon.json().error).toMatchObject({
      code: 'UNAUTHORIZED',
      request_id: anon.headers['x-request-id'],
    });
  });

  it('serves the OpenAPI document and Swagger UI to authenticated users; unknown routes are 404 JSON', async () => {
    await c.call({ url: '/openapi.json' }, 401);
    const doc = (await c.call({ url: '/openapi.json', headers: AS.api }, 200)).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/offers', '/v1/history', '/health']));
    const ui = await c.call({ url: '/docs/', headers: AS.api }, 200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    const missing = await c.call({ url: '/v1/nope', headers: AS.api }, 404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
  });

  it('GET /metrics: loopback clients or the bearer token only', async () => {
    const local = await c.call({ url: '/metrics', remoteAddress: '127.0.0.1' }, 200);
    expect(local.body).toMatch(
      /nextoffer_http_requests_total\{route="\/v1\/recommendations",method="POST",status="200"\} \d+/,
    );
    expect(local.body).toMatch(/nextoffer_recommendation_answers_total\{source="model"\} \d+/);
    expect(local.body).toMatch(/nextoffer_offer_confidence_bucket/);
    expect(local.body).toMatch(/nextoffer_feedback_total\{outcome="success"\} 1/);
    expect(local.body).toMatch(/nextoffer_history_outbox_records 0/);
    await c.call({ url: '/metrics', remoteAddress: '10.1.2.3' }, 403);
  });
});

describe('REST API without domain services', () => {
  it('registers only the routes whose service exists; unknown clients get 404 until precomputed', async () => {
    const t = await createTestApp();
    try {
      const c = await contractClient(t.app);
      await c.call({ method: 'POST', url: '/v1/offers', headers: AS.api, payload: [] }, 404);
      await c.call(
        { method: 'POST', url: '/v1/segments/assign', headers: AS.api, payload: { features: {} } },
        404,
      );
      const r = await c.call(
        { method: 'POST', url: '/v1/recommendations', headers: AS.api, payload: { client_id: 5 } },
        404,
      );
      expect(r.json().error.message).toMatch(/client 5: no precomputed recommendations/);
      await c.call(
        {
          method: 'POST',
          url: '/v1/recommendations/load',
          headers: { ...AS.admin, 'content-type': 'text/csv' },
          payload: 'client_id,product,score\n5,ind_recibo_ult1,0.4\n5,ind_cco_fin_ult1,0.9\n',
        },
        200,
      );
      const ok = (
        await c.call(
          { method: 'POST', url: '/v1/recommendations', headers: AS.api, payload: { client_id: 5, k: 1 } },
          200,
        )
      ).json();
      expect(ok).toMatchObject({
        source: 'precomputed',
        model_version: null,
        items: [{ product: 'ind_cco_fin_ult1', score: 0.9 }],
      });
    } finally {
      await t.close();
    }
  });

  it('metrics with a configured token', async () => {
    const t = await createTestApp({ env: { NEXTOFFER_METRICS_TOKEN: 's3cret-token' } });
    try {
      expect(
        (
          await t.app.inject({
            url: '/metrics',
            remoteAddress: '10.0.0.1',
            headers: { authorization: 'Bearer s3cret-token' },
          })
        ).statusCode,
      ).toBe(200);
      expect(
        (
          await t.app.inject({
            url: '/metrics',
            remoteAddress: '10.0.0.1',
            headers: { authorization: 'Bearer wrong' },
          })
        ).statusCode,
      ).toBe(401);
    } finally {
      await t.close();
    }
  });
});
