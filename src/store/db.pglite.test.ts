/**
 * The database contract on PGlite, and opening databases from a configuration: PGlite persisted in
 * the data directory, and the errors a user sees for an unusable DATABASE_URL (no server needed:
 * nothing listens on port 1).
 *
 * One in-memory PGlite instance serves the contract (starting PGlite takes seconds); each test
 * works in a fresh schema set as the session's search_path.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { openDatabase, pgliteDir } from './db.js';
import { PGLITE_PARSERS, openPglite, wrapPglite } from './db-pglite.js';
import { openPostgres, redactUrl } from './db-postgres.js';
import { defineDatabaseSuite, expectAppError } from './db.suite.js';
import { IngestRuns } from './ingest-runs.js';
import { MIGRATIONS, appliedMigrations, migrate } from './migrate.js';

let instance: PGlite | undefined;
let schemas = 0;

afterAll(async () => {
  await instance?.close();
});

defineDatabaseSuite('PGlite (in memory)', 'pglite', async () => {
  instance ??= await PGlite.create({ parsers: PGLITE_PARSERS });
  const pglite = instance;
  const schema = `test_${++schemas}`;
  await pglite.exec(`create schema ${schema}; set search_path to ${schema}`);
  const db = wrapPglite(pglite, { ownsInstance: false });
  return {
    db,
    dispose: async () => {
      await db.close();
      await pglite.exec(`set search_path to public; drop schema ${schema} cascade`);
    },
  };
});

describe('openDatabase with PGlite in the data directory', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'nextoffer-db-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('migrates on open, persists across reopen, and does not migrate twice', async () => {
    const config = loadConfig({ NEXTOFFER_DATA_DIR: dataDir });
    const db = await openDatabase(config);
    expect(db.kind).toBe('pglite');
    expect(db.location).toBe(path.join(dataDir, 'pglite'));
    expect(pgliteDir(config)).toBe(path.join(dataDir, 'pglite'));
    const applied = await appliedMigrations(db);
    expect(applied.map((m) => m.id)).toEqual(MIGRATIONS.map((m) => m.id));
    const run = await new IngestRuns(db).start({ sourcePath: 'x.csv', sourceSha256: 'f'.repeat(64) });
    await db.close();
    await db.close();
    await expectAppError(db.query('select 1'), 'DB_ERROR', /after the database was closed/);

    const again = await openDatabase(config);
    try {
      expect(await appliedMigrations(again)).toEqual(applied);
      expect(await migrate(again)).toEqual({ applied: [], version: MIGRATIONS[MIGRATIONS.length - 1].id });
      expect(await new IngestRuns(again).get(run.id)).toEqual(run);
    } finally {
      await again.close();
    }
  });

  it('explains why the embedded database cannot be opened', async () => {
    const file = path.join(dataDir, 'not-a-directory');
    await writeFile(file, 'x');
    await expectAppError(openPglite({ dataDir: file }), 'DB_ERROR', /Cannot open the embedded database/);
  });
});

describe('openDatabase with an unusable DATABASE_URL', () => {
  it('reports an unreachable server in one line without the password', async () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://bank:s3cret-pw@127.0.0.1:1/nextoffer?sslmode=disable',
    });
    const error = await expectAppError(
      openDatabase(config),
      'DB_ERROR',
      /^Cannot connect to PostgreSQL at postgres:\/\/bank:\*\*\*@127\.0\.0\.1:1\/nextoffer: .*ECONNREFUSED/,
    );
    expect(error.message).not.toContain('s3cret-pw');
    expect(error.cause).toBeDefined();
  });

  it('rejects a URL that is not PostgreSQL', async () => {
    await expectAppError(
      openPostgres('mysql://u:p@localhost/db'),
      'DB_ERROR',
      /must start with postgres:\/\//,
    );
    await expectAppError(openPostgres('not a url'), 'DB_ERROR', /not a valid URL/);
    await expectAppError(
      openPostgres('postgres://localhost/db', { searchPath: 'x; drop' }),
      'DB_ERROR',
      /identifier/,
    );
  });

  it('redacts passwords and query strings', () => {
    expect(redactUrl('postgresql://u:p%40ss@db.bank:5432/app?password=x')).toBe(
      'postgresql://u:***@db.bank:5432/app',
    );
    expect(redactUrl('postgres://db.bank/app')).toBe('postgres://db.bank/app');
  });
});
