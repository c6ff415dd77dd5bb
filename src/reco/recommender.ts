/**
 * The serving object: a trained `RecoModel` plus every known client's last months of ownership
 * and attributes, so `recommend(clientId, k)` needs nothing else. `recommendOnline` scores a
 * client described in the request. Saved as one binary artifact (see `artifact.ts`).
 */
import { AppError } from '../errors.js';
import { topK } from '../ml/popularity.js';
import { ATTRIBUTES, findClient } from './history.js';
import { writeRow, type ClientState } from './features.js';
import { segmentOf, type RecoModel } from './model.js';
import { encodeAttributes, productMask, type OnlineClient } from './online.js';
import { N_PRODUCTS, PRODUCTS, monthIndex } from './products.js';
import { topReasons } from './reasons.js';

export interface RecommendedItem {
  product: string;
  score: number;
  reasons: string[];
}

export interface Recommendation {
  items: RecommendedItem[];
  source: 'model' | 'fallback';
  modelVersion: number | null;
}

/** Known clients: ids ascending; masks n × lags (most recent first, −1 unknown); attributes n × A. */
export interface ClientStore {
  clients: Int32Array;
  masks: Int32Array;
  attributes: Float32Array;
  /** The last month of data (`YYYY-MM-DD`); recommendations are for the month after. */
  lastMonth: string;
}

export class Recommender {
  readonly model: RecoModel;
  readonly store: ClientStore;
  modelVersion: number | null;

  constructor(model: RecoModel, store: ClientStore, modelVersion: number | null = null) {
    const L = model.parts.features.lags;
    if (
      store.masks.length !== store.clients.length * L ||
      store.attributes.length !== store.clients.length * ATTRIBUTES.length
    )
      throw new AppError('ARGUMENT_INVALID', 'client store: arrays do not match the client count');
    this.model = model;
    this.store = store;
    this.modelVersion = modelVersion;
  }

  /** Month of year (1..12) of the month being predicted. */
  get targetMonth(): number {
    return ((monthIndex(this.store.lastMonth) + 1) % 12) + 1;
  }

  get clientCount(): number {
    return this.store.clients.length;
  }

  hasClient(clientId: number): boolean {
    return findClient(this.store.clients, clientId) >= 0;
  }

  /** Top-k products a known client does not own yet. Throws CLIENT_NOT_FOUND for an unknown id. */
  recommend(clientId: number, k = 7): Recommendation {
    const c = findClient(this.store.clients, clientId);
    if (c < 0)
      throw new AppError(
        'CLIENT_NOT_FOUND',
        `client ${clientId} is not in the model's data (${this.store.lastMonth})`,
      );
    const L = this.model.parts.features.lags;
    const A = ATTRIBUTES.length;
    return this.score(
      {
        masks: this.store.masks.subarray(c * L, (c + 1) * L),
        attributes: this.store.attributes.subarray(c * A, (c + 1) * A),
        month: this.targetMonth,
      },
      k,
    );
  }

  /** Top-k for a client described in the request (no stored history needed). */
  recommendOnline(client: OnlineClient, k = 7): Recommendation {
    const L = this.model.parts.features.lags;
    const masks = new Int32Array(L).fill(-1);
    (client.history ?? [])
      .slice(0, L)
      .forEach((products, j) => (masks[j] = productMask(products, `history[${j}]`)));
    const attributes = encodeAttributes(client.attributes ?? {}, this.store.lastMonth);
    return this.score({ masks, attributes, month: this.targetMonth }, k);
  }

  private score(state: ClientState, k: number): Recommendation {
    if (!Number.isInteger(k) || k < 1 || k > N_PRODUCTS)
      throw new AppError('ARGUMENT_INVALID', `k: must be an integer in 1..${N_PRODUCTS}, got ${k}`);
    const { parts } = this.model;
    const names = this.model.featureNames;
    const row = new Float32Array(names.length);
    writeRow(state, parts.features, this.model.als, row, 0);
    const X = { data: row, rows: 1, cols: names.length };
    const lag1 = state.masks[0];
    const segment = segmentOf(state.attributes);
    const scores = this.model.score({
      X,
      lag1: Int32Array.of(lag1),
      segments: Int32Array.of(segment),
      month: state.month,
    });
    const owned = lag1 >= 0 ? lag1 : 0;
    const masked = Float32Array.from(scores);
    for (let p = 0; p < N_PRODUCTS; p++) if ((owned >>> p) & 1) masked[p] = -Infinity;
    const top = topK(masked, k);
    const cold = lag1 < 0;
    const source = cold || parts.model === 'popularity' ? 'fallback' : 'model';
    const items = Array.from(top, (p) => ({
      product: PRODUCTS[p],
      score: scores[p],
      reasons: this.reasons(X, p, cold),
    }));
    return { items, source, modelVersion: this.modelVersion };
  }

  private reasons(X: { data: Float32Array; rows: number; cols: number }, p: number, cold: boolean): string[] {
    const { parts } = this.model;
    if (parts.model === 'popularity') return ['POPULAR_IN_SEGMENT'];
    if (parts.model === 'als') return ['ALS_SIMILAR_CLIENTS'];
    if (cold) {
      const A = ATTRIBUTES.length;
      const prof = parts.profile?.contributions({ data: X.data.slice(0, A), rows: 1, cols: A }, p);
      const codes = prof ? topReasons(prof, this.model.featureNames.slice(0, A), X.data, 2) : [];
      return ['POPULAR_IN_SEGMENT', ...codes];
    }
    const contrib = parts.ranker?.contributions(X, p);
    return contrib ? topReasons(contrib, this.model.featureNames, X.data) : [];
  }
}
