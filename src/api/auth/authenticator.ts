/**
 * HTTP Basic authentication against the `users` table.
 * - Verified credentials are cached for `cacheSeconds`, keyed by a SHA-256 of name and password
 *   (never the password itself): scrypt costs tens of milliseconds by design, once per cache period.
 *   `invalidate(name)` drops a user's entries (password change, disable, role change).
 * - Lockout: `maxFailures` failures within `windowSeconds` lock the user name, and separately the
 *   client address, until the window has passed (429 `AUTH_LOCKED`). A locked request costs no
 *   scrypt. Counters live in this process (each replica counts its own).
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { Role, UserRepository } from '../../store/users.js';
import { DUMMY_HASH, verifyPassword } from './passwords.js';

export interface Principal {
  name: string;
  role: Role;
}

export interface AuthenticatorOptions {
  maxFailures: number;
  windowSeconds: number;
  cacheSeconds: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

interface Failures {
  times: number[];
  lockedUntil: number;
}

const MAX_TRACKED = 100_000;

export class Authenticator {
  readonly #users: UserRepository;
  readonly #options: AuthenticatorOptions;
  readonly #now: () => number;
  readonly #cache = new Map<string, { principal: Principal; expires: number }>();
  readonly #failures = new Map<string, Failures>();
  readonly #pending = new Map<string, Promise<Principal>>();

  constructor(users: UserRepository, options: AuthenticatorOptions) {
    this.#users = users;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Verifies an `Authorization` header; throws UNAUTHORIZED or AUTH_LOCKED. */
  async authenticate(header: string | undefined, address: string): Promise<Principal> {
    const credentials = parseBasic(header);
    const now = this.#now();
    const key = credentials
      ? createHash('sha256').update(credentials.name).update('\0').update(credentials.password).digest('hex')
      : '';
    const cached = credentials ? this.#cache.get(key) : undefined;
    if (credentials && cached && cached.expires > now) {
      // Refresh ahead: in the last fifth of the entry's life, verify again in the background so
      // that busy clients never wait for scrypt; a failed check just drops the entry.
      if (cached.expires - now < this.#options.cacheSeconds * 200 && !this.#pending.has(key)) {
        const again = this.#verify(credentials, key, address, now, true);
        this.#pending.set(key, again);
        void again
          .then(
            () => undefined,
            () => this.#cache.delete(key),
          )
          .finally(() => this.#pending.delete(key));
      }
      return cached.principal;
    }
    this.#assertNotLocked(`addr:${address}`, now, 'this client address');
    if (!credentials) {
      throw new AppError('UNAUTHORIZED', 'HTTP Basic credentials are required');
    }
    // One scrypt per credential at a time: concurrent requests with the same credentials (a
    // client's connection pool when its cache entry expires) wait for the same verification.
    const pending = this.#pending.get(key);
    if (pending) return pending;
    const verification = this.#verify(credentials, key, address, now).finally(() =>
      this.#pending.delete(key),
    );
    this.#pending.set(key, verification);
    return verification;
  }

  async #verify(
    credentials: { name: string; password: string },
    key: string,
    address: string,
    now: number,
    background = false,
  ): Promise<Principal> {
    this.#assertNotLocked(`user:${credentials.name}`, now, `user ${JSON.stringify(credentials.name)}`);
    const user = await this.#users.get(credentials.name);
    const ok = await verifyPassword(credentials.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled) {
      if (!background) {
        this.#fail(`addr:${address}`, now);
        this.#fail(`user:${credentials.name}`, now);
      }
      throw new AppError('UNAUTHORIZED', 'Invalid user name or password, or the user is disabled');
    }
    this.#failures.delete(`user:${credentials.name}`);
    const principal: Principal = { name: user.name, role: user.role };
    if (this.#options.cacheSeconds > 0) {
      if (this.#cache.size >= MAX_TRACKED) this.#cache.clear();
      this.#cache.set(key, { principal, expires: now + this.#options.cacheSeconds * 1000 });
    }
    return principal;
  }

  /** Forgets cached credentials of `name` (after a password change, disable or role change). */
  invalidate(name: string): void {
    for (const [key, entry] of this.#cache) if (entry.principal.name === name) this.#cache.delete(key);
  }

  #assertNotLocked(key: string, now: number, what: string): void {
    const f = this.#failures.get(key);
    if (f && f.lockedUntil > now) {
      const seconds = Math.ceil((f.lockedUntil - now) / 1000);
      throw new AppError('AUTH_LOCKED', `Too many failed logins for ${what}; try again in ${seconds} s`, {
        details: { retry_after_seconds: seconds },
      });
    }
  }

  #fail(key: string, now: number): void {
    const windowMs = this.#options.windowSeconds * 1000;
    if (this.#failures.size >= MAX_TRACKED) this.#prune(now);
    const f = this.#failures.get(key) ?? { times: [], lockedUntil: 0 };
    f.times = f.times.filter((t) => t > now - windowMs);
    f.times.push(now);
    if (f.times.length >= this.#options.maxFailures) {
      f.lockedUntil = now + windowMs;
      f.times = [];
    }
    this.#failures.set(key, f);
  }

  #prune(now: number): void {
    const windowMs = this.#options.windowSeconds * 1000;
    for (const [key, f] of this.#failures) {
      if (f.lockedUntil <= now && f.times.every((t) => t <= now - windowMs)) this.#failures.delete(key);
    }
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
