/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call --
   response bodies (`res.json()`) are untyped JSON; their shape is what these tests assert. */
/**
 * Fuzz: 10,000+ generated invalid or hostile requests (wrong types, unknown fields, huge arrays,
 * deep nesting, SQL/HTML fragments, NUL bytes, bad JSON, bad auth, huge bodies, wrong content
 * types, hostile query strings) against every route. Each must get a 4xx — never a 5xx — and the
 * server must still answer correctly afterwards.
 */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../ml/random.js';
import { AS, createTestApp, fakeServices, type TestApp } from './testing.test-util.js';

const HOSTILE_STRINGS = [
  "'; drop table users; --",
  "1' or '1'='1",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\u0000',
  'a\u0000b',
  '../../etc/passwd',
  '%00%27',
  '${7*7}',
  '{{constructor.constructor("return process")()}}',
  '__proto__[polluted]',
  '\ud800',
  'x'.repeat(70_000),
  '🙂'.repeat(300),
  ' ',
  '',
];
const HOSTILE_VALUES: unknown[] = [
  ...HOSTILE_STRINGS,
  null,
  true,
  -1,
  1e308,
  -1e308,
  0.5,
  2 ** 63,
  [],
  {},
  [null],
  { __proto__: { admin: true } },
  { constructor: { prototype: { x: 1 } } },
];

const ROUTES: { method: InjectOptions['method']; url: string; valid: () => unknown }[] = [
  { method: 'POST', url: '/v1/recommendations', valid: () => ({ client_id: 1, k: 3 }) },
  { method: 'POST', url: '/v1/recommendations', valid: () => ({ client_ids: ['1', '2'], k: 3 }) },
  { method: 'POST', url: '/v1/recommendations/online', valid: () => ({ features: { age: 30 }, k: 3 }) },
  { method: 'POST', url: '/v1/segments/assign', valid: () => ({ features: { age: 30 } }) },
  {
    method: 'POST',
    url: '/v1/offers',
    valid: () => [{ client_id: 1, features: { age: 30 }, product: 'p', channel: 'sms' }],
  },
  { method: 'POST', url: '/v1/feedback', valid: () => ({ offer_id: 'o-1', outcome: 'success' }) },
  { method: 'POST', url: '/v1/users', valid: () => ({ name: 'fuzzed', role: 'api' }) },
  { method: 'PATCH', url: '/v1/users/api', valid: () => ({ role: 'api' }) },
  { method: 'POST', url: '/v1/models/reco/promote', valid: () => ({ version: 'v2' }) },
  {
    method: 'POST',
    url: '/v1/recommendations/load',
    valid: () => [{ client_id: 1, product: 'p', score: 1 }],
  },
];
const GETS = ['/v1/history', '/v1/stats', '/v1/models', '/v1/runs', '/v1/users'];
const QUERY_KEYS = [
  'route',
  'user',
  'client_id',
  'from',
  'to',
  'outcome',
  'limit',
  'offset',
  'cursor',
  'name',
  'kind',
  'evil',
];

/** Percent-encodes, or returns a malformed escape for a lone surrogate (itself a hostile case). */
function encode(v: unknown): string {
  try {
    return encodeURIComponent(String(v));
  } catch {
    return '%E0%A4%A';
  }
}

function nest(depth: number, array: boolean): string {
  return array ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Replaces one field of a valid body (or of its first element) with something it must refuse. */
function mutate(rng: Rng, valid: unknown): unknown {
  const target = Array.isArray(valid)
    ? (valid[0] as Record<string, unknown>)
    : (valid as Record<string, unknown>);
  const keys = Object.keys(target);
  switch (rng.int(4)) {
    case 0: // unknown field
      target[HOSTILE_STRINGS[rng.int(4)] + String(rng.int(1000))] = 1;
      break;
    case 1: // a required field removed
      delete target[keys[rng.int(keys.length)]];
      if (Object.keys(target).length > 0) delete target[Object.keys(target)[0]];
      break;
    case 2: // a huge array where a value or the body belongs
      return rng.bernoulli(0.5)
        ? Array.from({ length: 2000 + rng.int(8000) }, () => rng.int(10))
        : { ...target, client_ids: Array(5000).fill('1') };
    default: // an object or array of hostile values for an id-like field
      target[keys[rng.int(keys.length)]] = rng.bernoulli(0.5)
        ? { $gt: '' }
        : [HOSTILE_VALUES[rng.int(HOSTILE_VALUES.length)], {}];
  }
  return valid;
}

function generate(rng: Rng, i: number): InjectOptions {
  const route = ROUTES[rng.int(ROUTES.length)];
  const json = { ...AS.admin, 'content-type': 'application/json' };
  switch (i % 8) {
    case 0: // bad JSON text
      return {
        method: route.method,
        url: route.url,
        headers: json,
        payload: ['{', '{"client_id":', '[1,', '{"a":1,}', "{'a':1}", 'nul\u0000', '{"k":NaN}', '\ufeff{'][
          rng.int(8)
        ],
      };
    case 1: // deep nesting
      return {
        method: route.method,
        url: route.url,
        headers: json,
        payload: nest(50 + rng.int(20_000), rng.bernoulli(0.5)),
      };
    case 2: // bad or missing credentials, from a handful of addresses (they get locked out)
      return {
        method: route.method,
        url: route.url,
        remoteAddress: `10.66.0.${rng.int(4)}`,
        headers: {
          'content-type': 'application/json',
          ...(rng.bernoulli(0.8)
            ? {
                authorization: [
                  'Basic ' + Buffer.from(`intruder${rng.int(50)}:pw`).toString('base64'),
                  'Basic !!!',
                  'Bearer abc',
                  'Basic ' + 'A'.repeat(5000),
                  'Digest x',
                ][rng.int(5)],
              }
            : {}),
        },
        payload: JSON.stringify(route.valid()),
      };
    case 3: // wrong content type
      return {
        method: route.method,
        url: route.url,
        headers: {
          ...AS.admin,
          'content-type': [
            'application/xml',
            'multipart/form-data; boundary=x',
            'application/x-www-form-urlencoded',
            'image/png',
          ][rng.int(4)],
        },
        payload: 'a=1',
      };
    case 4: {
      // hostile query strings
      const q = Array.from(
        { length: 1 + rng.int(4) },
        () =>
          `${QUERY_KEYS[rng.int(QUERY_KEYS.length)]}=${encode(HOSTILE_VALUES[rng.int(HOSTILE_STRINGS.length - 3)])}`,
      );
      return { method: 'GET', url: `${GETS[rng.int(GETS.length)]}?${q.join('&')}`, headers: AS.admin };
    }
    case 5: // a whole body of the wrong type
      return {
        method: route.method,
        url: route.url,
        headers: json,
        payload: JSON.stringify(HOSTILE_VALUES[rng.int(HOSTILE_VALUES.length)]),
      };
    default:
      return {
        method: route.method,
        url: route.url,
        headers: json,
        payload: JSON.stringify(mutate(rng, route.valid())),
      };
  }
}

describe('fuzz: hostile requests get 4xx, never 5xx', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ services: fakeServices(), env: { NEXTOFFER_AUTH_MAX_FAILURES: '5' } });
  });
  afterAll(async () => t.close());

  it('answers 10,000 generated hostile requests with client errors and stays healthy', async () => {
    const rng = new Rng(20261121);
    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];
    const N = 10_000;
    for (let i = 0; i < N; i++) {
      const req = generate(rng, i);
      const res = await t.app.inject(req);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode < 400 || res.statusCode >= 500) {
        serverErrors.push(
          `${res.statusCode} ${String(req.method)} ${JSON.stringify(req.url).slice(0, 80)} ${JSON.stringify(req.payload ?? null).slice(0, 120)} → ${res.body.slice(0, 200)}`,
        );
      }
    }
    // Huge bodies, over the 1 MiB limit.
    for (const size of [1_100_000, 5_000_000]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/offers',
        headers: { ...AS.admin, 'content-type': 'application/json' },
        payload: `[${'1,'.repeat(size / 2)}1]`,
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    }
    expect(serverErrors.slice(0, 10)).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(N);
    // Still healthy and still answering correctly.
    expect((await t.app.inject({ url: '/health' })).json()).toMatchObject({ status: 'ok', history: 'ok' });
    const ok = await t.app.inject({
      method: 'POST',
      url: '/v1/recommendations',
      headers: AS.api,
      payload: { client_id: 2, k: 1 },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().source).toBe('model');
    const users = await t.app.inject({ url: '/v1/users', headers: AS.admin });
    expect(users.json().items.map((u: { name: string }) => u.name)).toEqual([
      'admin',
      'analyst',
      'api',
      'operator',
    ]);
  });
});
