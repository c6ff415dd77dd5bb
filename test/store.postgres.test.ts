/**
 * The database contract on a real PostgreSQL server. Runs only when TEST_DATABASE_URL is set, e.g.
 *   TEST_DATABASE_URL=postgres://nextoffer:nextoffer@127.0.0.1:5432/nextoffer_test
 * Each test works in a fresh random schema (put on the pool's search_path), dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/store/db.js';
import { openPostgres } from '../src/store/db-postgres.js';
import { defineDatabaseSuite, expectAppError } from '../src/store/db.suite.js';
import { MIGRATIONS, appliedMigrations } from '../src/store/migrate.js';

const url = process.env.TEST_DATABASE_URL ?? '';

describe.runIf(url !== '')('PostgreSQL server (TEST_DATABASE_URL)', () => {
  let admin: Database;
  const created = new Set<string>();

  beforeAll(async () => {
    admin = await openPostgres(url, { maxConnections: 2 });
  });
  afterAll(async () => {
    for (const schema of created) await admin.exec(`drop schema if exists ${schema} cascade`);
    await admin.close();
  });

  async function freshSchema(): Promise<string> {
    const schema = `nextoffer_test_${randomBytes(6).toString('hex')}`;
    await admin.exec(`create schema ${schema}`);
    created.add(schema);
    return schema;
  }

  async function dropSchema(schema: string): Promise<void> {
    await admin.exec(`drop schema ${schema} cascade`);
    created.delete(schema);
  }

  defineDatabaseSuite('PostgreSQL', 'postgres', async () => {
    const schema = await freshSchema();
    const db = await openPostgres(url, { searchPath: schema, maxConnections: 4 });
    return {
      db,
      dispose: async () => {
        await db.close();
        await dropSchema(schema);
      },
    };
  });

  it('openDatabase migrates through DATABASE_URL (search_path given as a URL option)', async () => {
    const schema = await freshSchema();
    const withSchema = new URL(url);
    withSchema.searchParams.set('options', `-c search_path=${schema}`);
    const db = await openDatabase(loadConfig({ DATABASE_URL: withSchema.toString() }));
    try {
      expect(db.kind).toBe('postgres');
      expect((await appliedMigrations(db)).map((m) => m.id)).toEqual(MIGRATIONS.map((m) => m.id));
      const [row] = await db.query<{ schema: string }>('select current_schema() as schema');
      expect(row.schema).toBe(schema);
    } finally {
      await db.close();
      await dropSchema(schema);
    }
  });

  it('reports a wrong password in one line without revealing it', async () => {
    const wrong = new URL(url);
    wrong.password = 'definitely-wrong-pw';
    const error = await expectAppError(
      openPostgres(wrong.toString()),
      'DB_ERROR',
      /^Cannot connect to PostgreSQL at .*28P01/,
    );
    expect(error.message).not.toContain('definitely-wrong-pw');
  });

  it('keeps concurrent transactions apart on separate connections', async () => {
    const schema = await freshSchema();
    const db = await openPostgres(url, { searchPath: schema, maxConnections: 4 });
    try {
      await db.exec('create table seen (id int)');
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const writer = db.transaction(async (tx) => {
        await tx.query('insert into seen values (1)');
        await gate;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await db.query('select count(*) as n from seen')).toEqual([{ n: 0 }]);
      release();
      await writer;
      expect(await db.query('select count(*) as n from seen')).toEqual([{ n: 1 }]);
    } finally {
      await db.close();
      await dropSchema(schema);
    }
  });
});
