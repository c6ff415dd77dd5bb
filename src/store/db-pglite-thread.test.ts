/**
 * The database contract on PGlite running in a worker thread (the embedded default of
 * `openDatabase`), plus what only the thread adds: bytea back as `Buffer`, a crashed or closed
 * thread reported as DB_ERROR, and persistence in a directory.
 *
 * One threaded in-memory instance serves the contract; each test works in a fresh schema set as
 * the session's search_path.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from './db.js';
import { openPgliteThread } from './db-pglite-thread.js';
import { defineDatabaseSuite, expectAppError } from './db.suite.js';

let shared: Database | undefined;
let schemas = 0;

afterAll(async () => {
  await shared?.close();
});

defineDatabaseSuite('PGlite (worker thread)', 'pglite', async () => {
  shared ??= await openPgliteThread();
  const db = shared;
  const schema = `thread_${++schemas}`;
  await db.exec(`create schema ${schema}; set search_path to ${schema}`);
  // The suite closes its handle; the shared thread stays open for the next test.
  const view: Database = {
    kind: db.kind,
    location: db.location,
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction(fn),
    close: () => Promise.resolve(),
  };
  return {
    db: view,
    dispose: async () => {
      await db.exec(`set search_path to public; drop schema ${schema} cascade`);
    },
  };
});

describe('PGlite in a worker thread', () => {
  it('persists in a directory across reopen, and refuses use after close', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'nextoffer-thread-'));
    try {
      const db = await openPgliteThread({ dataDir: path.join(dir, 'pglite') });
      await db.exec('create table t (id int primary key, payload bytea)');
      await db.query('insert into t values ($1, $2)', [1, Buffer.from([0, 1, 254, 255])]);
      await db.close();
      await expectAppError(db.query('select 1'), 'DB_ERROR', /after the database was closed/);

      const again = await openPgliteThread({ dataDir: path.join(dir, 'pglite') });
      try {
        const rows = await again.query<{ id: number; payload: Buffer }>('select * from t');
        expect(rows).toHaveLength(1);
        expect(Buffer.isBuffer(rows[0].payload)).toBe(true);
        expect([...rows[0].payload]).toEqual([0, 1, 254, 255]);
      } finally {
        await again.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('explains why the database cannot be opened', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'nextoffer-thread-'));
    try {
      const file = path.join(dir, 'not-a-directory');
      await writeFile(file, 'x');
      await expectAppError(
        openPgliteThread({ dataDir: file }),
        'DB_ERROR',
        /Cannot open the embedded database/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs statements from concurrent callers and transactions without interleaving them', async () => {
    const db = await openPgliteThread();
    try {
      await db.exec('create table c (n int)');
      const inTx = db.transaction(async (tx) => {
        await tx.query('insert into c values (1)');
        await tx.query('insert into c values (2)');
        return (await tx.query<{ n: number }>('select count(*)::int as n from c'))[0].n;
      });
      const outside = db.query('insert into c values (3)');
      const failing = db.transaction(async (tx) => {
        await tx.query('insert into c values (4)');
        throw new Error('changed my mind');
      });
      expect(await inTx).toBe(2);
      await outside;
      await expect(failing).rejects.toThrow('changed my mind');
      const rows = await db.query<{ n: number }>('select n from c order by n');
      expect(rows.map((r) => r.n)).toEqual([1, 2, 3]);
    } finally {
      await db.close();
    }
  });
});
