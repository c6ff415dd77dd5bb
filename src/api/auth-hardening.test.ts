/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   response bodies (`res.json()`) are untyped JSON; their shape is what these tests assert. */
import { describe, expect, it } from 'vitest';
import { openPglite } from '../store/db-pglite.js';
import { migrate } from '../store/migrate.js';
import { UserRepository } from '../store/users.js';
import { Authenticator } from './auth/authenticator.js';
import { hashPassword } from './auth/passwords.js';
import { trustProxyOption } from './auth/trust-proxy.js';
import { AS, PASSWORD, TEST_SCRYPT, basic, createTestApp } from './testing.test-util.js';

async function setup(now: { t: number }) {
  const db = await openPglite();
  await migrate(db);
  const users = new UserRepository(db);
  await users.create('ann', 'api', await hashPassword(PASSWORD, TEST_SCRYPT));
  let lookups = 0;
  let down = false;
  const get = users.get.bind(users);
  users.get = (name: string) => {
    lookups++;
    return down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : get(name);
  };
  const auth = new Authenticator(users, {
    maxFailures: 10,
    windowSeconds: 300,
    backoffMaxSeconds: 60,
    cacheSeconds: 30,
    outageGraceSeconds: 900,
    now: () => now.t,
  });
  return {
    db,
    auth,
    lookups: () => lookups,
    setDown: (v: boolean) => (down = v),
  };
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'OK',
    (e: { code?: string }) => e.code ?? 'ERROR',
  );

describe('login throttling', () => {
  it('100 parallel wrong passwords, then the right one: at most 10 verified, none let in while blocked', async () => {
    const now = { t: 1_000_000 };
    const { db, auth, lookups } = await setup(now);
    const wrong = Array.from({ length: 100 }, (_, i) =>
      codeOf(auth.authenticate(basic('ann', `wrong${i}`), '6.6.6.6')),
    );
    const right = codeOf(auth.authenticate(basic('ann'), '7.7.7.7'));
    const codes = await Promise.all(wrong);
    expect(codes.filter((c) => c === 'UNAUTHORIZED')).toHaveLength(10);
    expect(codes.filter((c) => c === 'AUTH_LOCKED')).toHaveLength(90);
    expect(await right).toBe('AUTH_LOCKED');
    expect(lookups()).toBe(10); // no scrypt, no database lookup for a refused attempt
    const e = await auth.authenticate(basic('ann'), '7.7.7.7').catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'AUTH_LOCKED', details: { retry_after_seconds: 1 } });
    expect((e as Error).message).toMatch(
      /user "ann": after 10 failures each further one doubles the wait \(at most 60 s\)/,
    );
    now.t += 1000;
    await expect(auth.authenticate(basic('ann'), '7.7.7.7')).resolves.toEqual({ name: 'ann', role: 'api' });
    await db.close();
  });

  it('a victim whose name was guessed 100 times from another address signs in within 60 s of the last guess', async () => {
    const now = { t: 1_000_000 };
    const { db, auth } = await setup(now);
    let verified = 0;
    let maxWait = 0;
    for (let i = 0; i < 100; i++) {
      const e = (await auth.authenticate(basic('ann', 'guess'), '6.6.6.6').catch((x: unknown) => x)) as {
        code: string;
        details?: { retry_after_seconds: number };
      };
      if (e.code === 'UNAUTHORIZED') verified++;
      // The attacker waits out every block, the most persistent attack there is.
      const block = await auth.authenticate(basic('ann', 'probe'), '6.6.6.5').catch((x: unknown) => x);
      const wait = (block as { details?: { retry_after_seconds: number } }).details?.retry_after_seconds;
      expect(wait ?? 0).toBeLessThanOrEqual(60);
      maxWait = Math.max(maxWait, wait ?? 0);
      now.t += (wait ?? 0) * 1000;
    }
    expect(verified).toBeGreaterThan(50);
    // The clock now stands at most 60 s (the longest block) after the last guess.
    expect(maxWait).toBe(60);
    await expect(auth.authenticate(basic('ann'), '8.8.8.8')).resolves.toEqual({ name: 'ann', role: 'api' });
    await db.close();
  });
});

describe('database outage', () => {
  it('keeps accepting a login verified before the outage; a failed re-check does not evict it', async () => {
    const now = { t: 1_000_000 };
    const { db, auth, lookups, setDown } = await setup(now);
    await expect(auth.authenticate(basic('ann'), '1.1.1.1')).resolves.toMatchObject({ name: 'ann' });
    setDown(true);
    // Refresh-ahead window, then past expiry, then ten minutes of outage: always accepted.
    for (const step of [25_000, 3000, 10_000, 60_000, 600_000]) {
      now.t += step;
      await expect(auth.authenticate(basic('ann'), '1.1.1.1')).resolves.toEqual({ name: 'ann', role: 'api' });
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(lookups()).toBeGreaterThan(1); // it did try the database again
    // A login never verified is not let in, and the outage is not counted as a failed login.
    await expect(auth.authenticate(basic('ann', 'other password'), '1.1.1.1')).rejects.toThrow(
      /ECONNREFUSED/,
    );
    // Past the grace period the stale login is no longer accepted.
    now.t += 900_000;
    await expect(auth.authenticate(basic('ann'), '1.1.1.1')).rejects.toThrow(/ECONNREFUSED/);
    setDown(false);
    await expect(auth.authenticate(basic('ann'), '1.1.1.1')).resolves.toMatchObject({ name: 'ann' });
    await db.close();
  });
});

describe('users and headers over HTTP', () => {
  it('concurrent disable of the last two admins: exactly one succeeds', async () => {
    const t = await createTestApp();
    try {
      await t.app.inject({
        method: 'POST',
        url: '/v1/users',
        headers: AS.admin,
        payload: { name: 'root2', role: 'admin', password: PASSWORD },
      });
      const as2 = { authorization: basic('root2') };
      // Warm both logins so that the two changes reach their handlers together.
      for (const headers of [AS.admin, as2]) await t.app.inject({ url: '/v1/users', headers });
      // Slow every statement down, as a loaded server is: a check-then-write race shows up.
      const query = t.db.query.bind(t.db);
      t.db.query = async (sql: string, params?: readonly unknown[]) => {
        await new Promise((r) => setTimeout(r, 20));
        return query(sql, params);
      };
      const [a, b] = await Promise.all([
        t.app.inject({ method: 'PATCH', url: '/v1/users/admin', headers: as2, payload: { disabled: true } }),
        t.app.inject({
          method: 'PATCH',
          url: '/v1/users/root2',
          headers: AS.admin,
          payload: { disabled: true },
        }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const refused = a.statusCode === 409 ? a : b;
      expect(refused.json().error.message).toMatch(
        /is the last enabled admin: it cannot be disabled or demoted/,
      );
      const [row] = await t.db.query<{ n: number }>(
        `select count(*)::int as n from users where role = 'admin' and not disabled`,
      );
      expect(row.n).toBe(1);
    } finally {
      await t.close();
    }
  });

  const signIn = {
    method: 'POST' as const,
    url: '/v1/session',
    payload: { name: 'operator', password: PASSWORD },
  };

  it('marks the session cookie Secure behind a trusted TLS proxy, and throttles the real client address', async () => {
    const t = await createTestApp({
      env: { NEXTOFFER_TRUST_PROXY: 'loopback', NEXTOFFER_AUTH_MAX_FAILURES: '2' },
    });
    try {
      const res = await t.app.inject({
        ...signIn,
        headers: {
          'x-requested-with': 'test',
          'x-forwarded-proto': 'https',
          'x-forwarded-for': '203.0.113.9',
        },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['set-cookie']).toMatch(/; Secure$/);
      // Two clients behind the same proxy: one client's failures do not block the other.
      for (let i = 0; i < 3; i++)
        await t.app.inject({
          url: '/v1/session',
          headers: { authorization: basic('x', 'y'), 'x-forwarded-for': '203.0.113.1' },
        });
      const blocked = await t.app.inject({
        url: '/v1/session',
        headers: { ...AS.api, 'x-forwarded-for': '203.0.113.1' },
      });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().error.message).toMatch(/client address 203\.0\.113\.1/);
      const other = await t.app.inject({
        url: '/v1/session',
        headers: { ...AS.api, 'x-forwarded-for': '203.0.113.2' },
      });
      expect(other.statusCode).toBe(200);
    } finally {
      await t.close();
    }
    const untrusted = await createTestApp();
    try {
      const res = await untrusted.app.inject({
        ...signIn,
        headers: { 'x-requested-with': 'test', 'x-forwarded-proto': 'https' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['set-cookie']).not.toMatch(/Secure/);
    } finally {
      await untrusted.close();
    }
  });

  it('sends security headers: CSP, X-Frame-Options, nosniff', async () => {
    const t = await createTestApp();
    try {
      for (const url of ['/', '/v1/session', '/docs/']) {
        const res = await t.app.inject({ url, headers: AS.operator });
        expect(res.headers['content-security-policy'], url).toMatch(/default-src 'self'/);
        expect(res.headers['content-security-policy'], url).toMatch(/script-src 'self'(;|$)/);
        expect(res.headers['content-security-policy'], url).toMatch(/frame-ancestors 'none'/);
        expect(res.headers['x-frame-options'], url).toBe('DENY');
        expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      }
    } finally {
      await t.close();
    }
  });

  it('validates NEXTOFFER_TRUST_PROXY and names the rule', () => {
    expect(trustProxyOption('')).toBe(false);
    expect(trustProxyOption('10.0.0.0/8, loopback')).toEqual(['10.0.0.0/8', 'loopback']);
    const hops = trustProxyOption('1') as (a: string, hop: number) => boolean;
    expect([hops('x', 0), hops('x', 1)]).toEqual([true, false]);
    expect(() => trustProxyOption('nginx')).toThrow(
      /NEXTOFFER_TRUST_PROXY="nginx": "nginx" must be a hop count, an IP address, a CIDR/,
    );
  });
});
