/**
 * Training a `RecoModel` on the months before a target: ALS on last month's ownership,
 * popularity of additions, and (gbdt, hybrid) the ranker with early stopping on the last
 * training month, then refitted on all training months with the rounds found.
 */
import { AppError } from '../errors.js';
import { ImplicitALS } from '../ml/als.js';
import { takeRows, type Matrix } from '../ml/matrix.js';
import { Popularity } from '../ml/popularity.js';
import { Rng } from '../ml/random.js';
import { csrFromCoo } from '../ml/sparse.js';
import { additionRows, addedMask, ownedMask, presentAt } from './examples.js';
import { buildFeatures, DEFAULT_FEATURE_OPTIONS, type FeatureOptions } from './features.js';
import { ATTRIBUTES } from './history.js';
import { N_SEGMENTS, RecoModel, segmentOf, type ModelKind, type ModelOptions } from './model.js';
import type { TrainingData } from './pipeline.js';
import { N_PRODUCTS } from './products.js';
import { DEFAULT_RANKER_OPTIONS, Ranker, type RankerOptions, type RankerRows } from './ranker.js';

export interface FitOptions extends ModelOptions {
  model: ModelKind;
  features: FeatureOptions;
  ranker: RankerOptions;
  /** Months of additions to learn from (before the target). */
  trainMonths: number;
  /** Cap on client-month training rows (seeded sample); 0 = no cap. */
  maxTrainRows: number;
  /** Cap on the rows the cold-start profile model learns from (it only sees client attributes). */
  maxProfileRows: number;
  /** Refit the ranker on all training months after early stopping. */
  refit: boolean;
  /** Training month held out for early stopping: the earliest or the latest. */
  stopOn: 'first' | 'last';
  coldBlend: number;
  seed: number;
}

export const DEFAULT_FIT_OPTIONS: FitOptions = {
  model: 'hybrid',
  features: DEFAULT_FEATURE_OPTIONS,
  ranker: DEFAULT_RANKER_OPTIONS,
  als: { factors: 8, iterations: 8, alpha: 10, regularization: 0.5 },
  popularity: { mode: 'segment+season', smoothing: 50 },
  trainMonths: 6,
  maxTrainRows: 100_000,
  maxProfileRows: 20_000,
  refit: false,
  stopOn: 'last',
  coldBlend: 0.5,
  seed: 42,
};

export interface FitRun {
  onProgress?: (note: string, done?: number, total?: number) => void;
  signal?: AbortSignal;
}

/** Month of year (1..12) of position t in the history. */
export function monthOfYear(data: TrainingData, t: number): number {
  return ((data.history.months[0] + t) % 12) + 1;
}

function attributesAt(data: TrainingData, t: number): Float32Array {
  const a = data.attributes.get(t);
  if (!a) throw new AppError('ARGUMENT_INVALID', `no attributes loaded for month position ${t}`);
  return a;
}

function fitAls(data: TrainingData, options: FitOptions): ImplicitALS {
  const t = data.target - 1;
  const r: number[] = [];
  const c: number[] = [];
  const users = data.history.clients.length;
  for (let u = 0; u < users; u++) {
    const m = ownedMask(data.history, u, t);
    for (let p = 0; p < N_PRODUCTS; p++)
      if ((m >>> p) & 1) {
        r.push(u);
        c.push(p);
      }
  }
  return new ImplicitALS({ seed: options.seed, ...options.als }).fit(csrFromCoo(users, N_PRODUCTS, r, c));
}

function fitPopularity(data: TrainingData, ts: number[], options: FitOptions): Popularity {
  const rows = additionRows(data.history, ts);
  const A = ATTRIBUTES.length;
  const segments = new Int32Array(rows.products.length);
  const months = new Int32Array(rows.products.length);
  for (let i = 0; i < segments.length; i++) {
    segments[i] = segmentOf(attributesAt(data, rows.months[i]), rows.clients[i] * A);
    months[i] = monthOfYear(data, rows.months[i]);
  }
  return new Popularity(options.popularity).fit(
    { items: rows.products, segments, months },
    N_PRODUCTS,
    N_SEGMENTS,
  );
}

/** Client-month rows of adders in months `ts` (optionally sampled to `cap`), as ranker input. */
export function rankerRows(
  data: TrainingData,
  ts: number[],
  features: FeatureOptions,
  model: RecoModel | null,
  cap: number,
  rng: Rng,
): RankerRows {
  const parts: Matrix[] = [];
  const added: number[] = [];
  const owned: number[] = [];
  const perMonth: { t: number; clients: number[] }[] = [];
  for (const t of ts) {
    const clients = Array.from(presentAt(data.history, t)).filter((c) => addedMask(data.history, c, t) !== 0);
    perMonth.push({ t, clients });
  }
  const total = perMonth.reduce((s, m) => s + m.clients.length, 0);
  const keep = cap > 0 && total > cap ? cap / total : 1;
  for (const { t, clients } of perMonth) {
    const kept = keep < 1 ? clients.filter(() => rng.next() < keep) : clients;
    parts.push(buildFeatures(data.history, attributesAt(data, t), t, kept, features, model?.als ?? null));
    for (const c of kept) {
      added.push(addedMask(data.history, c, t));
      owned.push(ownedMask(data.history, c, t - 1));
    }
  }
  const cols = parts[0]?.cols ?? 0;
  const X = new Float32Array(added.length * cols);
  let at = 0;
  for (const p of parts) {
    X.set(p.data, at);
    at += p.data.length;
  }
  return {
    X: { data: X, rows: added.length, cols },
    added: Int32Array.from(added),
    owned: Int32Array.from(owned),
  };
}

function attributeColumns(rows: RankerRows): RankerRows {
  const A = ATTRIBUTES.length;
  const X = new Float32Array(rows.X.rows * A);
  for (let r = 0; r < rows.X.rows; r++)
    X.set(rows.X.data.subarray(r * rows.X.cols, r * rows.X.cols + A), r * A);
  return { ...rows, X: { data: X, rows: rows.X.rows, cols: A } };
}

function fitRanker(
  options: RankerOptions,
  train: RankerRows,
  valid: RankerRows | null,
  all: RankerRows | null,
  names: string[],
  run: FitRun,
  what: string,
): Ranker {
  const progress = (d: number, n: number) => run.onProgress?.(what, d, n);
  const first = new Ranker(options).fit(train, valid, {
    featureNames: names,
    onProgress: progress,
    signal: run.signal,
  });
  if (!all) return first;
  const rounds = first.bestIterations().map((b) => Math.max(1, Math.round(b * 1.1)));
  return new Ranker(options).fit(all, null, {
    featureNames: names,
    rounds,
    onProgress: progress,
    signal: run.signal,
  });
}

/** Fits the model for target position `data.target` from the months before it. */
export function fitRecoModel(data: TrainingData, options: FitOptions, run: FitRun = {}): RecoModel {
  const ts: number[] = [];
  for (let t = Math.max(1, data.target - options.trainMonths); t < data.target; t++) ts.push(t);
  if (ts.length === 0) throw new AppError('ARGUMENT_INVALID', 'no month before the target to learn from');
  const needsAls = options.model === 'als' || options.features.als;
  run.onProgress?.('fitting ALS');
  const als = needsAls ? fitAls(data, options) : null;
  run.onProgress?.('counting popularity');
  const popularity = fitPopularity(data, ts, options);
  const features = { ...options.features, als: options.features.als && needsAls };
  const base = { model: options.model, features, coldBlend: options.coldBlend, als, popularity };
  if (options.model === 'popularity' || options.model === 'als')
    return new RecoModel({ ...base, ranker: null, profile: null });
  const draft = new RecoModel({ ...base, model: 'popularity', ranker: null, profile: null });
  const rng = new Rng(options.seed);
  run.onProgress?.('building training features');
  // Early stopping on the last training month (never the target), then a refit on all months.
  const held = options.stopOn === 'first' ? 0 : ts.length - 1;
  const validTs = ts.length > 1 ? [ts[held]] : [];
  const fitTs = ts.length > 1 ? ts.filter((_, i) => i !== held) : ts;
  const train = rankerRows(data, fitTs, features, draft, options.maxTrainRows, rng);
  const valid = validTs.length ? rankerRows(data, validTs, features, draft, options.maxTrainRows, rng) : null;
  const all = options.refit && valid ? concatRows(train, valid) : null;
  const names = draft.featureNames;
  const ranker = fitRanker(options.ranker, train, valid, all, names, run, 'training ranker');
  let profile: Ranker | null = null;
  if (options.model === 'hybrid') {
    const A = ATTRIBUTES.length;
    profile = fitRanker(
      { ...options.ranker, mode: 'multiclass' },
      attributeColumns(sampleRows(train, options.maxProfileRows, rng)),
      valid ? attributeColumns(sampleRows(valid, options.maxProfileRows, rng)) : null,
      all ? attributeColumns(sampleRows(all, options.maxProfileRows, rng)) : null,
      names.slice(0, A),
      run,
      'training profile model',
    );
  }
  return new RecoModel({ ...base, ranker, profile });
}

/** At most `cap` rows (seeded sample, order kept); all rows when cap is 0 or not exceeded. */
function sampleRows(d: RankerRows, cap: number, rng: Rng): RankerRows {
  if (cap <= 0 || d.added.length <= cap) return d;
  const keep: number[] = [];
  for (let r = 0; r < d.added.length; r++) if (rng.next() < cap / d.added.length) keep.push(r);
  return {
    X: takeRows(d.X, keep),
    added: Int32Array.from(keep, (r) => d.added[r]),
    owned: Int32Array.from(keep, (r) => d.owned[r]),
  };
}

function concatRows(a: RankerRows, b: RankerRows): RankerRows {
  const X = new Float32Array(a.X.data.length + b.X.data.length);
  X.set(a.X.data);
  X.set(b.X.data, a.X.data.length);
  const cat = (x: Int32Array, y: Int32Array) => {
    const o = new Int32Array(x.length + y.length);
    o.set(x);
    o.set(y, x.length);
    return o;
  };
  return {
    X: { data: X, rows: a.X.rows + b.X.rows, cols: a.X.cols },
    added: cat(a.added, b.added),
    owned: cat(a.owned, b.owned),
  };
}
