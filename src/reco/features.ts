/**
 * Feature rows for "which products does this client add next month": client attributes of the
 * last known month, ownership lags 1..L (NaN when the month is missing), per-product 0→1 and
 * 1→0 transition counts and months since the last addition/drop inside the lag window, the
 * number of products, optionally the month of year of the target and ALS co-ownership scores.
 * One code path builds rows for training (from a `History`) and for serving (`ClientState`).
 */
import { AppError } from '../errors.js';
import type { Matrix } from '../ml/matrix.js';
import { ATTRIBUTES, type History } from './history.js';
import { N_PRODUCTS, PRODUCT_CODES, bitCount } from './products.js';

export interface FeatureOptions {
  /** Ownership lags (months before the target). */
  lags: number;
  /** Add the target's month of year (only meaningful when training spans a year). */
  seasonal: boolean;
  /** Add ALS scores of each product given last month's ownership. */
  als: boolean;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { lags: 6, seasonal: false, als: true };

/** What the model needs to know about one client to score the month after `masks[0]`. */
export interface ClientState {
  /** masks[j] = ownership mask j+1 months before the target (−1 = unknown), length = lags. */
  masks: ArrayLike<number>;
  /** Attributes in `ATTRIBUTES` order (NaN = missing). */
  attributes: ArrayLike<number>;
  /** Month of year of the target, 1..12. */
  month: number;
}

export type AlsScorer = (mask: number) => ArrayLike<number>;

export function featureNames(o: FeatureOptions): string[] {
  const names: string[] = ATTRIBUTES.map((a) => `attr_${a}`);
  if (o.seasonal) names.push('month_of_year');
  names.push('n_products_lag1', 'n_products_lag2', 'months_known', 'adds_total', 'drops_total');
  for (let p = 0; p < N_PRODUCTS; p++) {
    const c = PRODUCT_CODES[p];
    for (let l = 1; l <= o.lags; l++) names.push(`lag${l}_${c}`);
    names.push(`adds_${c}`, `drops_${c}`, `since_add_${c}`, `since_drop_${c}`);
  }
  if (o.als) for (let p = 0; p < N_PRODUCTS; p++) names.push(`als_${PRODUCT_CODES[p]}`);
  return names;
}

export function checkFeatureOptions(o: FeatureOptions): void {
  if (!Number.isInteger(o.lags) || o.lags < 2 || o.lags > 24)
    throw new AppError('ARGUMENT_INVALID', `lags: must be an integer in 2..24, got ${o.lags}`);
}

/** Writes one feature row for `s` into `out` at `offset`. */
export function writeRow(
  s: ClientState,
  o: FeatureOptions,
  als: AlsScorer | null,
  out: Float32Array,
  offset: number,
): void {
  const L = o.lags;
  let k = offset;
  for (let a = 0; a < ATTRIBUTES.length; a++) out[k++] = s.attributes[a];
  if (o.seasonal) out[k++] = s.month;
  const m = s.masks;
  out[k++] = m[0] >= 0 ? bitCount(m[0]) : Number.NaN;
  out[k++] = m[1] >= 0 ? bitCount(m[1]) : Number.NaN;
  let known = 0;
  for (let j = 0; j < L; j++) if (m[j] >= 0) known++;
  out[k++] = known;
  let addsTotal = 0;
  let dropsTotal = 0;
  for (let j = 0; j + 1 < L; j++) {
    if (m[j] < 0 || m[j + 1] < 0) continue;
    addsTotal += bitCount(m[j] & ~m[j + 1]);
    dropsTotal += bitCount(m[j + 1] & ~m[j]);
  }
  out[k++] = addsTotal;
  out[k++] = dropsTotal;
  for (let p = 0; p < N_PRODUCTS; p++) {
    for (let j = 0; j < L; j++) out[k++] = m[j] >= 0 ? (m[j] >>> p) & 1 : Number.NaN;
    let adds = 0;
    let drops = 0;
    let sinceAdd = Number.NaN;
    let sinceDrop = Number.NaN;
    for (let j = 0; j + 1 < L; j++) {
      if (m[j] < 0 || m[j + 1] < 0) continue;
      const now = (m[j] >>> p) & 1;
      const before = (m[j + 1] >>> p) & 1;
      if (now && !before) {
        adds++;
        if (Number.isNaN(sinceAdd)) sinceAdd = j + 1;
      } else if (!now && before) {
        drops++;
        if (Number.isNaN(sinceDrop)) sinceDrop = j + 1;
      }
    }
    out[k++] = adds;
    out[k++] = drops;
    out[k++] = sinceAdd;
    out[k++] = sinceDrop;
  }
  if (o.als) {
    if (!als) throw new AppError('ARGUMENT_INVALID', 'features: ALS scores requested but no ALS model given');
    const sc = als(m[0] >= 0 ? m[0] : 0);
    for (let p = 0; p < N_PRODUCTS; p++) out[k++] = sc[p];
  }
}

/**
 * Feature rows for clients `rows` of `history` with target month index `t` (a position in
 * `history.months`, possibly one past the end for next-month predictions); `attributes` are the
 * clients' attributes at month t − 1 (clients × ATTRIBUTES.length).
 */
export function buildFeatures(
  history: History,
  attributes: Float32Array,
  t: number,
  rows: ArrayLike<number>,
  o: FeatureOptions,
  als: AlsScorer | null,
): Matrix {
  const cols = featureNames(o).length;
  const data = new Float32Array(rows.length * cols);
  const nM = history.months.length;
  const masks = new Int32Array(o.lags);
  const A = ATTRIBUTES.length;
  const month = ((history.months[0] + t) % 12) + 1;
  for (let r = 0; r < rows.length; r++) {
    const c = rows[r];
    for (let j = 0; j < o.lags; j++) {
      const mi = t - 1 - j;
      masks[j] = mi >= 0 && mi < nM ? history.masks[c * nM + mi] : -1;
    }
    writeRow({ masks, attributes: attributes.subarray(c * A, (c + 1) * A), month }, o, als, data, r * cols);
  }
  return { data, rows: rows.length, cols };
}

/** Cached ALS scores by ownership mask (few distinct masks occur, so this is cheap). */
export function cachedScorer(score: (items: number[]) => ArrayLike<number>): AlsScorer {
  const cache = new Map<number, ArrayLike<number>>();
  return (mask) => {
    let v = cache.get(mask);
    if (!v) {
      const items: number[] = [];
      for (let p = 0; p < N_PRODUCTS; p++) if ((mask >>> p) & 1) items.push(p);
      v = score(items);
      cache.set(mask, v);
    }
    return v;
  };
}
