/**
 * The embedded database shared by every process that opens the same data directory.
 *
 * PGlite allows one process on its files. So the first process that opens `<data dir>/pglite`
 * becomes its host: it takes a lock that the kernel releases when the process ends (an abstract
 * Unix socket on Linux, else a lock file holding the host's pid), opens PGlite on a worker thread
 * (`pglite-host-worker.mjs`) and serves it on the Unix socket `<data dir>/pglite/.s.PGSQL.5432`,
 * in the PostgreSQL wire protocol. Every process — the host itself included — then talks to the
 * database through the `pg` adapter over that socket, so a CLI command's write is visible to a
 * running server at its next statement, and no second process ever opens the PGlite files.
 *
 * When the host stops (or dies), the next statement of any other process finds the socket gone,
 * elects a new host (itself, or whoever won the lock) and goes on; a statement whose connection
 * broke mid-way is not retried (it may have been applied), a transaction is retried whole (it was
 * rolled back).
 */
import { createHash } from 'node:crypto';
import { open, readFile, realpath, rm, mkdir } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError, isAppError } from '../errors.js';
import type { Database, Queryable } from './db.js';
import { describeDriverError } from './db-common.js';
import { openPostgres } from './db-postgres.js';

/** How long an opener waits for a host that is starting or for the lock. */
const ELECTION_TIMEOUT_MS = 60_000;
const SOCKET_PORT = 5432;

interface Host {
  worker: Worker;
  release(): Promise<void>;
}

interface Session {
  db: Database;
  host: Host | undefined;
}

/** Where the host's socket lives: the data dir, or a temp dir when that path is too long. */
export function embeddedSocketDir(dataDir: string): string {
  const socket = path.join(dataDir, `.s.PGSQL.${SOCKET_PORT}`);
  if (Buffer.byteLength(socket) <= 100) return dataDir;
  return path.join(os.tmpdir(), `nextoffer-${digest(dataDir).slice(0, 16)}`);
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function errnoOf(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 6 && typeof cur === 'object' && cur !== null; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    if (cur instanceof AggregateError && cur.errors.length > 0) cur = cur.errors[0];
    else cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The socket is not there or nobody listens on it: no statement reached a database. */
function hostAbsent(e: unknown): boolean {
  const code = errnoOf(e);
  return code === 'ENOENT' || code === 'ECONNREFUSED';
}

/** The connection to the host broke (the host stopped or died). */
function hostLost(e: unknown): boolean {
  if (hostAbsent(e)) return true;
  const code = errnoOf(e);
  if (code === 'ECONNRESET' || code === 'EPIPE') return true;
  const text = describeDriverError(e);
  return /Connection terminated|connection ended|not queryable|57P01/i.test(text);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Takes the host lock of a data dir; `undefined` when another process holds it. */
async function takeLock(dataDir: string, key: string): Promise<(() => Promise<void>) | undefined> {
  if (process.platform === 'linux') {
    const server = net.createServer();
    const taken = await new Promise<boolean>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        e.code === 'EADDRINUSE' ? resolve(false) : reject(e),
      );
      server.listen(`\0nextoffer-pglite-${key}`, () => resolve(true));
    });
    if (!taken) return undefined;
    server.unref();
    return () => new Promise<void>((resolve) => server.close(() => resolve()));
  }
  const file = path.join(dataDir, '.host.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST') throw e;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) return undefined;
      await rm(file, { force: true });
    }
  }
  return undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoOf(e) === 'EPERM';
  }
}

async function startHost(dataDir: string, socketPath: string): Promise<Worker> {
  const worker = new Worker(new URL('./pglite-host-worker.mjs', import.meta.url), {
    workerData: { dataDir, socketPath },
  });
  const reply = await new Promise<{ ok?: boolean; error?: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the database host thread exited (code ${code})`)));
  });
  if (reply.ok !== true) {
    await worker.terminate();
    throw new Error(reply.error ?? 'the database host thread did not start');
  }
  worker.removeAllListeners('exit');
  worker.removeAllListeners('error');
  worker.on('error', () => undefined);
  worker.unref();
  return worker;
}

async function stopHost(worker: Worker): Promise<void> {
  worker.ref();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 10_000);
    worker.on('message', (m: { closed?: boolean }) => {
      if (m.closed === true) {
        clearTimeout(timer);
        resolve();
      }
    });
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.postMessage('close');
  });
  await worker.terminate();
}

/** Connects to the data dir's host, becoming the host when there is none. */
async function elect(dataDir: string): Promise<Session> {
  await mkdir(dataDir, { recursive: true });
  const real = await realpath(dataDir);
  const socketDir = embeddedSocketDir(real);
  await mkdir(socketDir, { recursive: true });
  const socketPath = path.join(socketDir, `.s.PGSQL.${SOCKET_PORT}`);
  const url = `postgres://postgres@localhost:${SOCKET_PORT}/postgres?host=${encodeURIComponent(socketDir)}`;
  const connect = () => openPostgres(url, { maxConnections: 4, connectTimeoutMs: 30_000 });
  const deadline = Date.now() + ELECTION_TIMEOUT_MS;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return { db: await connect(), host: undefined };
    } catch (e) {
      // Refused, missing, or reset by a host that is just stopping: nothing ran; elect again.
      if (!hostLost(e)) throw e;
      last = e;
    }
    const release = await takeLock(real, digest(real).slice(0, 32));
    if (release === undefined) {
      await sleep(50 + Math.random() * 100);
      continue;
    }
    try {
      const worker = await startHost(real, socketPath);
      const host: Host = {
        worker,
        release: async () => {
          await stopHost(worker);
          await release();
        },
      };
      try {
        return { db: await connect(), host };
      } catch (e) {
        await host.release();
        throw e;
      }
    } catch (e) {
      await release();
      throw e;
    }
  }
  throw new AppError(
    'DB_ERROR',
    `No process could host the embedded database in ${dataDir} within ${ELECTION_TIMEOUT_MS / 1000} s: ${describeDriverError(last)}`,
    { cause: last },
  );
}

/** Opens the embedded database of `dataDir` as its host or as a client of the running host. */
export async function openEmbedded(dataDir: string): Promise<EmbeddedDatabase> {
  try {
    return new EmbeddedDatabase(dataDir, await elect(dataDir));
  } catch (e) {
    if (isAppError(e) && /No process could host/.test(e.message)) throw e;
    throw new AppError(
      'DB_ERROR',
      `Cannot open the embedded database (${dataDir}): ${describeDriverError(e)}`,
      {
        cause: e,
      },
    );
  }
}

export class EmbeddedDatabase implements Database {
  readonly kind = 'pglite' as const;
  readonly location: string;
  readonly #dataDir: string;
  #session: Session;
  #reelecting: Promise<Session> | undefined;
  #closed = false;

  constructor(dataDir: string, session: Session) {
    this.#dataDir = dataDir;
    this.location = dataDir;
    this.#session = session;
  }

  /** True while this process hosts the database for the others. */
  get isHost(): boolean {
    return this.#session.host !== undefined;
  }

  async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.#run('query', (db) => db.query<T>(sql, params), hostAbsent);
  }

  async exec(sql: string): Promise<void> {
    return this.#run('exec', (db) => db.exec(sql), hostAbsent);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#run('transaction', (db) => db.transaction(fn), hostLost);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const session = await (this.#reelecting ?? Promise.resolve(this.#session)).catch(() => this.#session);
    try {
      await session.db.close();
    } finally {
      await session.host?.release();
    }
  }

  async #run<T>(
    operation: string,
    op: (db: Database) => Promise<T>,
    retryable: (e: unknown) => boolean,
  ): Promise<T> {
    if (this.#closed)
      throw new AppError('DB_ERROR', `db.${operation}() was called after the database was closed`);
    const session = this.#session;
    try {
      return await op(session.db);
    } catch (e) {
      if (session.host !== undefined || !hostLost(e)) throw e;
      await this.#reelect(session);
      if (!retryable(e)) throw e;
      return op(this.#session.db);
    }
  }

  /** Replaces a session whose host went away; concurrent callers share one election. */
  async #reelect(lost: Session): Promise<void> {
    if (this.#session !== lost) return;
    this.#reelecting ??= (async () => {
      await lost.db.close().catch(() => undefined);
      return elect(this.#dataDir);
    })();
    try {
      this.#session = await this.#reelecting;
    } finally {
      this.#reelecting = undefined;
    }
  }
}
