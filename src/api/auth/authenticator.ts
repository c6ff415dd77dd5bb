/**
 * HTTP Basic authentication against the `users` table.
 * - Verified credentials are cached for `cacheSeconds`, keyed by a SHA-256 of name and password
 *   (never the password itself): scrypt costs tens of milliseconds by design, once per cache period.
 *   `invalidate(name)` drops a user's entries (password change, disable, role change).
 * - Database outage: only a definite "wrong password / disabled / unknown user" evicts a cached
 *   login. When the database fails while re-checking, a login verified within `outageGraceSeconds`
 *   keeps being accepted (re-checked at most every 5 s per credential).
 * - Failed logins back off exponentially per user name, and separately per client address
 *   (`throttle.ts`; 429 `AUTH_LOCKED`). A refused request costs no scrypt.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { Role, UserRepository } from '../../store/users.js';
import { DUMMY_HASH, verifyPassword } from './passwords.js';
import { LoginThrottle } from './throttle.js';

export interface Principal {
  name: string;
  role: Role;
}

export interface AuthenticatorOptions {
  /** Failures per user name, and per address, before the back-off starts. */
  maxFailures: number;
  /** Failures are forgotten this long after the last one. */
  windowSeconds: number;
  /** Longest back-off after a failure (the first one is `backoffBaseMs`, then doubling). */
  backoffMaxSeconds: number;
  backoffBaseMs?: number;
  cacheSeconds: number;
  /** How long a verified login is still accepted while the database cannot re-check it. */
  outageGraceSeconds: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

interface Entry {
  principal: Principal;
  verifiedAt: number;
  expires: number;
}

const MAX_TRACKED = 100_000;
const OUTAGE_RECHECK_MS = 5000;

/** A wrong password, unknown or disabled user: the only outcome that evicts a cached login. */
function isRejection(e: unknown): boolean {
  return e instanceof AppError && e.code === 'UNAUTHORIZED';
}

export class Authenticator {
  readonly #users: UserRepository;
  readonly #options: AuthenticatorOptions;
  readonly #now: () => number;
  readonly #cache = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<Principal>>();
  readonly #throttle: LoginThrottle;

  constructor(users: UserRepository, options: AuthenticatorOptions) {
    this.#users = users;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#throttle = new LoginThrottle(
      {
        freeFailures: Math.max(1, options.maxFailures),
        baseMs: options.backoffBaseMs ?? 1000,
        maxMs: options.backoffMaxSeconds * 1000,
        forgetMs: options.windowSeconds * 1000,
      },
      this.#now,
    );
  }

  /** Verifies an `Authorization` header; throws UNAUTHORIZED or AUTH_LOCKED. */
  async authenticate(header: string | undefined, address: string): Promise<Principal> {
    const credentials = parseBasic(header);
    if (!credentials) throw new AppError('UNAUTHORIZED', 'HTTP Basic credentials are required');
    const now = this.#now();
    const key = createHash('sha256')
      .update(credentials.name)
      .update('\0')
      .update(credentials.password)
      .digest('hex');
    const cached = this.#cache.get(key);
    if (cached && cached.expires > now) {
      // Refresh ahead: in the last fifth of the entry's life, verify again in the background so
      // that busy clients never wait for scrypt; only a definite rejection drops the entry.
      if (cached.expires - now < this.#options.cacheSeconds * 200 && !this.#pending.has(key)) {
        const again = this.#verify(credentials, key, cached);
        this.#pending.set(key, again);
        void again
          .then(
            () => undefined,
            (e: unknown) => {
              if (isRejection(e)) this.#cache.delete(key);
            },
          )
          .finally(() => this.#pending.delete(key));
      }
      return cached.principal;
    }
    // One scrypt per credential at a time: concurrent requests with the same credentials (a
    // client's connection pool when its cache entry expires) wait for the same verification.
    const pending = this.#pending.get(key);
    if (pending) return pending;
    const verification = this.#attempt(credentials, key, address, cached).finally(() =>
      this.#pending.delete(key),
    );
    this.#pending.set(key, verification);
    return verification;
  }

  async #attempt(
    credentials: { name: string; password: string },
    key: string,
    address: string,
    stale: Entry | undefined,
  ): Promise<Principal> {
    const ticket = await this.#throttle.admit([
      { key: `user:${credentials.name}`, what: `user ${JSON.stringify(credentials.name)}` },
      { key: `addr:${address}`, what: `client address ${address}` },
    ]);
    try {
      const principal = await this.#verify(credentials, key, stale);
      ticket.settle(true);
      return principal;
    } catch (e) {
      ticket.settle(isRejection(e) ? false : null);
      throw e;
    }
  }

  /** Checks the credentials against the database; on an outage falls back to a recent login. */
  async #verify(
    credentials: { name: string; password: string },
    key: string,
    stale: Entry | undefined,
  ): Promise<Principal> {
    let user;
    try {
      user = await this.#users.get(credentials.name);
    } catch (e) {
      const now = this.#now();
      const graceMs = this.#options.outageGraceSeconds * 1000;
      if (stale && this.#cache.get(key) === stale && now - stale.verifiedAt < graceMs) {
        stale.expires = Math.min(now + OUTAGE_RECHECK_MS, stale.verifiedAt + graceMs);
        return stale.principal;
      }
      throw e;
    }
    const ok = await verifyPassword(credentials.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled) {
      this.#cache.delete(key);
      throw new AppError('UNAUTHORIZED', 'Invalid user name or password, or the user is disabled');
    }
    const principal: Principal = { name: user.name, role: user.role };
    if (this.#options.cacheSeconds > 0) {
      const now = this.#now();
      if (this.#cache.size >= MAX_TRACKED) this.#cache.clear();
      this.#cache.set(key, { principal, verifiedAt: now, expires: now + this.#options.cacheSeconds * 1000 });
    }
    return principal;
  }

  /** Forgets cached credentials of `name` (after a password change, disable or role change). */
  invalidate(name: string): void {
    for (const [key, entry] of this.#cache) if (entry.principal.name === name) this.#cache.delete(key);
  }
}

/** `{name, password}` of a `Basic` header, or `null` when absent or malformed. */
export function parseBasic(header: string | undefined): { name: string; password: string } | null {
  if (header === undefined || header.length > 4096) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
