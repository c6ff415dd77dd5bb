/**
 * Popularity of additions: how often each item was added, overall, within a segment and in a
 * month of the year. Segment and season shares are shrunk towards the global share with a
 * pseudo-count (`smoothing`), so thin segments fall back gracefully.
 */
import { AppError } from '../errors.js';

export type PopularityMode = 'global' | 'segment' | 'season' | 'segment+season';

export interface PopularityOptions {
  mode: PopularityMode;
  /** Pseudo-count of global additions mixed into each segment/month share. */
  smoothing: number;
}

export const DEFAULT_POPULARITY_OPTIONS: PopularityOptions = { mode: 'segment+season', smoothing: 50 };

/** Additions as parallel arrays: item index, segment index (0..nSegments−1) and month of year (1..12). */
export interface AdditionEvents {
  items: ArrayLike<number>;
  segments?: ArrayLike<number>;
  months?: ArrayLike<number>;
  weights?: ArrayLike<number>;
}

export interface PopularityJson {
  kind: 'nextoffer.popularity';
  version: 1;
  options: PopularityOptions;
  nItems: number;
  nSegments: number;
  global: number[];
  bySegment: number[];
  byMonth: number[];
}

export const POPULARITY_FORMAT = 1;

export class Popularity {
  readonly options: PopularityOptions;
  private state: {
    nItems: number;
    nSegments: number;
    global: Float64Array;
    bySegment: Float64Array;
    byMonth: Float64Array;
  } | null = null;

  constructor(options: Partial<PopularityOptions> = {}) {
    this.options = { ...DEFAULT_POPULARITY_OPTIONS, ...options };
  }

  fit(events: AdditionEvents, nItems: number, nSegments = 1): this {
    const { smoothing, mode } = this.options;
    if (!['global', 'segment', 'season', 'segment+season'].includes(mode))
      throw new AppError('ARGUMENT_INVALID', `popularity mode ${JSON.stringify(mode)} is not supported`);
    if (!(smoothing >= 0)) throw new AppError('ARGUMENT_INVALID', `smoothing: must be ≥ 0, got ${smoothing}`);
    const n = events.items.length;
    for (const [name, arr] of [
      ['segments', events.segments],
      ['months', events.months],
      ['weights', events.weights],
    ] as const)
      if (arr && arr.length !== n)
        throw new AppError('ARGUMENT_INVALID', `${name}: ${arr.length} values for ${n} events`);
    const global = new Float64Array(nItems);
    const bySegment = new Float64Array(nSegments * nItems);
    const byMonth = new Float64Array(12 * nItems);
    for (let e = 0; e < n; e++) {
      const item = events.items[e];
      if (!Number.isInteger(item) || item < 0 || item >= nItems)
        throw new AppError('ARGUMENT_INVALID', `items[${e}] = ${item}: must be in 0..${nItems - 1}`);
      const w = events.weights ? events.weights[e] : 1;
      global[item] += w;
      if (events.segments) {
        const s = events.segments[e];
        if (!Number.isInteger(s) || s < 0 || s >= nSegments)
          throw new AppError('ARGUMENT_INVALID', `segments[${e}] = ${s}: must be in 0..${nSegments - 1}`);
        bySegment[s * nItems + item] += w;
      }
      if (events.months) {
        const m = events.months[e];
        if (!Number.isInteger(m) || m < 1 || m > 12)
          throw new AppError('ARGUMENT_INVALID', `months[${e}] = ${m}: must be in 1..12`);
        byMonth[(m - 1) * nItems + item] += w;
      }
    }
    this.state = { nItems, nSegments, global, bySegment, byMonth };
    return this;
  }

  private fitted() {
    if (!this.state) throw new AppError('NOT_FITTED', 'Popularity: call fit() first');
    return this.state;
  }

  get nItems(): number {
    return this.fitted().nItems;
  }

  /** Global share of each item among additions (sums to 1). */
  globalShare(): Float64Array {
    const { global } = this.fitted();
    return normalise(global);
  }

  /** Smoothed share of additions per item for a segment and a month of the year (1..12). */
  scores(segment = -1, month = 0): Float64Array {
    const s = this.fitted();
    const g = this.globalShare();
    const useSeg =
      (this.options.mode === 'segment' || this.options.mode === 'segment+season') && segment >= 0;
    const useMonth = (this.options.mode === 'season' || this.options.mode === 'segment+season') && month >= 1;
    let out = g;
    if (useSeg && segment < s.nSegments)
      out = shrink(
        s.bySegment.subarray(segment * s.nItems, (segment + 1) * s.nItems),
        g,
        this.options.smoothing,
      );
    if (useMonth && month <= 12) {
      const m = shrink(
        s.byMonth.subarray((month - 1) * s.nItems, month * s.nItems),
        g,
        this.options.smoothing,
      );
      // Seasonal lift relative to the global share, applied to the (segment) share.
      const lifted = new Float64Array(s.nItems);
      for (let i = 0; i < s.nItems; i++) lifted[i] = g[i] > 0 ? (out[i] * m[i]) / g[i] : 0;
      out = normalise(lifted);
    }
    return out;
  }

  /** Top-k items by `scores(segment, month)`, skipping `exclude` (e.g. items already owned). */
  recommend(k: number, exclude: ArrayLike<number> = [], segment = -1, month = 0): Int32Array {
    const sc = this.scores(segment, month);
    for (let i = 0; i < exclude.length; i++) sc[exclude[i]] = -Infinity;
    return topK(sc, k);
  }

  toJSON(): PopularityJson {
    const s = this.fitted();
    return {
      kind: 'nextoffer.popularity',
      version: POPULARITY_FORMAT,
      options: this.options,
      nItems: s.nItems,
      nSegments: s.nSegments,
      global: Array.from(s.global),
      bySegment: Array.from(s.bySegment),
      byMonth: Array.from(s.byMonth),
    };
  }

  static fromJSON(json: PopularityJson): Popularity {
    if (json?.kind !== 'nextoffer.popularity' || json.version !== POPULARITY_FORMAT)
      throw new AppError('ARGUMENT_INVALID', `not a popularity model of format ${POPULARITY_FORMAT}`);
    const p = new Popularity(json.options);
    p.state = {
      nItems: json.nItems,
      nSegments: json.nSegments,
      global: Float64Array.from(json.global),
      bySegment: Float64Array.from(json.bySegment),
      byMonth: Float64Array.from(json.byMonth),
    };
    return p;
  }
}

function normalise(v: ArrayLike<number>): Float64Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i];
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = sum > 0 ? v[i] / sum : 1 / v.length;
  return out;
}

/** (counts + smoothing·prior) / (total + smoothing). */
function shrink(counts: ArrayLike<number>, prior: Float64Array, smoothing: number): Float64Array {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++)
    out[i] = (counts[i] + smoothing * prior[i]) / (total + smoothing || 1);
  return out;
}

/** Indices of the k largest finite scores, best first (ties by lower index). */
export function topK(scores: ArrayLike<number>, k: number): Int32Array {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i] > -Infinity) idx.push(i);
  idx.sort((a, b) => scores[b] - scores[a] || a - b);
  return Int32Array.from(idx.slice(0, k));
}
