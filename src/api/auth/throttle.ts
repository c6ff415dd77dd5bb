/**
 * Failed-login throttling with exponential back-off, per key (`user:<name>`, `addr:<ip>`).
 * - The first `freeFailures` failures cost nothing; each further one blocks the key for
 *   `baseMs · 2^(n − freeFailures)`, at most `maxMs`: an attacker cannot hold a victim's name
 *   locked for longer than `maxMs` after their last verified guess.
 * - Counting is atomic: `admit` reserves a slot synchronously, before any await, and while the
 *   in-flight attempts of a key could use up its free failures, further attempts wait for them
 *   to settle and check again. So 100 parallel wrong passwords are verified at most
 *   `freeFailures` times, and the right one arriving after them is refused while blocked.
 * - Refused attempts are not counted (they cost no scrypt and do not extend the block).
 * - Failures are forgotten `forgetMs` after the last one. Counters live in this process.
 */
import { AppError } from '../../errors.js';

export interface BackoffOptions {
  freeFailures: number;
  baseMs: number;
  maxMs: number;
  forgetMs: number;
}

interface State {
  failures: number;
  lastFailure: number;
  blockedUntil: number;
  inFlight: number;
  settled: Promise<void>;
  wake: () => void;
}

const MAX_TRACKED = 100_000;

export interface Ticket {
  /** `true`: verified (clears `user:` keys); `false`: wrong credentials; `null`: not decided (outage). */
  settle(ok: boolean | null): void;
}

export class LoginThrottle {
  readonly #states = new Map<string, State>();

  constructor(
    private readonly options: BackoffOptions,
    private readonly now: () => number,
  ) {}

  /** Reserves an attempt on every key, or throws AUTH_LOCKED naming the blocked key. */
  async admit(keys: readonly { key: string; what: string }[]): Promise<Ticket> {
    for (;;) {
      const now = this.now();
      const states = keys.map((k) => this.#state(k.key, now));
      keys.forEach((k, i) => this.#assertOpen(states[i], k.what, now));
      const busy = states.find((s) => s.inFlight > 0 && s.failures + s.inFlight >= this.options.freeFailures);
      if (!busy) {
        for (const s of states) s.inFlight++;
        return { settle: (ok) => this.#settle(keys, states, ok) };
      }
      await busy.settled;
    }
  }

  #settle(keys: readonly { key: string }[], states: State[], ok: boolean | null): void {
    const now = this.now();
    keys.forEach((k, i) => {
      const s = states[i];
      s.inFlight--;
      if (ok === false) {
        s.failures++;
        s.lastFailure = now;
        const over = s.failures - this.options.freeFailures;
        if (over >= 0) s.blockedUntil = now + Math.min(this.options.maxMs, this.options.baseMs * 2 ** over);
      } else if (ok === true && k.key.startsWith('user:')) {
        s.failures = 0;
        s.blockedUntil = 0;
      }
      const wake = s.wake;
      s.settled = new Promise((resolve) => (s.wake = resolve));
      wake();
    });
  }

  #assertOpen(s: State, what: string, now: number): void {
    if (s.blockedUntil <= now) return;
    const seconds = Math.ceil((s.blockedUntil - now) / 1000);
    const { freeFailures, maxMs } = this.options;
    throw new AppError(
      'AUTH_LOCKED',
      `Too many failed logins for ${what}: after ${freeFailures} failures each further one doubles the wait ` +
        `(at most ${Math.ceil(maxMs / 1000)} s); try again in ${seconds} s`,
      { details: { retry_after_seconds: seconds } },
    );
  }

  #state(key: string, now: number): State {
    let s = this.#states.get(key);
    if (s && s.inFlight === 0 && s.failures > 0 && now - s.lastFailure > this.options.forgetMs) {
      s.failures = 0;
      s.blockedUntil = 0;
    }
    if (!s) {
      if (this.#states.size >= MAX_TRACKED) this.#prune(now);
      let wake = () => {};
      const settled = new Promise<void>((resolve) => (wake = resolve));
      s = { failures: 0, lastFailure: 0, blockedUntil: 0, inFlight: 0, settled, wake };
      this.#states.set(key, s);
    }
    return s;
  }

  #prune(now: number): void {
    for (const [key, s] of this.#states)
      if (s.inFlight === 0 && s.blockedUntil <= now && now - s.lastFailure > this.options.forgetMs)
        this.#states.delete(key);
  }
}
