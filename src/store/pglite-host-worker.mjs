// @ts-check
/**
 * Worker thread that hosts the embedded database of a data directory for every process on the
 * machine (see `db-embedded.ts`): it opens PGlite on the directory and serves it on a Unix socket
 * that speaks the PostgreSQL wire protocol, so this process and any other (CLI commands, a second
 * server) connect to it with the ordinary `pg` driver, exactly as to a PostgreSQL server.
 *
 * PGlite is one backend with one session. This server multiplexes the connections onto it:
 * - a connection's messages are grouped into units that end at Sync (extended protocol) or Query
 *   (simple protocol); a unit runs on PGlite at once, so two connections' Parse/Bind/Execute never
 *   interleave;
 * - after a unit leaves the session inside a transaction block (ReadyForQuery status `T` or `E`),
 *   only that connection's units run until the block ends; the others wait in arrival order;
 * - a connection that drops inside a transaction block has it rolled back.
 * `@electric-sql/pglite-socket` multiplexes message by message and lets an extended-protocol query
 * of one connection interleave with another's, so it is not used for this.
 *
 * workerData: `{ dataDir, socketPath }`. Posts `{ ok: true }` when listening, `{ ok: false, error }`
 * when it cannot start; on a `'close'` message it stops listening, closes PGlite and posts
 * `{ closed: true }`.
 */
import { Buffer } from 'node:buffer';
import { createServer } from 'node:net';
import { mkdir, rm } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

if (parentPort === null) throw new Error('pglite-host-worker.mjs must run in a worker thread');
const port = parentPort;
// workerData is typed `any` by Node; its shape is the one db-embedded.ts posts.
// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
const options = /** @type {{ dataDir: string, socketPath: string }} */ (/** @type {unknown} */ (workerData));
const { dataDir, socketPath } = options;

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

/**
 * @typedef {{ id: number, socket: import('node:net').Socket, buffer: Buffer, started: boolean,
 *   pending: Buffer[], closed: boolean }} Connection
 * @typedef {{ conn: Connection, message: Uint8Array }} Unit
 */

/** @type {PGlite} */
let db;
/** @type {Unit[]} */
const queue = [];
/** The connection whose transaction block is open, or null. */
/** @type {Connection | null} */
let owner = null;
let running = false;
let nextConnection = 1;
/** @type {Set<Connection>} */
const connections = new Set();

/** Status byte of the last ReadyForQuery (`Z`) message in a backend answer, or undefined. */
function lastStatus(/** @type {Uint8Array} */ out) {
  let status;
  let at = 0;
  while (at + 5 <= out.length) {
    const type = out[at];
    const length = ((out[at + 1] << 24) | (out[at + 2] << 16) | (out[at + 3] << 8) | out[at + 4]) >>> 0;
    if (type === 0x5a && length === 5 && at + 5 < out.length) status = out[at + 5];
    at += 1 + length;
  }
  return status;
}

async function drain() {
  if (running) return;
  running = true;
  try {
    for (;;) {
      const index = owner === null ? 0 : queue.findIndex((unit) => unit.conn === owner);
      if (index < 0 || index >= queue.length) break;
      const [unit] = queue.splice(index, 1);
      if (unit.conn.closed) continue;
      /** @type {Uint8Array[]} */
      const parts = [];
      try {
        await db.runExclusive(() =>
          db.execProtocolRawStream(unit.message, { onRawData: (chunk) => parts.push(chunk.slice()) }),
        );
      } catch (e) {
        // PGlite answers SQL errors on the wire; a throw here means the backend itself failed.
        unit.conn.socket.destroy(e instanceof Error ? e : new Error(String(e)));
        continue;
      }
      const out = Buffer.concat(parts);
      const status = lastStatus(out);
      if (status === 0x54 || status === 0x45) owner = unit.conn;
      else if (status === 0x49 && owner === unit.conn) owner = null;
      if (!unit.conn.closed && out.length > 0) unit.conn.socket.write(out);
    }
  } finally {
    running = false;
  }
}

function enqueue(/** @type {Connection} */ conn, /** @type {Buffer[]} */ messages) {
  queue.push({ conn, message: new Uint8Array(Buffer.concat(messages)) });
  void drain();
}

/** Splits the connection's buffer into messages and queues each complete unit. */
function receive(/** @type {Connection} */ conn, /** @type {Buffer} */ data) {
  conn.buffer = conn.buffer.length === 0 ? data : Buffer.concat([conn.buffer, data]);
  for (;;) {
    if (!conn.started) {
      if (conn.buffer.length < 8) return;
      const length = conn.buffer.readInt32BE(0);
      if (conn.buffer.length < length) return;
      const code = conn.buffer.readInt32BE(4);
      const message = conn.buffer.subarray(0, length);
      conn.buffer = conn.buffer.subarray(length);
      if (code === SSL_REQUEST || code === GSS_REQUEST) {
        conn.socket.write('N');
      } else if (code === CANCEL_REQUEST) {
        conn.socket.end();
        return;
      } else if (code === PROTOCOL_3) {
        conn.started = true;
        enqueue(conn, [Buffer.from(message)]);
      } else {
        conn.socket.destroy();
        return;
      }
      continue;
    }
    if (conn.buffer.length < 5) return;
    const length = conn.buffer.readInt32BE(1);
    if (conn.buffer.length < 1 + length) return;
    const type = conn.buffer[0];
    const message = Buffer.from(conn.buffer.subarray(0, 1 + length));
    conn.buffer = conn.buffer.subarray(1 + length);
    if (type === 0x58) {
      // Terminate: the connection ends; its open block is rolled back on close.
      conn.socket.end();
      return;
    }
    conn.pending.push(message);
    // Sync, simple Query, Flush and the COPY-ending messages complete a unit.
    if (type === 0x53 || type === 0x51 || type === 0x48 || type === 0x63 || type === 0x66) {
      enqueue(conn, conn.pending);
      conn.pending = [];
    }
  }
}

async function closed(/** @type {Connection} */ conn) {
  conn.closed = true;
  connections.delete(conn);
  if (owner !== conn) return;
  owner = null;
  try {
    await db.runExclusive(() => db.exec('rollback'));
  } catch {
    // The session is idle already.
  }
  void drain();
}

try {
  await mkdir(dataDir, { recursive: true });
  db = await PGlite.create({ dataDir });
  await rm(socketPath, { force: true });
  const server = createServer((socket) => {
    /** @type {Connection} */
    const conn = {
      id: nextConnection++,
      socket,
      buffer: Buffer.alloc(0),
      started: false,
      pending: [],
      closed: false,
    };
    connections.add(conn);
    socket.setNoDelay(true);
    socket.on('data', (data) => receive(conn, data));
    socket.on('error', () => undefined);
    socket.on('close', () => void closed(conn));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve(undefined));
  });
  server.on('error', () => undefined);
  port.on('message', (/** @type {unknown} */ message) => {
    if (message !== 'close') return;
    server.close();
    for (const conn of connections) conn.socket.destroy();
    void (async () => {
      try {
        await db.close();
      } finally {
        await rm(socketPath, { force: true });
        port.postMessage({ closed: true });
      }
    })();
  });
  port.postMessage({ ok: true });
} catch (e) {
  port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
}
