/**
 * The database interface of nextoffer. Two adapters implement it — embedded PGlite (the default,
 * persisted in `<data dir>/pglite`) and a PostgreSQL server through a `pg.Pool` (`DATABASE_URL`) —
 * and both run the same test suite (`db.suite.ts`).
 *
 * Rules every caller can rely on, identical on both adapters:
 * - SQL is parameterised with `$1, $2…`; `query` runs exactly one statement (extended protocol),
 *   `exec` runs a script of statements without parameters (simple protocol).
 * - Values read back: `int8`/`bigint` (ids, `count(*)`) → `number` (a JS `bigint` only beyond
 *   ±2^53), `numeric` → `string`, `date` → `'YYYY-MM-DD'` string, `timestamptz` → `Date`,
 *   `bytea` → `Buffer`, `json`/`jsonb` → parsed value.
 * - Parameters for `json`/`jsonb` are passed as JSON text (`JSON.stringify(value)`) with an explicit
 *   `$n::jsonb` cast; the drivers disagree on how they serialise raw JS arrays.
 * - Every driver failure surfaces as `AppError('DB_ERROR')`; `sqlState(e)` gives its SQLSTATE.
 * - Inside `transaction(fn)` only the `tx` handle may be used: touching the outer database from
 *   within `fn` throws instead of dead-locking (PGlite) or silently escaping the transaction (pg).
 */
import path from 'node:path';
import type { Config } from '../config.js';
import { isAppError } from '../errors.js';
import { openEmbedded } from './db-embedded.js';
import { openPostgres } from './db-postgres.js';
import { migrate } from './migrate.js';

export { assertIdentifier } from './db-common.js';

export interface Queryable {
  /** Runs one parameterised statement and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of one or more statements without parameters. */
  exec(sql: string): Promise<void>;
}

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Where the data lives, for messages and logs (a directory, `memory`, or a URL without password). */
  readonly location: string;
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface OpenDatabaseOptions {
  /** Skip running migrations (tools that inspect a database as it is). Default: migrate. */
  migrate?: boolean;
}

/**
 * Opens the configured database — PostgreSQL when `config.databaseUrl` is set, else the embedded
 * PGlite in `<config.dataDir>/pglite`, shared by every process that opens that directory
 * (`db-embedded.ts`) — and brings its schema up to date before returning it.
 */
export async function openDatabase(config: Config, options: OpenDatabaseOptions = {}): Promise<Database> {
  const db =
    config.databaseUrl !== ''
      ? await openPostgres(config.databaseUrl)
      : await openEmbedded(pgliteDir(config));
  if (options.migrate === false) return db;
  try {
    await migrate(db);
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
  return db;
}

/** Directory of the embedded database for a configuration. */
export function pgliteDir(config: Config): string {
  return path.join(config.dataDir, 'pglite');
}

/** SQLSTATE of a database failure (e.g. `23505` for a unique violation), or `undefined`. */
export function sqlState(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur instanceof Error; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (!isAppError(cur) && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    cur = cur.cause;
  }
  return undefined;
}
