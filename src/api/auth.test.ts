/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   response bodies (`res.json()`) are untyped JSON; their shape is what these tests assert. */
import { describe, expect, it } from 'vitest';
import { UserRepository } from '../store/users.js';
import { openPglite } from '../store/db-pglite.js';
import { migrate } from '../store/migrate.js';
import { Authenticator, parseBasic } from './auth/authenticator.js';
import { generatePassword, hashPassword, verifyPassword } from './auth/passwords.js';
import { contractClient } from './contract.test-util.js';
import { AS, PASSWORD, TEST_SCRYPT, basic, createTestApp } from './testing.test-util.js';

describe('passwords', () => {
  it('hashes with a per-user salt and verifies only the right password', async () => {
    const a = await hashPassword('same password!', TEST_SCRYPT);
    const b = await hashPassword('same password!', TEST_SCRYPT);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('same password!', a)).toBe(true);
    expect(await verifyPassword('same password?', a)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
    expect(generatePassword()).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it('parses Basic headers and rejects malformed ones', () => {
    expect(parseBasic(basic('ann', 'p:w'))).toEqual({ name: 'ann', password: 'p:w' });
    for (const h of [undefined, 'Bearer x', 'Basic !!', `Basic ${Buffer.from('nocolon').toString('base64')}`])
      expect(parseBasic(h)).toBeNull();
  });
});

describe('Authenticator', () => {
  async function setup(now: { t: number }) {
    const db = await openPglite();
    await migrate(db);
    const users = new UserRepository(db);
    await users.create('ann', 'api', await hashPassword(PASSWORD, TEST_SCRYPT));
    const auth = new Authenticator(users, {
      maxFailures: 3,
      windowSeconds: 60,
      backoffMaxSeconds: 60,
      cacheSeconds: 30,
      outageGraceSeconds: 900,
      now: () => now.t,
    });
    return { db, users, auth };
  }

  it('locks a user out after repeated failures, from any address, until the window passes', async () => {
    const now = { t: 1_000_000 };
    const { db, auth } = await setup(now);
    for (let i = 0; i < 3; i++)
      await expect(auth.authenticate(basic('ann', 'wrong'), `10.0.0.${i}`)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
    await expect(auth.authenticate(basic('ann'), '10.0.0.9')).rejects.toMatchObject({
      code: 'AUTH_LOCKED',
      status: 429,
    });
    now.t += 61_000;
    await expect(auth.authenticate(basic('ann'), '10.0.0.9')).resolves.toEqual({ name: 'ann', role: 'api' });
    await db.close();
  });

  it('locks an address out after failures across user names', async () => {
    const now = { t: 1_000_000 };
    const { db, auth } = await setup(now);
    for (const name of ['a', 'b', 'c'])
      await expect(auth.authenticate(basic(name, 'x'), '10.9.9.9')).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
    const e = await auth.authenticate(basic('ann'), '10.9.9.9').catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'AUTH_LOCKED', details: { retry_after_seconds: 1 } });
    await expect(auth.authenticate(basic('ann'), '10.9.9.8')).resolves.toMatchObject({ name: 'ann' });
    await db.close();
  });

  it('verifies concurrent requests with the same credentials once, and refreshes ahead of expiry', async () => {
    const now = { t: 1_000_000 };
    const { db, users, auth } = await setup(now);
    let lookups = 0;
    const get = users.get.bind(users);
    users.get = (name: string) => {
      lookups++;
      return get(name);
    };
    const all = await Promise.all(
      Array.from({ length: 10 }, () => auth.authenticate(basic('ann'), '2.2.2.2')),
    );
    expect(all.every((p) => p.name === 'ann')).toBe(true);
    expect(lookups).toBe(1);
    now.t += 25_000; // last fifth of the 30 s entry: answered from the cache, re-verified behind it
    await auth.authenticate(basic('ann'), '2.2.2.2');
    await new Promise((r) => setTimeout(r, 100));
    expect(lookups).toBe(2);
    now.t += 20_000; // past the first expiry, inside the refreshed one
    await auth.authenticate(basic('ann'), '2.2.2.2');
    expect(lookups).toBe(2);
    await db.close();
  });

  it('caches verified credentials until invalidated or expired', async () => {
    const now = { t: 1_000_000 };
    const { db, users, auth } = await setup(now);
    await auth.authenticate(basic('ann'), '1.1.1.1');
    await users.update('ann', { disabled: true });
    // Cached: still accepted until invalidated.
    await expect(auth.authenticate(basic('ann'), '1.1.1.1')).resolves.toMatchObject({ name: 'ann' });
    auth.invalidate('ann');
    await expect(auth.authenticate(basic('ann'), '1.1.1.1')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await users.update('ann', { disabled: false });
    await auth.authenticate(basic('ann'), '1.1.1.1');
    await users.update('ann', { disabled: true });
    now.t += 31_000;
    await expect(auth.authenticate(basic('ann'), '1.1.1.1')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await db.close();
  });
});

describe('users over HTTP (admin)', () => {
  it('creates, lists, changes role, disables and resets passwords; protects the last admin', async () => {
    const t = await createTestApp({ env: { NEXTOFFER_AUTH_MAX_FAILURES: '3' } });
    try {
      const c = await contractClient(t.app);
      const created = await c.call(
        { method: 'POST', url: '/v1/users', headers: AS.admin, payload: { name: 'bob', role: 'api' } },
        201,
      );
      const password = created.json().password as string;
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      await c.call(
        { method: 'POST', url: '/v1/users', headers: AS.admin, payload: { name: 'bob', role: 'api' } },
        409,
      );
      await c.call(
        { method: 'POST', url: '/v1/users', headers: AS.admin, payload: { name: 'Bad Name', role: 'api' } },
        400,
      );
      await c.call(
        { method: 'POST', url: '/v1/users', headers: AS.admin, payload: { name: 'eve', role: 'root' } },
        400,
      );
      await c.call(
        {
          method: 'POST',
          url: '/v1/users',
          headers: AS.admin,
          payload: { name: 'eve', role: 'api', password: 'short' },
        },
        400,
      );
      const bob = { authorization: basic('bob', password) };
      await c.call(
        { method: 'POST', url: '/v1/feedback', headers: bob, payload: { offer_id: 'x', outcome: 'success' } },
        404,
      );
      await c.call({ url: '/v1/history', headers: bob }, 403);
      await c.call(
        { method: 'PATCH', url: '/v1/users/bob', headers: AS.admin, payload: { role: 'operator' } },
        200,
      );
      await c.call({ url: '/v1/history', headers: bob }, 200);
      await c.call(
        { method: 'PATCH', url: '/v1/users/bob', headers: AS.admin, payload: { disabled: true } },
        200,
      );
      await c.call({ url: '/v1/history', headers: bob }, 401);
      await c.call(
        { method: 'PATCH', url: '/v1/users/bob', headers: AS.admin, payload: { disabled: false } },
        200,
      );
      const reset = await c.call(
        { method: 'POST', url: '/v1/users/bob/password', headers: AS.admin, payload: {} },
        200,
      );
      await c.call({ url: '/v1/history', headers: bob }, 401);
      await c.call(
        { url: '/v1/history', headers: { authorization: basic('bob', reset.json().password) } },
        200,
      );
      await c.call(
        {
          method: 'POST',
          url: '/v1/users/bob/password',
          headers: AS.admin,
          payload: { password: 'a long enough one' },
        },
        200,
      );
      await c.call(
        { url: '/v1/history', headers: { authorization: basic('bob', 'a long enough one') } },
        200,
      );
      await c.call(
        { method: 'PATCH', url: '/v1/users/nobody', headers: AS.admin, payload: { disabled: true } },
        404,
      );
      const last = await c.call(
        { method: 'PATCH', url: '/v1/users/admin', headers: AS.admin, payload: { role: 'api' } },
        409,
      );
      expect(last.json().error.message).toMatch(/last enabled admin/);
      const list = (await c.call({ url: '/v1/users', headers: AS.admin }, 200)).json();
      expect(list.items.map((u: { name: string; role: string }) => `${u.name}:${u.role}`)).toEqual([
        'admin:admin',
        'analyst:analyst',
        'api:api',
        'bob:operator',
        'operator:operator',
      ]);
      expect(JSON.stringify(list)).not.toMatch(/scrypt/);
      // Lockout over HTTP: 429 with Retry-After and a clear code.
      for (let i = 0; i < 3; i++)
        await c.call(
          {
            url: '/v1/history',
            headers: { authorization: basic('bob', 'wrong') },
            remoteAddress: '10.1.1.1',
          },
          401,
        );
      const locked = await c.call({ url: '/v1/history', headers: bob, remoteAddress: '10.2.2.2' }, 429);
      expect(locked.json().error.code).toBe('AUTH_LOCKED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});
