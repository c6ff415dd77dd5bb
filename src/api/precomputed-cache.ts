/**
 * In-process cache of precomputed-recommendation lookups (hits and misses), so the hot path of
 * `/v1/recommendations` costs no query for a client seen recently. Bounded (least recently
 * inserted entries go first) and cleared whenever a new set is loaded — by this process at once,
 * by another replica within one poll of `precomputed_loads`.
 */
import type { Queryable } from '../store/db.js';
import { currentLoadId, getPrecomputed, type PrecomputedItem } from '../store/precomputed.js';

const MAX_K = 100;
const RETRY_MS = 1000;

export class PrecomputedCache {
  readonly #db: Queryable;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, PrecomputedItem[]>();
  #loadId = -1;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | null = null;
  #downUntil = 0;

  constructor(db: Queryable, maxEntries = 200_000) {
    this.#db = db;
    this.#maxEntries = maxEntries;
  }

  /**
   * The top-`k` precomputed items of a client (empty: not in the precomputed set), or `null` when
   * the database cannot be asked (after a failure, lookups are skipped for `RETRY_MS`).
   */
  async get(clientId: string, k: number): Promise<PrecomputedItem[] | null> {
    let items = this.#entries.get(clientId);
    if (items === undefined) {
      if (Date.now() < this.#downUntil) return null;
      const loadId = this.#loadId;
      try {
        items = await getPrecomputed(this.#db, clientId, MAX_K);
      } catch {
        this.#downUntil = Date.now() + RETRY_MS;
        return null;
      }
      if (loadId === this.#loadId) {
        if (this.#entries.size >= this.#maxEntries) {
          const oldest = this.#entries.keys().next();
          if (!oldest.done) this.#entries.delete(oldest.value);
        }
        this.#entries.set(clientId, items);
      }
    }
    return items.length > k ? items.slice(0, k) : items;
  }

  /** Forgets every entry (after a load). */
  clear(): void {
    this.#entries.clear();
    this.#loadId++;
  }

  /** Polls the newest load id every `intervalMs` and clears the cache when it changed. */
  start(intervalMs: number): void {
    this.#timer = setInterval(() => {
      this.#polling ??= this.#poll().finally(() => (this.#polling = null));
    }, intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#polling;
  }

  async #poll(): Promise<void> {
    try {
      const id = await currentLoadId(this.#db);
      if (id !== this.#seenLoad) {
        this.#seenLoad = id;
        this.clear();
      }
    } catch {
      // The database is down: keep serving what is cached; the next poll retries.
    }
  }

  #seenLoad = -1;
}
