/**
 * Population stability index (PSI) between a reference distribution (the training data, saved with
 * the model) and recent values: PSI = Σ_i (a_i − e_i) · ln(a_i / e_i) over bins, e_i the reference
 * share and a_i the recent share of bin i. Rule of thumb: < 0.1 stable, 0.1–0.2 moderate, ≥ 0.2
 * a significant shift.
 *
 * Binning. Numeric features: at most `bins` (default 10) quantile bins of the reference — the edges
 * are the distinct reference quantiles q(i/bins), i = 1..bins−1 (type-1, the smallest value with
 * cumulative share ≥ i/bins), and bin j holds edges[j−1] < x ≤ edges[j] (first and last open-ended);
 * missing values (null, NaN, non-numbers) form one more bin. Categorical features: the reference's
 * categories (at most `maxCategories`, most frequent first), one "other" bin for the rest and for
 * values unseen in training, and the missing bin. A share of 0 in either distribution is replaced
 * by `EPSILON` (1e-4) so the logarithm stays finite; shares are not renormalised afterwards.
 */
import { AppError } from '../errors.js';

export const EPSILON = 1e-4;

export interface NumericReference {
  type: 'numeric';
  /** Upper edges of every bin but the last (ascending, distinct). */
  edges: number[];
  /** Reference share of each bin: `edges.length + 1` value bins, then the missing bin. */
  shares: number[];
}

export interface CategoricalReference {
  type: 'categorical';
  categories: string[];
  /** Reference share of each category, then "other", then missing. */
  shares: number[];
}

export type FeatureReference = NumericReference | CategoricalReference;

/** Reference distributions of a model's inputs (and of its `score`), saved with the model version. */
export interface DriftReference {
  kind: 'drift-reference';
  version: 1;
  rows: number;
  features: Record<string, FeatureReference>;
}

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && !Number.isFinite(v));
}

/** Index of the bin `value` falls in (`edges.length + 1` for missing). */
export function numericBin(edges: readonly number[], value: unknown): number {
  const x = typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : Number.NaN;
  if (!Number.isFinite(x)) return edges.length + 1;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function categoricalBin(categories: readonly string[], value: unknown): number {
  if (isMissing(value)) return categories.length + 1;
  const i = categories.indexOf(String(value));
  return i >= 0 ? i : categories.length;
}

function shares(counts: ArrayLike<number>, total: number): number[] {
  return Array.from(counts, (c) => (total === 0 ? 0 : c / total));
}

/** Quantile-binned reference of numeric values (non-finite values count as missing). */
export function numericReference(values: ArrayLike<unknown>, bins = 10): NumericReference {
  if (!Number.isInteger(bins) || bins < 2)
    throw new AppError('ARGUMENT_INVALID', `bins ${bins}: must be ≥ 2`);
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const x = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number.NaN;
    if (Number.isFinite(x)) finite.push(x);
  }
  finite.sort((a, b) => a - b);
  const edges: number[] = [];
  if (finite.length > 0) {
    for (let i = 1; i < bins; i++) {
      const q = finite[Math.max(0, Math.ceil((i / bins) * finite.length) - 1)];
      if (q < finite[finite.length - 1] && (edges.length === 0 || q > edges[edges.length - 1])) edges.push(q);
    }
  }
  const counts = new Float64Array(edges.length + 2);
  for (let i = 0; i < values.length; i++) counts[numericBin(edges, values[i])]++;
  return { type: 'numeric', edges, shares: shares(counts, values.length) };
}

/** Reference of categorical values: the `maxCategories` most frequent, "other", missing. */
export function categoricalReference(values: ArrayLike<unknown>, maxCategories = 50): CategoricalReference {
  const freq = new Map<string, number>();
  for (let i = 0; i < values.length; i++)
    if (!isMissing(values[i])) freq.set(String(values[i]), (freq.get(String(values[i])) ?? 0) + 1);
  const categories = [...freq.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxCategories)
    .map(([c]) => c);
  const counts = new Float64Array(categories.length + 2);
  for (let i = 0; i < values.length; i++) counts[categoricalBin(categories, values[i])]++;
  return { type: 'categorical', categories, shares: shares(counts, values.length) };
}

/** PSI of two share vectors of the same bins (zero shares replaced by `EPSILON`). */
export function psiFromShares(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length)
    throw new AppError(
      'ARGUMENT_INVALID',
      `PSI: ${expected.length} reference bins vs ${actual.length} recent bins`,
    );
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i], EPSILON);
    const a = Math.max(actual[i], EPSILON);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

/** Shares of `values` in the reference's bins. */
export function recentShares(ref: FeatureReference, values: ArrayLike<unknown>): number[] {
  const n = ref.type === 'numeric' ? ref.edges.length + 2 : ref.categories.length + 2;
  const counts = new Float64Array(n);
  for (let i = 0; i < values.length; i++)
    counts[
      ref.type === 'numeric' ? numericBin(ref.edges, values[i]) : categoricalBin(ref.categories, values[i])
    ]++;
  return shares(counts, values.length);
}

/** PSI of recent values against a feature's reference. */
export function psi(ref: FeatureReference, values: ArrayLike<unknown>): number {
  if (values.length === 0) throw new AppError('ARGUMENT_INVALID', 'PSI: no recent values');
  return psiFromShares(ref.shares, recentShares(ref, values));
}

/**
 * References for every feature of a set of records: a key is numeric when all its present values
 * are numbers (or booleans), else categorical. Keys present in fewer than `minPresent` (default
 * 5 %) of the records, and keys beyond `maxFeatures` (by presence), are left out.
 */
export function buildReference(
  records: readonly Record<string, unknown>[],
  options: { bins?: number; maxFeatures?: number; minPresent?: number } = {},
): DriftReference {
  const presence = new Map<string, { n: number; numeric: boolean }>();
  for (const r of records)
    for (const [k, v] of Object.entries(r)) {
      if (isMissing(v) || typeof v === 'object') continue;
      const p = presence.get(k) ?? { n: 0, numeric: true };
      p.n++;
      p.numeric &&= typeof v === 'number' || typeof v === 'boolean';
      presence.set(k, p);
    }
  const minN = (options.minPresent ?? 0.05) * records.length;
  const keys = [...presence.entries()]
    .filter(([, p]) => p.n >= minN && p.n > 0)
    .sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxFeatures ?? 40)
    .map(([k]) => k)
    .sort();
  const features: Record<string, FeatureReference> = {};
  for (const k of keys) {
    const values = records.map((r) => r[k]);
    features[k] = presence.get(k)!.numeric
      ? numericReference(values, options.bins)
      : categoricalReference(values);
  }
  return { kind: 'drift-reference', version: 1, rows: records.length, features };
}

/** Checks a stored reference (from a registry version's params); clear errors when malformed. */
export function parseReference(json: unknown, where: string): DriftReference {
  const j = json as Partial<DriftReference> | null;
  if (
    j?.kind !== 'drift-reference' ||
    j.version !== 1 ||
    typeof j.features !== 'object' ||
    j.features === null
  )
    throw new AppError(
      'ARGUMENT_INVALID',
      `${where}: not a drift reference (kind drift-reference, version 1)`,
    );
  for (const [k, f] of Object.entries(j.features)) {
    const bins =
      f.type === 'numeric' ? f.edges.length + 2 : f.type === 'categorical' ? f.categories.length + 2 : -1;
    if (bins < 0 || !Array.isArray(f.shares) || f.shares.length !== bins)
      throw new AppError('ARGUMENT_INVALID', `${where}: feature ${k} has a malformed reference`);
  }
  return j as DriftReference;
}

/** PSI of each referenced feature present in at least one of `records` (highest first). */
export function driftOfRecords(
  reference: DriftReference,
  records: readonly Record<string, unknown>[],
): { feature: string; psi: number; n: number }[] {
  const out: { feature: string; psi: number; n: number }[] = [];
  for (const [feature, ref] of Object.entries(reference.features)) {
    if (!records.some((r) => feature in r)) continue;
    out.push({
      feature,
      psi: psi(
        ref,
        records.map((r) => r[feature]),
      ),
      n: records.length,
    });
  }
  return out.sort((a, b) => b.psi - a.psi || (a.feature < b.feature ? -1 : 1));
}
