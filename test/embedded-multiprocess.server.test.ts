/**
 * One embedded database, many processes (server test): `serve` runs on embedded defaults and
 * answers a steady load while 20 CLI writes run as separate processes (`node bin/nextoffer.js`,
 * the built CLI) on the same data dir. Every write must be visible to the server within 1 s, no
 * write may be lost, and after every process has stopped, amcheck finds every btree index in
 * agreement with its table.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { amcheck } from '@electric-sql/pglite/contrib/amcheck';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/api/server.js';
import { loadConfig } from '../src/config.js';

const run = promisify(execFile);
const CLI = path.resolve(import.meta.dirname, '..', 'bin', 'nextoffer.js');
const ADMIN_PASSWORD = 'admin-password-0001';

interface UserRow {
  name: string;
  role: string;
  disabled: boolean;
}

describe('embedded database shared by a server and CLI processes', () => {
  let dir: string;
  let server: RunningServer | undefined;
  let auth: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-mp-'));
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function users(): Promise<Map<string, UserRow>> {
    if (server === undefined) throw new Error('server not started');
    const res = await fetch(`${server.url}/v1/users`, { headers: { authorization: auth } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: UserRow[] };
    return new Map(body.items.map((u) => [u.name, u]));
  }

  async function cli(...args: string[]): Promise<string> {
    const { stdout } = await run(process.execPath, [CLI, ...args, '--data-dir', dir], {
      env: { ...process.env, NEXTOFFER_DATA_DIR: dir, DATABASE_URL: '' },
    });
    return stdout;
  }

  /** Milliseconds until `seen` holds for the server's view of the users (polled every 20 ms). */
  async function visibleAfter(seen: (u: Map<string, UserRow>) => boolean): Promise<number> {
    const t0 = performance.now();
    while (performance.now() - t0 < 5_000) {
      if (seen(await users())) return performance.now() - t0;
      await new Promise((r) => setTimeout(r, 20));
    }
    return Infinity;
  }

  it('makes every CLI write visible to the running server within 1 s and keeps indexes intact', async () => {
    const config = loadConfig({
      NEXTOFFER_DATA_DIR: dir,
      NEXTOFFER_ADMIN_PASSWORD: ADMIN_PASSWORD,
      NEXTOFFER_LOG_LEVEL: 'warn',
    });
    server = await startServer({ ...config, port: 0 });
    auth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;

    // A steady load on the server while the CLI writes: four loops of authenticated reads.
    let loading = true;
    let answered = 0;
    const load = Array.from({ length: 4 }, async () => {
      while (loading) {
        await users();
        answered++;
      }
    });

    const writes: [string[], (u: Map<string, UserRow>) => boolean][] = [];
    for (let i = 0; i < 8; i++) {
      const name = `clerk${i}`;
      writes.push([
        ['users', 'add', name, '--role', 'operator', '--password', `password-of-${name}`],
        (u) => u.get(name)?.disabled === false,
      ]);
    }
    for (let i = 0; i < 6; i++) {
      const name = `clerk${i}`;
      writes.push([['users', 'disable', name], (u) => u.get(name)?.disabled === true]);
    }
    for (let i = 0; i < 6; i++) {
      const name = `clerk${i}`;
      writes.push([['users', 'enable', name], (u) => u.get(name)?.disabled === false]);
    }
    const delays: number[] = [];
    for (const [args, seen] of writes) {
      await cli(...args);
      delays.push(await visibleAfter(seen));
    }
    loading = false;
    await Promise.all(load);

    expect(writes).toHaveLength(20);
    expect(answered).toBeGreaterThan(20);
    console.log(
      `CLI write → visible in the server: max ${Math.max(...delays).toFixed(0)} ms over ${delays.length} writes, ${answered} requests answered meanwhile`,
    );
    expect(Math.max(...delays)).toBeLessThan(1_000);
    const finalUsers = await users();
    expect([...finalUsers.keys()].sort()).toEqual([
      'admin',
      ...Array.from({ length: 8 }, (_, i) => `clerk${i}`),
    ]);

    // The server hosts the database: a CLI listing while it runs reads the same rows.
    const listed = JSON.parse(await cli('users', 'list', '--json')) as UserRow[];
    expect(listed.map((u) => u.name).sort()).toEqual([...finalUsers.keys()].sort());

    await server.close();
    server = undefined;

    // With no process running, a CLI becomes the host itself and finds every write.
    const after = JSON.parse(await cli('users', 'list', '--json')) as UserRow[];
    expect(after.filter((u) => !u.disabled).map((u) => u.name)).toHaveLength(9);

    // Every btree index agrees with its table (amcheck, heapallindexed).
    const db = await PGlite.create({ dataDir: path.join(dir, 'pglite'), extensions: { amcheck } });
    try {
      await db.exec('create extension if not exists amcheck');
      const indexes = await db.query<{ name: string }>(
        `select c.oid::regclass::text as name from pg_index i join pg_class c on c.oid = i.indexrelid
         join pg_am a on a.oid = c.relam join pg_namespace n on n.oid = c.relnamespace
         where a.amname = 'btree' and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')`,
      );
      expect(indexes.rows.length).toBeGreaterThan(5);
      for (const { name } of indexes.rows) {
        await db.query('select bt_index_check($1::regclass, true)', [name]);
      }
      const dup = await db.query<{ n: number }>(
        'select count(*)::int as n from (select name from users group by name having count(*) > 1) d',
      );
      expect(dup.rows[0].n).toBe(0);
    } finally {
      await db.close();
    }
  });
});
