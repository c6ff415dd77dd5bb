/**
 * PGlite in a worker thread (`pglite-thread-worker.mjs`): the same embedded database and the same
 * `Database` contract as `db-pglite.ts`, but PostgreSQL's WebAssembly runs on a thread of its own,
 * so a batch of history inserts or a report query no longer stalls the server's event loop. Each
 * statement costs one message each way (tens of microseconds).
 *
 * Values cross the thread boundary by structured clone: rows keep `Date`, `bigint` and parsed
 * JSON; `bytea` arrives as a `Uint8Array` and is turned back into a `Buffer` here.
 *
 * The worker keeps the process alive only while a request is pending, so a CLI command that forgets
 * to close the database still exits.
 */
import { Worker } from 'node:worker_threads';
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

interface WorkerError {
  message: string;
  name: string;
  [field: string]: unknown;
}

interface Reply {
  id: number;
  ok: boolean;
  rows?: Record<string, unknown>[];
  tx?: number;
  error?: WorkerError;
}

type Request =
  | { op: 'query'; sql: string; params: unknown[]; tx?: number }
  | { op: 'exec'; sql: string; tx?: number }
  | { op: 'begin' }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'close' };

/** A driver error rebuilt on this side with its SQLSTATE (`code`) and detail fields. */
function rebuildError(error: WorkerError | undefined): Error {
  const e = new Error(error?.message ?? 'the database thread failed') as Error & Record<string, unknown>;
  if (error !== undefined) {
    e.name = error.name;
    for (const [key, value] of Object.entries(error)) if (key !== 'message' && key !== 'name') e[key] = value;
  }
  return e;
}

function restoreBuffers(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      const value = row[key];
      if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
        row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      }
    }
  }
  return rows;
}

class DatabaseThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (reply: Reply) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #dead: Error | undefined;

  constructor(dataDir: string | undefined, ready: (reply: Reply) => void, failed: (e: Error) => void) {
    this.#worker = new Worker(new URL('./pglite-thread-worker.mjs', import.meta.url), {
      workerData: { dataDir },
    });
    this.#pending.set(0, { resolve: ready, reject: failed });
    this.#worker.on('message', (reply: Reply) => {
      const waiter = this.#pending.get(reply.id);
      if (waiter === undefined) return;
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) this.#worker.unref();
      waiter.resolve(reply);
    });
    const die = (e: Error): void => {
      this.#dead ??= e;
      for (const waiter of this.#pending.values()) waiter.reject(e);
      this.#pending.clear();
    };
    this.#worker.on('error', die);
    this.#worker.on('exit', (code) => die(new Error(`the database thread exited (code ${code})`)));
  }

  /** Sends a request and resolves with the worker's answer; a failed answer rejects with its error. */
  async call(request: Request): Promise<Reply> {
    if (this.#dead !== undefined) throw this.#dead;
    const id = this.#nextId++;
    const reply = await new Promise<Reply>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, ...request });
    });
    if (!reply.ok) throw rebuildError(reply.error);
    return reply;
  }

  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }
}

function threadQueryable(thread: DatabaseThread, tx?: number): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      try {
        const reply = await thread.call({ op: 'query', sql, params: [...params], tx });
        return restoreBuffers(reply.rows ?? []) as T[];
      } catch (e) {
        throw queryError(e, sql);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await thread.call({ op: 'exec', sql, tx });
      } catch (e) {
        throw queryError(e, sql);
      }
    },
  };
}

/** Opens (creating if needed) an embedded database on a worker thread. Migrations are not run here. */
export async function openPgliteThread(options: { dataDir?: string } = {}): Promise<Database> {
  const location = options.dataDir ?? 'memory';
  let thread: DatabaseThread | undefined;
  try {
    const started = new Promise<Reply>((resolve, reject) => {
      thread = new DatabaseThread(options.dataDir, resolve, reject);
    });
    const reply = await started;
    if (!reply.ok) throw rebuildError(reply.error);
    if (thread === undefined) throw new Error('the database thread did not start');
    return new ThreadedPgliteDatabase(thread, location);
  } catch (e) {
    await thread?.terminate();
    throw new AppError(
      'DB_ERROR',
      `Cannot open the embedded database (${location}): ${describeDriverError(e)}`,
      { cause: e },
    );
  }
}

class ThreadedPgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  readonly location: string;
  readonly #thread: DatabaseThread;
  readonly #direct: Queryable;
  #closed = false;

  constructor(thread: DatabaseThread, location: string) {
    this.#thread = thread;
    this.location = location;
    this.#direct = threadQueryable(thread);
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
    let tx: number;
    try {
      const reply = await this.#thread.call({ op: 'begin' });
      if (reply.tx === undefined) throw new Error('the database thread opened no transaction');
      tx = reply.tx;
    } catch (e) {
      throw transactionError(e);
    }
    const inner = threadQueryable(this.#thread, tx);
    const scoped = scopedQueryable(inner);
    let result: T;
    try {
      result = await inTransactionScope(this, () => fn(scoped.handle));
      await assertTransactionHealthy(inner);
    } catch (e) {
      scoped.end();
      await this.#thread.call({ op: 'end', tx, commit: false }).catch(() => undefined);
      throw e;
    }
    scoped.end();
    try {
      await this.#thread.call({ op: 'end', tx, commit: true });
    } catch (e) {
      throw transactionError(e);
    }
    return result;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#thread.call({ op: 'close' });
    } catch (e) {
      throw new AppError('DB_ERROR', `Closing the embedded database failed: ${describeDriverError(e)}`, {
        cause: e,
      });
    } finally {
      await this.#thread.terminate();
    }
  }

  #assertUsable(operation: string): void {
    if (this.#closed)
      throw new AppError('DB_ERROR', `db.${operation}() was called after the database was closed`);
    assertNotInTransaction(this, operation);
  }
}
