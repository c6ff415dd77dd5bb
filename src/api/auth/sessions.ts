/**
 * Web UI sessions (server-side, in the database, so they survive restarts and are shared by
 * replicas): `open` returns a random 256-bit token for the `nextoffer_session` cookie and stores
 * only its SHA-256; `resolve` maps a token to the current user and role (a disabled user, a changed
 * password or an expired session resolves to null); `close` deletes it (logout).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../store/db.js';
import type { Role } from '../../store/users.js';
import type { Principal } from './authenticator.js';

export const SESSION_COOKIE = 'nextoffer_session';

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A short fingerprint of a password hash: sessions end when the password changes. */
function passwordTag(passwordHash: string): string {
  return digest(`session:${passwordHash}`).slice(0, 32);
}

export class SessionStore {
  constructor(
    private readonly db: Database,
    private readonly ttlSeconds: number,
  ) {}

  get ttl(): number {
    return this.ttlSeconds;
  }

  /** Opens a session for a verified user; returns the cookie token. */
  async open(name: string, passwordHash: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.db.query(`delete from web_sessions where expires_at < now()`);
    await this.db.query(
      `insert into web_sessions (id, user_name, password_tag, expires_at)
       values ($1, $2, $3, now() + make_interval(secs => $4))`,
      [digest(token), name, passwordTag(passwordHash), this.ttlSeconds],
    );
    return token;
  }

  /** The user of a live session, or null. */
  async resolve(token: string): Promise<Principal | null> {
    if (!TOKEN_RE.test(token)) return null;
    const [row] = await this.db.query<{
      name: string;
      role: Role;
      disabled: boolean;
      hash: string;
      tag: string;
    }>(
      `select u.name, u.role, u.disabled, u.password_hash as hash, s.password_tag as tag
         from web_sessions s join users u on u.name = s.user_name
        where s.id = $1 and s.expires_at > now()`,
      [digest(token)],
    );
    if (!row || row.disabled || row.tag !== passwordTag(row.hash)) return null;
    return { name: row.name, role: row.role };
  }

  async close(token: string): Promise<void> {
    if (TOKEN_RE.test(token)) await this.db.query(`delete from web_sessions where id = $1`, [digest(token)]);
  }
}

/** The value of one cookie in a `Cookie` header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A `Set-Cookie` value for the session token (`maxAge` 0 clears it). */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
