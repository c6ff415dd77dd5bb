/**
 * A small Redis (RESP2) client for BullMQ. BullMQ talks to Redis through a driver chosen by shape:
 * ioredis, node-redis, or a client exposing `send(command, args)`, `connected`, `connect()`,
 * `close()`, `duplicate()` and `onconnect`/`onclose` callbacks (Bun's built-in client). This module
 * is the last kind, over a plain TCP (or TLS) socket, so the job queue needs no extra package.
 *
 * Replies: simple strings and bulk strings → `string` (UTF-8), integers → `number`, nil → `null`,
 * arrays → arrays (an error inside an array, as in EXEC, is an `Error` element), a top-level error
 * reply rejects the command's promise. Commands are pipelined; replies are matched in order.
 */
import net from 'node:net';
import tls from 'node:tls';
import { AppError } from '../errors.js';

export type RedisReply = string | number | null | Error | RedisReply[];
type Arg = string | number | Buffer;

interface Pending {
  resolve: (v: RedisReply) => void;
  reject: (e: Error) => void;
}

export interface RedisTarget {
  host: string;
  port: number;
  tls: boolean;
  username: string;
  password: string;
  db: number;
}

/** Parses `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS). */
export function parseRedisUrl(url: string): RedisTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch (e) {
    throw new AppError('CONFIG_INVALID', `NEXTOFFER_REDIS_URL: not a URL`, { cause: e });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new AppError('CONFIG_INVALID', `NEXTOFFER_REDIS_URL: scheme must be redis:// or rediss://`);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db))
    throw new AppError(
      'CONFIG_INVALID',
      `NEXTOFFER_REDIS_URL: database ${JSON.stringify(db)} must be a number`,
    );
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port === '' ? 6379 : Number(u.port),
    tls: u.protocol === 'rediss:',
    username: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    db: db === '' ? 0 : Number(db),
  };
}

function encode(command: string, args: readonly Arg[]): Buffer {
  const parts: Buffer[] = [
    Buffer.from(`*${args.length + 1}\r\n$${Buffer.byteLength(command)}\r\n${command}\r\n`),
  ];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a));
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Parses one reply at `at`; returns null when the buffer does not hold a whole reply yet. */
function parseReply(buf: Buffer, at: number): { value: RedisReply; next: number } | null {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return null;
  const type = String.fromCharCode(buf[at]);
  const line = buf.toString('utf8', at + 1, eol);
  switch (type) {
    case '+':
      return { value: line, next: eol + 2 };
    case '-':
      return { value: new Error(line), next: eol + 2 };
    case ':':
      return { value: Number(line), next: eol + 2 };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, next: eol + 2 };
      const end = eol + 2 + len;
      if (buf.length < end + 2) return null;
      return { value: buf.toString('utf8', eol + 2, end), next: end + 2 };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, next: eol + 2 };
      const items: RedisReply[] = [];
      let next = eol + 2;
      for (let i = 0; i < n; i++) {
        const item = parseReply(buf, next);
        if (item === null) return null;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error(`Redis protocol error: unexpected reply type ${JSON.stringify(type)}`);
  }
}

export class RespClient {
  readonly url: string;
  connected = false;
  onconnect: () => void = () => undefined;
  onclose: (error?: Error) => void = () => undefined;
  onerror: (error: Error) => void = () => undefined;
  readonly #target: RedisTarget;
  #socket: net.Socket | null = null;
  #pending: Pending[] = [];
  #buffer: Buffer = Buffer.alloc(0);
  #connecting: Promise<void> | null = null;

  constructor(url: string) {
    this.url = url;
    this.#target = parseRedisUrl(url);
  }

  connect(): Promise<void> {
    if (this.connected) return Promise.resolve();
    this.#connecting ??= new Promise<void>((resolve, reject) => {
      const t = this.#target;
      const socket = t.tls
        ? tls.connect({ host: t.host, port: t.port, servername: t.host })
        : net.connect({ host: t.host, port: t.port });
      socket.setNoDelay(true);
      this.#socket = socket;
      const onFail = (e: Error) => {
        this.#connecting = null;
        reject(new Error(`Connection has failed: ${e.message}`));
      };
      socket.once('error', onFail);
      socket.once(t.tls ? 'secureConnect' : 'connect', () => {
        socket.off('error', onFail);
        socket.on('error', (e: Error) => this.onerror(e));
        this.#handshake()
          .then(() => {
            this.connected = true;
            this.#connecting = null;
            resolve();
            this.onconnect();
          })
          .catch((e: unknown) => {
            this.#connecting = null;
            socket.destroy();
            reject(e instanceof Error ? e : new Error(String(e)));
          });
      });
      socket.on('data', (chunk: Buffer) => this.#onData(chunk));
      socket.on('close', () => this.#onClose());
    });
    return this.#connecting;
  }

  async #handshake(): Promise<void> {
    const t = this.#target;
    if (t.password !== '')
      await this.#write('AUTH', t.username !== '' ? [t.username, t.password] : [t.password]);
    if (t.db !== 0) await this.#write('SELECT', [t.db]);
  }

  /** Sends one command; resolves with its reply, rejects on an error reply or a closed connection. */
  send(command: string, args: readonly Arg[] = []): Promise<RedisReply> {
    if (this.#socket === null || this.#socket.destroyed)
      return Promise.reject(new Error('Connection is closed.'));
    return this.#write(command, args);
  }

  #write(command: string, args: readonly Arg[]): Promise<RedisReply> {
    return new Promise<RedisReply>((resolve, reject) => {
      this.#pending.push({ resolve, reject });
      this.#socket?.write(encode(command, args));
    });
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    let at = 0;
    for (;;) {
      let parsed: { value: RedisReply; next: number } | null;
      try {
        parsed = parseReply(this.#buffer, at);
      } catch (e) {
        this.#socket?.destroy(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      if (parsed === null) break;
      at = parsed.next;
      const waiter = this.#pending.shift();
      if (waiter === undefined) continue;
      if (parsed.value instanceof Error) waiter.reject(parsed.value);
      else waiter.resolve(parsed.value);
    }
    this.#buffer = at === this.#buffer.length ? Buffer.alloc(0) : this.#buffer.subarray(at);
  }

  #onClose(): void {
    const wasConnected = this.connected;
    this.connected = false;
    const pending = this.#pending;
    this.#pending = [];
    this.#buffer = Buffer.alloc(0);
    for (const p of pending) p.reject(new Error('Connection closed'));
    if (wasConnected) this.onclose();
  }

  /** Closes the connection for good; commands still waiting are rejected with "Connection closed". */
  close(): void {
    // An intentional close is not reported through `onclose` (that would start a reconnect).
    this.onclose = () => undefined;
    this.#socket?.destroy();
  }

  /** Same as `close()` (BullMQ recognises a client instance by `connect`/`disconnect`/`duplicate`). */
  disconnect(): void {
    this.close();
  }

  /** A new, unconnected client for the same server (BullMQ keeps blocking reads on their own connection). */
  duplicate(): RespClient {
    return new RespClient(this.url);
  }
}
