/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   response bodies (`res.json()`) are untyped JSON; their shape is what these tests assert. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractClient, type ContractClient } from './contract.test-util.js';
import { PASSWORD, createTestApp, type TestApp } from './testing.test-util.js';
import { hashPassword } from './auth/passwords.js';
import { NOT_BUILT_MESSAGE } from './web-static.js';

const XRW = { 'x-requested-with': 'test' };

function cookieOf(setCookie: string | string[] | undefined): string {
  const value = Array.isArray(setCookie) ? setCookie[0] : (setCookie ?? '');
  return value.split(';')[0];
}

describe('web UI session (cookie) and the static web app', () => {
  let t: TestApp;
  let c: ContractClient;
  let webDir: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { NEXTOFFER_AUTH_MAX_FAILURES: '3' } });
    c = await contractClient(t.app);
    webDir = t.config.webDir;
  });
  afterAll(async () => {
    await t.close();
  });

  const login = async (name: string, password = PASSWORD, status = 200, remoteAddress = '127.0.0.1') =>
    c.call(
      { method: 'POST', url: '/v1/session', headers: XRW, payload: { name, password }, remoteAddress },
      status,
    );

  it('POST /v1/session sets an HttpOnly SameSite=Strict cookie that authenticates like Basic', async () => {
    const r = await login('operator');
    expect(r.json()).toEqual({
      name: 'operator',
      role: 'operator',
      permissions: [
        'recommend',
        'feedback.write',
        'history.read',
        'segments.read',
        'clients.read',
        'data.read',
      ],
    });
    const set = String(r.headers['set-cookie']);
    expect(set).toMatch(
      /^nextoffer_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/,
    );
    const cookie = cookieOf(r.headers['set-cookie']);
    const me = await c.call({ url: '/v1/session', headers: { cookie } }, 200);
    expect(me.json().role).toBe('operator');
    await c.call({ url: '/v1/history', headers: { cookie } }, 200);
    // Same access table as Basic: an operator may not read stats or manage users.
    const stats = await c.call({ url: '/v1/stats', headers: { cookie } }, 403);
    expect(stats.json().error.code).toBe('FORBIDDEN');
    await c.call({ url: '/v1/users', headers: { cookie } }, 403);
  });

  it('refuses a login without X-Requested-With, and wrong passwords count towards the lockout', async () => {
    const noHeader = await c.call(
      { method: 'POST', url: '/v1/session', payload: { name: 'api', password: PASSWORD } },
      403,
    );
    expect(noHeader.json().error.message).toMatch(/X-Requested-With/);
    for (let i = 0; i < 3; i++) await login('api', 'wrong password!', 401, '10.0.0.9');
    const locked = await login('api', PASSWORD, 429, '10.0.0.10');
    expect(locked.json().error.code).toBe('AUTH_LOCKED');
  });

  it('a 401 of the web UI carries no WWW-Authenticate (no browser dialog); one of an API client does', async () => {
    const ui = await c.call({ url: '/v1/session', headers: XRW }, 401);
    expect(ui.headers['www-authenticate']).toBeUndefined();
    const plain = await c.call({ url: '/v1/session' }, 401);
    expect(plain.headers['www-authenticate']).toMatch(/^Basic/);
  });

  it('cookie-authenticated writes need X-Requested-With (CSRF guard); reads do not', async () => {
    const cookie = cookieOf((await login('admin')).headers['set-cookie']);
    const body = { name: 'csrf-victim', role: 'operator', password: 'a long enough password' };
    const refused = await c.call(
      { method: 'POST', url: '/v1/users', headers: { cookie }, payload: body },
      403,
    );
    expect(refused.json().error.message).toMatch(/CSRF/);
    await c.call({ method: 'POST', url: '/v1/users', headers: { cookie, ...XRW }, payload: body }, 201);
  });

  it('DELETE /v1/session ends the session; a disabled user or a new password ends it too', async () => {
    const cookie = cookieOf((await login('admin')).headers['set-cookie']);
    const out = await c.call({ method: 'DELETE', url: '/v1/session', headers: { cookie, ...XRW } }, 204);
    expect(String(out.headers['set-cookie'])).toMatch(/^nextoffer_session=; .*Max-Age=0/);
    await c.call({ url: '/v1/session', headers: { cookie } }, 401);

    const op = cookieOf((await login('operator')).headers['set-cookie']);
    await t.db.query(`update users set password_hash = $1 where name = 'operator'`, [
      await hashPassword('another password 123', { N: 1024, r: 8, p: 1 }),
    ]);
    await c.call({ url: '/v1/session', headers: { cookie: op } }, 401);
    const garbage = await c.call({ url: '/v1/history', headers: { cookie: 'nextoffer_session=nope' } }, 401);
    expect(garbage.json().error.code).toBe('UNAUTHORIZED');
  });

  it('sessions live in the database: a second app on the same database accepts the cookie', async () => {
    const cookie = cookieOf((await login('admin')).headers['set-cookie']);
    const other = await createTestApp({ db: t.db });
    try {
      const r = await other.app.inject({ url: '/v1/session', headers: { cookie } });
      expect(r.statusCode).toBe(200);
      expect(r.json().name).toBe('admin');
    } finally {
      await other.close();
    }
  });

  it('serves the built web app at / with an SPA fallback, and API 404s stay JSON', async () => {
    const dir = await t.app.inject({ url: '/' });
    if (webDir === '') {
      // The default web dir may or may not be built in a working copy; serve a fixture instead.
      expect([200, 503]).toContain(dir.statusCode);
    }
    const fixture = path.join(t.dataDir, 'web');
    await mkdir(path.join(fixture, 'assets'), { recursive: true });
    await writeFile(path.join(fixture, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(path.join(fixture, 'assets', 'app-1.js'), 'console.log(1)');
    const app = await createTestApp({ db: t.db, env: { NEXTOFFER_WEB_DIR: fixture } });
    try {
      const index = await app.app.inject({ url: '/' });
      expect(index.statusCode).toBe(200);
      expect(index.headers['content-type']).toMatch(/^text\/html/);
      expect(index.body).toContain('id="root"');
      const deep = await app.app.inject({ url: '/history?x=1' });
      expect(deep.body).toContain('id="root"');
      const js = await app.app.inject({ url: '/assets/app-1.js' });
      expect(js.headers['content-type']).toMatch(/^text\/javascript/);
      expect(js.headers['cache-control']).toMatch(/immutable/);
      expect((await app.app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
      expect((await app.app.inject({ url: '/..%2f..%2fetc%2fpasswd' })).body).not.toMatch(/root:/);
      const api = await app.app.inject({ url: '/v1/nope' });
      expect(api.statusCode).toBe(404);
      expect(api.json().error.code).toBe('NOT_FOUND');
      expect((await app.app.inject({ url: '/health' })).json().status).toBe('ok');
    } finally {
      await app.close();
    }
    const missing = await createTestApp({
      db: t.db,
      env: { NEXTOFFER_WEB_DIR: path.join(t.dataDir, 'none') },
    });
    try {
      const r = await missing.app.inject({ url: '/segments' });
      expect(r.statusCode).toBe(503);
      expect(r.body).toBe(NOT_BUILT_MESSAGE);
      expect(r.body).toMatch(/npm run build/);
    } finally {
      await missing.close();
    }
  });
});
