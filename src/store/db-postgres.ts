/**
 * PostgreSQL adapter over a `pg.Pool`. Values are parsed exactly as the PGlite adapter parses them
 * (see `db.ts`); statements always use the extended protocol so `query` behaves the same on both.
 */
import pg from 'pg';
import { AppError } from '../errors.js';
import type { Database, Queryable } from './db.js';
import {
  OID,
  assertIdentifier,
  assertNotInTransaction,
  assertTransactionHealthy,
  describeDriverError,
  inTransactionScope,
  parseDate,
  parseInt8,
  queryError,
  scopedQueryable,
  transactionError,
} from './db-common.js';

export interface PostgresOptions {
  /** Schema put first on every connection's `search_path` (tests isolate themselves this way). */
  searchPath?: string;
  /** Largest number of pooled connections. Default 10. */
  maxConnections?: number;
  /** Give up connecting after this many milliseconds. Default 10 000. */
  connectTimeoutMs?: number;
}

/** pg's parser of `text[]`: nested arrays of `string | null`, whatever the element type's text is. */
const lookUpParser = pg.types.getTypeParser as (oid: number, format: 'text') => (text: string) => unknown;
const parseTextArray = lookUpParser(OID.textArray, 'text');

function arrayOf(parse: (text: string) => unknown): (text: string) => unknown {
  const map = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(map) : typeof value === 'string' ? parse(value) : value;
  return (text) => map(parseTextArray(text));
}

function getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
  if (format !== 'binary') {
    switch (oid) {
      case OID.int8:
        return parseInt8;
      case OID.date:
        return parseDate;
      case OID.int8Array:
        return arrayOf(parseInt8);
      case OID.dateArray:
        return arrayOf(parseDate);
    }
  }
  return pg.types.getTypeParser(oid, format);
}

/** Type parsers of this adapter; per pool, so the process-wide `pg.types` stay untouched. */
export const PG_TYPES: pg.CustomTypesConfig = { getTypeParser };

/** The URL with its password masked and its query string dropped (it may carry secrets). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    u.search = '';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Connects a pool to `url` and checks that the server answers. Migrations are not run here. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Database> {
  const location = redactUrl(url);
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch (e) {
    throw new AppError('DB_ERROR', `The PostgreSQL URL ${JSON.stringify(location)} is not a valid URL`, {
      cause: e,
    });
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new AppError(
      'DB_ERROR',
      `The PostgreSQL URL must start with postgres:// or postgresql://, got ${protocol}//`,
    );
  }
  if (options.searchPath !== undefined) assertIdentifier(options.searchPath, 'The search_path schema');
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    options: options.searchPath === undefined ? undefined : `-c search_path=${options.searchPath}`,
    application_name: 'nextoffer',
    types: PG_TYPES,
  });
  // An idle pooled connection that fails (server restart) is discarded by the pool; the next
  // query reconnects or reports the failure. Without a listener the 'error' event would kill the process.
  pool.on('error', () => undefined);
  // A checked-out client (in a transaction or in `pool.query`) has no pool listener while it is
  // out: a server restart (57P01) would emit 'error' on it unhandled and end the process. Every
  // client gets its own listener for its whole life; the failure reaches the caller through the
  // failed query instead.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  try {
    await pool.query('select 1');
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new AppError('DB_ERROR', `Cannot connect to PostgreSQL at ${location}: ${describeDriverError(e)}`, {
      cause: e,
    });
  }
  return new PostgresDatabase(pool, location);
}

function executorQueryable(executor: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      // `queryMode` is a pg option missing from @types/pg: it forces the extended protocol even
      // without parameters, so a multi-statement string fails here as it does on PGlite.
      const config: pg.QueryConfig & { queryMode: 'extended' } = {
        text: sql,
        values: [...params],
        queryMode: 'extended',
      };
      try {
        const result = await executor.query<pg.QueryResultRow>(config);
        return result.rows as T[];
      } catch (e) {
        throw queryError(e, sql);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await executor.query(sql);
      } catch (e) {
        throw queryError(e, sql);
      }
    },
  };
}

class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  readonly location: string;
  readonly #pool: pg.Pool;
  readonly #direct: Queryable;
  #closed = false;

  constructor(pool: pg.Pool, location: string) {
    this.#pool = pool;
    this.location = location;
    this.#direct = executorQueryable(pool);
  }

  async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    this.#assertUsable('query');
    return this.#direct.query<T>(sql, params);
  }

  async exec(sql: string): Promise<void> {
    this.#assertUsable('exec');
    return this.#direct.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.#assertUsable('transaction');
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (e) {
      throw transactionError(e);
    }
    // A connection whose BEGIN/COMMIT/ROLLBACK failed is destroyed rather than reused.
    let broken: Error | undefined = undefined;
    try {
      await client.query('begin').catch((e: unknown) => {
        broken = transactionError(e);
        throw broken;
      });
      const inner = executorQueryable(client);
      const scoped = scopedQueryable(inner);
      let result: T;
      try {
        result = await inTransactionScope(this, () => fn(scoped.handle));
        await assertTransactionHealthy(inner);
      } catch (e) {
        scoped.end();
        await client.query('rollback').catch((re: unknown) => {
          broken = transactionError(re);
        });
        throw e;
      }
      scoped.end();
      await client.query('commit').catch((e: unknown) => {
        broken = transactionError(e);
        throw broken;
      });
      return result;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#pool.end();
    } catch (e) {
      throw new AppError('DB_ERROR', `Closing the PostgreSQL pool failed: ${describeDriverError(e)}`, {
        cause: e,
      });
    }
  }

  #assertUsable(operation: string): void {
    if (this.#closed)
      throw new AppError('DB_ERROR', `db.${operation}() was called after the database was closed`);
    assertNotInTransaction(this, operation);
  }
}
