/**
 * PGlite adapter: PostgreSQL compiled to WebAssembly, running inside this process. Persisted in a
 * directory, or in memory when no directory is given (tests). One process at a time may open a
 * directory: PGlite has a single connection and no cross-process locking.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite, type ParserOptions, type Transaction } from '@electric-sql/pglite';
import { AppError } from '../errors.js';
import type { Database, Queryable } from './db.js';
import {
  assertNotInTransaction,
  assertTransactionHealthy,
  describeDriverError,
  inTransactionScope,
  queryError,
  scopedQueryable,
  transactionError,
} from './db-common.js';
import { PGLITE_PARSERS as SHARED_PARSERS } from './pglite-parsers.mjs';

/** Parsers that make PGlite return what the pg adapter returns (see `db.ts`). */
export const PGLITE_PARSERS: ParserOptions = SHARED_PARSERS;

export interface PgliteOptions {
  /** Directory of the database files, created when missing. Omitted: an in-memory database. */
  dataDir?: string;
}

/** Opens (creating if needed) an embedded database. Migrations are not run here: see `openDatabase`. */
export async function openPglite(options: PgliteOptions = {}): Promise<Database> {
  const { dataDir } = options;
  const location = dataDir ?? 'memory';
  try {
    if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
    const instance = await PGlite.create({ dataDir, parsers: PGLITE_PARSERS });
    return new PgliteDatabase(instance, location, true);
  } catch (e) {
    throw new AppError(
      'DB_ERROR',
      `Cannot open the embedded database (${location}): ${describeDriverError(e)}`,
      {
        cause: e,
      },
    );
  }
}

/**
 * Wraps an already open PGlite instance (created with `PGLITE_PARSERS`). With `ownsInstance: false`,
 * `close()` leaves the instance open — tests share one instance between many schemas this way.
 */
export function wrapPglite(
  instance: PGlite,
  options: { location?: string; ownsInstance?: boolean } = {},
): Database {
  return new PgliteDatabase(instance, options.location ?? 'memory', options.ownsInstance ?? true);
}

type Executor = Pick<PGlite | Transaction, 'query' | 'exec'>;

function executorQueryable(executor: Executor): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      try {
        const result = await executor.query<T>(sql, [...params]);
        return result.rows;
      } catch (e) {
        throw queryError(e, sql);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await executor.exec(sql);
      } catch (e) {
        throw queryError(e, sql);
      }
    },
  };
}

class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  readonly location: string;
  readonly #instance: PGlite;
  readonly #ownsInstance: boolean;
  readonly #direct: Queryable;
  #closed = false;

  constructor(instance: PGlite, location: string, ownsInstance: boolean) {
    this.#instance = instance;
    this.location = location;
    this.#ownsInstance = ownsInstance;
    this.#direct = executorQueryable(instance);
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
    let failure: { error: unknown } | undefined;
    try {
      return await this.#instance.transaction(async (tx) => {
        const inner = executorQueryable(tx);
        const scoped = scopedQueryable(inner);
        try {
          const result = await inTransactionScope(this, () => fn(scoped.handle));
          await assertTransactionHealthy(inner);
          return result;
        } catch (e) {
          failure = { error: e };
          throw e;
        } finally {
          scoped.end();
        }
      });
    } catch (e) {
      if (failure !== undefined && e === failure.error) throw e;
      throw transactionError(e);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#ownsInstance) return;
    try {
      await this.#instance.close();
    } catch (e) {
      throw new AppError('DB_ERROR', `Closing the embedded database failed: ${describeDriverError(e)}`, {
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
