/**
 * Pieces shared by the PGlite and pg adapters: error wrapping, value parsers that make both drivers
 * return the same JS values, and the guard that keeps callers on the `tx` handle inside a
 * transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError, isAppError } from '../errors.js';
import type { Queryable } from './db.js';

export { OID, parseBytea, parseDate, parseInt8 } from './pglite-parsers.mjs';

/** One line describing a driver failure: its message, SQLSTATE or errno, and detail. */
export function describeDriverError(e: unknown): string {
  if (e instanceof AggregateError && e.message === '' && e.errors.length > 0) {
    return describeDriverError(e.errors[0]);
  }
  const fields = (typeof e === 'object' && e !== null ? e : {}) as { code?: unknown; detail?: unknown };
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  let message = e instanceof Error ? e.message : String(e);
  if (message === '') message = code ?? 'unknown error';
  else if (code !== undefined && !message.includes(code)) {
    message += /^[0-9A-Z]{5}$/.test(code) ? ` (SQLSTATE ${code})` : ` (${code})`;
  }
  if (typeof fields.detail === 'string' && fields.detail !== '') message += `: ${fields.detail}`;
  return message.replace(/\s+/g, ' ').trim();
}

/** The first characters of a statement on one line, to name it in an error. */
export function sqlSnippet(sql: string, max = 80): string {
  const line = sql.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Wraps a driver failure of one statement; an `AppError` passes through unchanged. */
export function queryError(e: unknown, sql: string): AppError {
  if (isAppError(e)) return e;
  return new AppError(
    'DB_ERROR',
    `Database query failed: ${describeDriverError(e)} — in: ${sqlSnippet(sql)}`,
    {
      cause: e,
    },
  );
}

const openTransactions = new AsyncLocalStorage<ReadonlySet<object>>();

/** Runs `fn` marked as the body of a transaction of `owner`. */
export function inTransactionScope<T>(owner: object, fn: () => Promise<T>): Promise<T> {
  const current = openTransactions.getStore() ?? new Set<object>();
  return openTransactions.run(new Set([...current, owner]), fn);
}

/** Throws when called from inside a transaction body of `owner` (the caller should use `tx`). */
export function assertNotInTransaction(owner: object, operation: string): void {
  if (openTransactions.getStore()?.has(owner) === true) {
    throw new AppError(
      'DB_ERROR',
      `db.${operation}() was called inside db.transaction(); use the transaction handle passed to the callback`,
    );
  }
}

/**
 * A `Queryable` that stops working once its transaction has ended, so a leaked `tx` cannot run
 * statements on a connection that has gone back to the pool.
 */
export function scopedQueryable(inner: Queryable): { handle: Queryable; end(): void } {
  let ended = false;
  const check = (): void => {
    if (ended) throw new AppError('DB_ERROR', 'The transaction handle was used after its transaction ended');
  };
  return {
    handle: {
      query: async <T>(sql: string, params?: readonly unknown[]): Promise<T[]> => {
        check();
        return inner.query<T>(sql, params);
      },
      exec: async (sql: string): Promise<void> => {
        check();
        return inner.exec(sql);
      },
    },
    end: () => {
      ended = true;
    },
  };
}

/** Wraps a failure of BEGIN/COMMIT/ROLLBACK; failures thrown by the callback itself pass through. */
export function transactionError(e: unknown): AppError {
  if (isAppError(e)) return e;
  return new AppError('DB_ERROR', `Database transaction failed: ${describeDriverError(e)}`, { cause: e });
}

/** Throws `AppError('DB_ERROR')` unless `name` is a plain lower-case SQL identifier. */
export function assertIdentifier(name: string, what: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new AppError(
      'DB_ERROR',
      `${what} ${JSON.stringify(name)} is not a valid identifier ([a-z_][a-z0-9_]*)`,
    );
  }
}

/**
 * Fails a transaction whose callback caught a failed statement and returned normally: PostgreSQL
 * would silently turn its COMMIT into a ROLLBACK.
 */
export async function assertTransactionHealthy(tx: Queryable): Promise<void> {
  try {
    await tx.query('select 1');
  } catch (e) {
    throw new AppError(
      'DB_ERROR',
      'The transaction was rolled back: a statement inside it failed and the callback caught the error',
      { cause: e },
    );
  }
}
