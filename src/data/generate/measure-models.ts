/**
 * Fits the product models of the generator on real records (see `features.ts` for the feature
 * layout): initial ownership (March 2016 sample), monthly additions and drops (March → April 2016),
 * and the share of additions that are re-additions of a product held 2–5 months before (adders file).
 */
import {
  ADD_ORDER,
  ADDED_SLOT,
  FEATURE_COUNT,
  OWNED_SLOT,
  OWNERSHIP_ORDER,
  demoFeatures,
} from './features.js';
import { SparseRows, fitLogistic } from './fit-logistic.js';
import { byMonth, demoStateOf, type SantanderRecord } from './measure.js';

/** Below this many events a model keeps only its intercept (the event rate). */
const MIN_EVENTS = 15;

function bit(mask: number, p: number): boolean {
  return ((mask >> p) & 1) === 1;
}

/** Features of a client: demographics, owned main products in `ownedMask` except `self`, added ones. */
function features(
  r: SantanderRecord,
  ownedMask: number,
  addedMask: number,
  self: number,
): { slots: number[]; values: number[] } | undefined {
  const demo = demoStateOf(r);
  if (!demo) return undefined;
  const slots: number[] = [];
  const values: number[] = [];
  demoFeatures(demo, slots, values);
  for (let q = 0; q < 24; q++) {
    if (q === self) continue;
    if (bit(ownedMask, q) && OWNED_SLOT[q] >= 0) {
      slots.push(OWNED_SLOT[q]);
      values.push(1);
    }
    if (bit(addedMask, q) && ADDED_SLOT[q] >= 0) {
      slots.push(ADDED_SLOT[q]);
      values.push(1);
    }
  }
  return { slots, values };
}

function fitOrRate(rows: SparseRows): number[] {
  if (rows.positives < MIN_EVENTS) {
    const rate = Math.max(rows.positives, 0.5) / Math.max(rows.rows, 1);
    const w = new Array<number>(FEATURE_COUNT).fill(0);
    w[0] = Math.log(rate / (1 - rate));
    return w;
  }
  return Array.from(fitLogistic(rows, FEATURE_COUNT));
}

/** Ownership models, one per product (in SANTANDER_PRODUCTS order), each conditioned on the products before it in OWNERSHIP_ORDER. */
export function fitOwnershipModels(records: readonly SantanderRecord[]): number[][] {
  const models: number[][] = new Array<number[]>(24);
  OWNERSHIP_ORDER.forEach((p, k) => {
    let before = 0;
    for (let j = 0; j < k; j++) before |= 1 << OWNERSHIP_ORDER[j];
    const rows = new SparseRows();
    for (const r of records) {
      const x = features(r, r.products & before, 0, p);
      if (x) rows.add(x.slots, x.values, bit(r.products, p));
    }
    models[p] = fitOrRate(rows);
  });
  return models;
}

/** Mean of σ(w·x + shift) over `rows` (ignores labels). */
function meanProbability(rows: SparseRows, w: readonly number[], shift: number): number {
  let sum = 0;
  for (let i = 0; i < rows.rows; i++) {
    let z = shift;
    for (let k = rows.start[i]; k < rows.start[i + 1]; k++) z += w[rows.slots[k]] * rows.values[k];
    sum += 1 / (1 + Math.exp(-z));
  }
  return sum / Math.max(rows.rows, 1);
}

/** Moves the intercept of `w` so that its mean probability over `rows` is `rate` (bisection). */
function calibrateIntercept(w: number[], rows: SparseRows, rate: number): number[] {
  let lo = -30;
  let hi = 30;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (meanProbability(rows, w, mid) < rate) lo = mid;
    else hi = mid;
  }
  const out = [...w];
  out[0] += (lo + hi) / 2;
  return out;
}

/**
 * Addition models, fitted case-control: cases are the 2016-05 additions of the adders file (April
 * products as lags, products added before in ADD_ORDER that month), controls the non-owners of the
 * March sample (with their April additions). The case-control intercept is then moved so the
 * model's mean over the controls is the March → April addition rate of the sample.
 */
export function fitAdditionModels(
  march: readonly SantanderRecord[],
  april: readonly SantanderRecord[],
  adders: readonly SantanderRecord[],
): number[][] {
  const months = byMonth(adders);
  const keys = [...months.keys()];
  const lastMonth = new Map((months.get(keys[keys.length - 1]) ?? []).map((r) => [r.id, r.products]));
  const cases = months.get(keys[keys.length - 2]) ?? [];
  const next = new Map(april.map((r) => [r.id, r.products]));
  const models: number[][] = new Array<number[]>(24);
  ADD_ORDER.forEach((p, k) => {
    let earlier = 0;
    for (let j = 0; j < k; j++) earlier |= 1 << ADD_ORDER[j];
    const rows = new SparseRows();
    const controls = new SparseRows();
    let events = 0;
    let nonOwners = 0;
    for (const r of march) {
      const now = next.get(r.id);
      if (now === undefined || bit(r.products, p)) continue;
      nonOwners++;
      if (bit(now, p)) events++;
      const x = features(r, r.products, now & ~r.products & earlier, p);
      if (!x) continue;
      rows.add(x.slots, x.values, false);
      controls.add(x.slots, x.values, false);
    }
    for (const r of cases) {
      const now = lastMonth.get(r.id) ?? 0;
      if (bit(r.products, p) || !bit(now, p)) continue;
      const x = features(r, r.products, now & ~r.products & earlier, p);
      if (x) rows.add(x.slots, x.values, true);
    }
    const rate = Math.max(events, 0.5) / Math.max(nonOwners, 1);
    models[p] = calibrateIntercept(fitOrRate(rows), controls, rate);
  });
  return models;
}

/** Drop models: owners at 2016-03 who no longer hold the product at 2016-04 (March sample). */
export function fitDropModels(
  before: readonly SantanderRecord[],
  after: readonly SantanderRecord[],
): number[][] {
  const next = new Map(after.map((r) => [r.id, r.products]));
  const drop: number[][] = new Array<number[]>(24);
  for (let p = 0; p < 24; p++) {
    const rows = new SparseRows();
    for (const r of before) {
      const now = next.get(r.id);
      if (now === undefined || !bit(r.products, p)) continue;
      const x = features(r, r.products, 0, p);
      if (x) rows.add(x.slots, x.values, !bit(now, p));
    }
    drop[p] = fitOrRate(rows);
  }
  return drop;
}

/**
 * Per product, the share of last-month additions whose client held the product in one of the four
 * months before the previous one (a re-addition after a recent drop). Needs ≥ 6 months per client.
 */
export function reAdditionShares(records: readonly SantanderRecord[]): number[] {
  const months = [...byMonth(records).keys()];
  if (months.length < 6) throw new Error('re-addition shares need six months of rows');
  const last = months[months.length - 1];
  const prev = months[months.length - 2];
  const early = new Set(months.slice(months.length - 6, months.length - 2));
  const history = new Map<number, { early: number; prev: number; last: number }>();
  for (const r of records) {
    const h = history.get(r.id) ?? { early: 0, prev: 0, last: 0 };
    if (r.month === last) h.last = r.products;
    else if (r.month === prev) h.prev = r.products;
    else if (early.has(r.month)) h.early |= r.products;
    history.set(r.id, h);
  }
  const adds = new Array<number>(24).fill(0);
  const reAdds = new Array<number>(24).fill(0);
  for (const h of history.values()) {
    const added = h.last & ~h.prev;
    for (let p = 0; p < 24; p++) {
      if (!bit(added, p)) continue;
      adds[p]++;
      if (bit(h.early, p)) reAdds[p]++;
    }
  }
  return adds.map((a, p) => (a >= MIN_EVENTS ? reAdds[p] / a : 0));
}
