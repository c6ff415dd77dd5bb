/**
 * Scoring the clients of one shard with a version of the recommender. Known clients get their
 * top-k from their stored history; a client of the dataset the model does not know (absent from
 * the model's last month) gets the cold-start answer (`source: 'fallback'`). The loop yields to
 * the event loop every few hundred clients so a queue worker keeps renewing its job lock.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError } from '../errors.js';
import { RECO_MODEL_NAME, recommenderFromBytes } from '../reco/artifact.js';
import type { Recommender } from '../reco/recommender.js';
import type { ModelRegistry } from '../store/registry.js';
import type { ScoredClient } from '../store/scoring.js';

const YIELD_EVERY = 250;

export async function scoreClients(
  recommender: Recommender,
  clients: readonly number[],
  k: number,
  signal?: AbortSignal,
): Promise<ScoredClient[]> {
  const out: ScoredClient[] = [];
  for (let i = 0; i < clients.length; i++) {
    if (i > 0 && i % YIELD_EVERY === 0) {
      await nextTurn();
      signal?.throwIfAborted();
    }
    const id = clients[i];
    if (!Number.isSafeInteger(id))
      throw new AppError('ARGUMENT_INVALID', `shard client ${String(id)} is not an integer id`);
    const r = recommender.hasClient(id) ? recommender.recommend(id, k) : recommender.recommendOnline({}, k);
    out.push({ clientId: id, source: r.source, items: r.items });
  }
  return out;
}

/** Keeps the recommender versions a worker has loaded (usually one per run). */
export class RecommenderCache {
  readonly #registry: ModelRegistry;
  readonly #loaded = new Map<number, Promise<Recommender>>();
  readonly #max: number;

  constructor(registry: ModelRegistry, max = 2) {
    this.#registry = registry;
    this.#max = max;
  }

  get(version: number): Promise<Recommender> {
    let p = this.#loaded.get(version);
    if (p === undefined) {
      p = this.#registry.load(RECO_MODEL_NAME, version).then((bytes) => recommenderFromBytes(bytes, version));
      p.catch(() => this.#loaded.delete(version));
      this.#loaded.set(version, p);
      while (this.#loaded.size > this.#max) this.#loaded.delete(this.#loaded.keys().next().value as number);
    }
    return p;
  }
}
