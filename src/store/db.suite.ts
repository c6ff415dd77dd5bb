/**
 * The contract every `Database` adapter must meet. `db.pglite.test.ts` runs it on PGlite and
 * `test/store.postgres.test.ts` on a PostgreSQL server; each test gets a fresh, empty schema.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { sqlState, type Database, type DatabaseKind, type Queryable } from './db.js';
import { defineIngestRunsTests } from './ingest-runs.suite.js';
import { defineOfferLogTests } from './offers.suite.js';
import { defineRegistryTests } from './registry.suite.js';
import { MIGRATIONS, appliedMigrations, migrate, type Migration } from './migrate.js';

export interface DbSuiteHandle {
  /** An unmigrated database in an empty schema. */
  db: Database;
  /** Closes the database and removes everything the test created. */
  dispose(): Promise<void>;
}

export type DbSuiteFactory = () => Promise<DbSuiteHandle>;

/** Asserts that `promise` rejects with an `AppError` of `code` whose message matches `message`. */
export async function expectAppError(
  promise: Promise<unknown>,
  code: string,
  message?: RegExp,
): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code).toBe(code);
  if (message !== undefined) expect(appError.message).toMatch(message);
  expect(appError.message).not.toContain('\n');
  return appError;
}

async function tableExists(db: Database, name: string): Promise<boolean> {
  const [row] = await db.query<{ present: boolean }>('select to_regclass($1) is not null as present', [name]);
  return row.present;
}

/** Ids of every shipped migration, and the latest: the schema version after `migrate`. */
const IDS = MIGRATIONS.map((m) => m.id);
const LATEST = IDS[IDS.length - 1];

const BROKEN: Migration = {
  id: LATEST + 1,
  name: 'broken',
  sql: `create table broken_t (x int);
        insert into broken_t values (1);
        alter table ingest_runs add column half_done int;
        select * from no_such_table;`,
};

export function defineDatabaseSuite(name: string, kind: DatabaseKind, factory: DbSuiteFactory): void {
  describe(`Database contract: ${name}`, () => {
    let handle: DbSuiteHandle;
    let db: Database;
    beforeEach(async () => {
      handle = await factory();
      db = handle.db;
    });
    afterEach(async () => {
      await handle.dispose();
    });

    it('reports its kind', () => {
      expect(db.kind).toBe(kind);
      // A URL location shows its password masked, never in clear.
      expect(db.location).not.toMatch(/:\/\/[^:/@]+:(?!\*\*\*@)[^@]*@/);
    });

    describe('migrations', () => {
      it('applies every migration once and records it in schema_migrations', async () => {
        expect(await appliedMigrations(db)).toEqual([]);
        const before = Date.now();
        expect(await migrate(db)).toEqual({ applied: IDS, version: LATEST });
        const recorded = await appliedMigrations(db);
        expect(recorded.map((m) => [m.id, m.name])).toEqual(MIGRATIONS.map((m) => [m.id, m.name]));
        expect(recorded[0].appliedAt).toBeInstanceOf(Date);
        expect(recorded[0].appliedAt.getTime()).toBeGreaterThan(before - 60_000);
        expect(await tableExists(db, 'ingest_runs')).toBe(true);
      });

      it('is idempotent: a second run applies nothing', async () => {
        await migrate(db);
        const first = await appliedMigrations(db);
        expect(await migrate(db)).toEqual({ applied: [], version: LATEST });
        expect(await appliedMigrations(db)).toEqual(first);
      });

      it('applies each migration exactly once when runs overlap', async () => {
        const results = await Promise.all([migrate(db), migrate(db), migrate(db)]);
        expect(results.flatMap((r) => r.applied)).toEqual(IDS);
        expect(results.map((r) => r.version)).toEqual([LATEST, LATEST, LATEST]);
        expect(await appliedMigrations(db)).toHaveLength(IDS.length);
      });

      it('rolls a failing migration back completely and keeps the earlier state', async () => {
        await migrate(db);
        await db.query(`insert into ingest_runs (source_path, source_sha256) values ($1, $2)`, [
          'a.csv',
          'a'.repeat(64),
        ]);
        const error = await expectAppError(
          migrate(db, [...MIGRATIONS, BROKEN]),
          'MIGRATION_FAILED',
          new RegExp(
            `${String(LATEST + 1).padStart(3, '0')}_broken.*rolled back.*migration ${LATEST}.*no_such_table`,
          ),
        );
        expect(error.cause).toBeInstanceOf(AppError);
        expect(await tableExists(db, 'broken_t')).toBe(false);
        const columns = await db.query<{ column_name: string }>(
          `select column_name from information_schema.columns
            where table_schema = current_schema() and table_name = 'ingest_runs' and column_name = 'half_done'`,
        );
        expect(columns).toEqual([]);
        expect((await appliedMigrations(db)).map((m) => m.id)).toEqual(IDS);
        expect(await db.query('select source_path from ingest_runs')).toEqual([{ source_path: 'a.csv' }]);
        expect(await migrate(db)).toEqual({ applied: [], version: LATEST });
      });

      it('refuses a database migrated by a newer version', async () => {
        await migrate(db);
        await db.query(
          `insert into schema_migrations (id, name, applied_at) values (999, 'from_the_future', now())`,
        );
        await expectAppError(
          migrate(db),
          'MIGRATION_FAILED',
          new RegExp(`newer version.*999_from_the_future.*up to ${LATEST}`),
        );
        expect((await appliedMigrations(db)).map((m) => m.id)).toEqual([...IDS, 999]);
      });

      it('refuses a migration recorded under another name, and an invalid list', async () => {
        await migrate(db);
        const renamed: Migration = { ...MIGRATIONS[0], name: 'renamed' };
        await expectAppError(migrate(db, [renamed]), 'MIGRATION_FAILED', /recorded as "init".*"renamed"/);
        await expectAppError(
          migrate(db, [BROKEN, MIGRATIONS[0]]),
          'MIGRATION_FAILED',
          /Invalid migration list/,
        );
      });
    });

    describe('queries', () => {
      it('round-trips quotes, backslashes, Cyrillic and emoji through parameters', async () => {
        await db.exec('create table texts (id int primary key, body text)');
        const values = [
          `O'Reilly "quoted" \\ back\\slash; drop table texts; --`,
          'Изучите все условия кредита (займа) — «Оценивайте свои финансовые возможности и риски»',
          'ёЁ 💳 \t tab \n newline',
          '',
          null,
        ];
        for (const [i, v] of values.entries()) await db.query('insert into texts values ($1, $2)', [i, v]);
        const rows = await db.query<{ id: number; body: string | null }>(
          'select id, body from texts order by id',
        );
        expect(rows.map((r) => r.body)).toEqual(values);
        const [found] = await db.query<{ id: number }>('select id from texts where body = $1', [values[1]]);
        expect(found.id).toBe(1);
        const [lengths] = await db.query<{ n: number }>('select char_length($1::text) as n', [values[1]]);
        expect(lengths.n).toBe([...String(values[1])].length);
      });

      it('returns the same JS values for bigint, numeric, date, timestamptz, bytea and jsonb', async () => {
        const json = {
          name: 'Пётр',
          products: ['ind_cco_fin_ult1'],
          nested: { n: 1.5, ok: true, none: null },
        };
        const at = new Date('2015-06-28T10:11:12.345Z');
        const [row] = await db.query<Record<string, unknown>>(
          `select 42::int8 as small, 5000000000::int8 as large, 9007199254740993::int8 as huge,
                  (select count(*) from generate_series(1, 3)) as n, 7::int4 as i4, 0.25::float8 as f8,
                  1.50::numeric as num, '2015-01-28'::date as day, $1::timestamptz as at,
                  $2::bytea as bin, $3::jsonb as doc, '[1, "два"]'::jsonb as arr,
                  array['a', 'б'] as texts, array[1, 9007199254740993]::int8[] as ids,
                  array['2015-01-28', '2015-02-28']::date[] as days, true as yes, null::int8 as nothing`,
          [at, Buffer.from([0, 1, 254, 255]), JSON.stringify(json)],
        );
        expect(row).toEqual({
          small: 42,
          large: 5_000_000_000,
          huge: 9007199254740993n,
          n: 3,
          i4: 7,
          f8: 0.25,
          num: '1.50',
          day: '2015-01-28',
          at,
          bin: Buffer.from([0, 1, 254, 255]),
          doc: json,
          arr: [1, 'два'],
          texts: ['a', 'б'],
          ids: [1, 9007199254740993n],
          days: ['2015-01-28', '2015-02-28'],
          yes: true,
          nothing: null,
        });
        expect(Buffer.isBuffer(row.bin)).toBe(true);
        expect(row.at).toBeInstanceOf(Date);
      });

      it('runs scripts with exec, and one statement per query', async () => {
        await db.exec(`create table a (x int); create table b (y int); insert into a values (1), (2);`);
        expect(await db.query('select count(*) as n from a')).toEqual([{ n: 2 }]);
        await expectAppError(db.query('select 1; select 2'), 'DB_ERROR', /multiple commands/);
      });

      it('reports driver failures as DB_ERROR with the SQLSTATE and the statement', async () => {
        const missing = await expectAppError(
          db.query('select * from nope where x = $1', [1]),
          'DB_ERROR',
          /"nope".*42P01.*select \* from nope/,
        );
        expect(sqlState(missing)).toBe('42P01');
        await db.exec('create table u (k text primary key)');
        await db.query('insert into u values ($1)', ['x']);
        const duplicate = await expectAppError(
          db.query('insert into u values ($1)', ['x']),
          'DB_ERROR',
          /duplicate key/,
        );
        expect(sqlState(duplicate)).toBe('23505');
        await expectAppError(db.exec('create table broken ('), 'DB_ERROR', /syntax error/);
      });
    });

    describe('transactions', () => {
      beforeEach(async () => {
        await db.exec('create table items (id int primary key, label text not null)');
      });
      const count = async (): Promise<number> =>
        (await db.query<{ n: number }>('select count(*) as n from items'))[0].n;

      it('commits when the callback resolves and returns its value', async () => {
        const result = await db.transaction(async (tx) => {
          await tx.query('insert into items values ($1, $2)', [1, 'один']);
          await tx.exec(`insert into items values (2, 'два')`);
          return (await tx.query<{ n: number }>('select count(*) as n from items'))[0].n;
        });
        expect(result).toBe(2);
        expect(await count()).toBe(2);
      });

      it('rolls back when the callback throws, rethrowing its error unchanged', async () => {
        const boom = new Error('boom');
        await expect(
          db.transaction(async (tx) => {
            await tx.query('insert into items values ($1, $2)', [1, 'x']);
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await count()).toBe(0);
      });

      it('rolls back when a statement fails', async () => {
        await expectAppError(
          db.transaction(async (tx) => {
            await tx.query('insert into items values ($1, $2)', [1, 'x']);
            await tx.query('insert into items values ($1, $2)', [1, 'duplicate']);
          }),
          'DB_ERROR',
          /duplicate key/,
        );
        expect(await count()).toBe(0);
      });

      it('fails a transaction whose callback swallowed a failed statement', async () => {
        await expectAppError(
          db.transaction(async (tx) => {
            await tx.query('insert into items values ($1, $2)', [1, 'x']);
            await tx.query('select * from nope').catch(() => undefined);
          }),
          'DB_ERROR',
          /rolled back/,
        );
        expect(await count()).toBe(0);
      });

      it('refuses the outer handle inside the callback and a handle used after the end', async () => {
        let leaked: Queryable | undefined;
        await expectAppError(
          db.transaction(async (tx) => {
            leaked = tx;
            await db.query('select 1');
          }),
          'DB_ERROR',
          /transaction handle/,
        );
        if (leaked === undefined) throw new Error('the callback did not run');
        await expectAppError(leaked.query('select 1'), 'DB_ERROR', /after its transaction ended/);
        expect(await db.query('select 1 as one')).toEqual([{ one: 1 }]);
      });
    });

    defineIngestRunsTests(() => db);
    defineOfferLogTests(() => db);
    defineRegistryTests(() => db);
  });
}
