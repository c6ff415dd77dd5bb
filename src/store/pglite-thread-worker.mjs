// @ts-check
/**
 * Worker thread hosting an embedded PGlite database for `db-pglite-thread.ts`, so PostgreSQL's
 * WebAssembly work (history batches, reports) runs off the server's event loop. Plain JavaScript
 * (type-checked through JSDoc) because worker threads load files that Node can run as they are.
 *
 * Protocol: requests `{ id, op, … }` on the parent port, answers `{ id, ok, … }`. Id 0 answers the
 * start. Transactions: `begin` opens one (PGlite's own transaction, which holds its connection
 * until the end) and answers its `tx` number; `query`/`exec` with `tx` run inside it; `end` commits
 * (`commit: true`) or rolls back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_PARSERS } from './pglite-parsers.mjs';

if (parentPort === null) throw new Error('pglite-thread-worker.mjs must run in a worker thread');
const port = parentPort;

/** Thrown inside a transaction callback to roll it back. */
const ROLLBACK = new Error('rollback requested');

/**
 * @typedef {{ id: number, op: 'query', sql: string, params?: unknown[], tx?: number }
 *   | { id: number, op: 'exec', sql: string, tx?: number }
 *   | { id: number, op: 'begin' }
 *   | { id: number, op: 'end', tx: number, commit: boolean }
 *   | { id: number, op: 'close' }} Request
 * @typedef {{ query: PGlite['query'], exec: PGlite['exec'] }} Executor
 * @typedef {{ handle: Executor, finish: (commit: boolean) => void, settled: Promise<unknown> }} OpenTx
 */

/** @param {unknown} e */
function describe(e) {
  const source = /** @type {Record<string, unknown>} */ (typeof e === 'object' && e !== null ? e : {});
  /** @type {Record<string, unknown>} */
  const out = {
    message: e instanceof Error ? e.message : String(e),
    name: e instanceof Error ? e.name : 'Error',
  };
  for (const key of [
    'code',
    'detail',
    'hint',
    'position',
    'severity',
    'schema',
    'table',
    'column',
    'constraint',
  ]) {
    if (typeof source[key] === 'string') out[key] = source[key];
  }
  return out;
}

/** @type {Map<number, OpenTx>} */
const transactions = new Map();
let nextTx = 1;

/** @param {PGlite} db @param {number | undefined} tx @returns {Executor} */
function executor(db, tx) {
  if (tx === undefined) return db;
  const open = transactions.get(tx);
  if (open === undefined) throw new Error(`transaction ${tx} is not open`);
  return open.handle;
}

/** @param {PGlite} db @param {number} id */
function begin(db, id) {
  const tx = nextTx++;
  /** @type {(commit: boolean) => void} */
  let finish = () => undefined;
  /** @type {Promise<boolean>} */
  const decided = new Promise((resolve) => {
    finish = resolve;
  });
  let started = false;
  const settled = db
    .transaction(async (handle) => {
      started = true;
      transactions.set(tx, { handle, finish, settled });
      port.postMessage({ id, ok: true, tx });
      if (!(await decided)) throw ROLLBACK;
    })
    .then(
      () => undefined,
      (e) => {
        if (e !== ROLLBACK) throw e;
      },
    )
    .finally(() => transactions.delete(tx));
  // A transaction that could not even start answers the `begin` with its error.
  settled.catch((e) => {
    if (!started) port.postMessage({ id, ok: false, error: describe(e) });
  });
}

/** @param {PGlite} db @param {Request} request */
async function handle(db, request) {
  switch (request.op) {
    case 'query':
      return { rows: (await executor(db, request.tx).query(request.sql, request.params ?? [])).rows };
    case 'exec':
      await executor(db, request.tx).exec(request.sql);
      return {};
    case 'end': {
      const open = transactions.get(request.tx);
      if (open === undefined) throw new Error(`transaction ${request.tx} is not open`);
      open.finish(request.commit);
      await open.settled;
      return {};
    }
    case 'close':
      await db.close();
      return {};
    default:
      throw new Error(`unknown request ${JSON.stringify(request)}`);
  }
}

const options = /** @type {{ dataDir?: string } | undefined} */ (workerData) ?? {};
try {
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir, parsers: PGLITE_PARSERS });
  port.on('message', (/** @type {Request} */ request) => {
    if (request.op === 'begin') {
      begin(db, request.id);
      return;
    }
    handle(db, request).then(
      (result) => port.postMessage({ id: request.id, ok: true, ...result }),
      (e) => port.postMessage({ id: request.id, ok: false, error: describe(e) }),
    );
  });
  port.postMessage({ id: 0, ok: true });
} catch (e) {
  port.postMessage({ id: 0, ok: false, error: describe(e) });
}
