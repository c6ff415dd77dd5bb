/**
 * The precomputed recommendations as the hot path of `/v1/recommendations` sees them, without a
 * query per request:
 * - a set of up to `SNAPSHOT_ROWS` rows is held in memory whole (a miss is then definitive);
 * - a larger set is read per client through a bounded cache of lookups (hits and misses).
 * Either way the view follows `precomputed_loads`: a load by this process refreshes it at once,
 * a load by another replica within one poll. A new snapshot is built aside and swapped in one
 * assignment, so requests never see half a set.
 */
import type { Queryable } from '../store/db.js';
import { currentLoadId, getPrecomputed, type PrecomputedItem } from '../store/precomputed.js';

const MAX_K = 100;
const RETRY_MS = 1000;
/** Largest set held whole in memory (about 150 bytes per row). */
export const SNAPSHOT_ROWS = 1_000_000;

export class PrecomputedCache {
  readonly #db: Queryable;
  readonly #maxEntries: number;
  #snapshot: Map<string, PrecomputedItem[]> | null = null;
  #entries = new Map<string, PrecomputedItem[]>();
  #seenLoad = -1;
  #timer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> | null = null;
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
    const snapshot = this.#snapshot;
    let items = snapshot ? (snapshot.get(clientId) ?? []) : this.#entries.get(clientId);
    if (items === undefined) {
      if (Date.now() < this.#downUntil) return null;
      const entries = this.#entries;
      try {
        items = await getPrecomputed(this.#db, clientId, MAX_K);
      } catch {
        this.#downUntil = Date.now() + RETRY_MS;
        return null;
      }
      if (entries === this.#entries) {
        if (entries.size >= this.#maxEntries) {
          const oldest = entries.keys().next();
          if (!oldest.done) entries.delete(oldest.value);
        }
        entries.set(clientId, items);
      }
    }
    return items.length > k ? items.slice(0, k) : items;
  }

  /**
   * Re-reads the set when a newer load exists; a call made during a refresh runs another one after
   * it, so a load committed before the call is always seen. Never throws (the database may be down).
   */
  refresh(): Promise<void> {
    const next = (this.#refreshing ?? Promise.resolve()).then(() => this.#refresh());
    const tracked = next.finally(() => {
      if (this.#refreshing === tracked) this.#refreshing = null;
    });
    this.#refreshing = tracked;
    return tracked;
  }

  /** Polls for new loads every `intervalMs`. */
  start(intervalMs: number): void {
    this.#timer = setInterval(() => {
      if (this.#refreshing === null) void this.refresh();
    }, intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#refreshing;
  }

  async #refresh(): Promise<void> {
    try {
      const id = await currentLoadId(this.#db);
      if (id === this.#seenLoad) return;
      const [meta] = await this.#db.query<{ rows: number }>(
        'select rows from precomputed_loads where id = $1',
        [id],
      );
      const rows = meta?.rows ?? 0;
      let snapshot: Map<string, PrecomputedItem[]> | null = null;
      if (rows <= SNAPSHOT_ROWS) {
        snapshot = new Map();
        const all = await this.#db.query<PrecomputedItem & { client_id: string }>(
          'select client_id, product, score, reasons from precomputed_recommendations order by client_id, rank',
        );
        for (const r of all) {
          const item = { product: r.product, score: r.score, reasons: r.reasons };
          const list = snapshot.get(r.client_id);
          if (list) list.push(item);
          else snapshot.set(r.client_id, [item]);
        }
      }
      this.#snapshot = snapshot;
      this.#entries = new Map();
      this.#seenLoad = id;
    } catch {
      // The database is down: keep serving what is held; the next poll retries.
    }
  }
}
