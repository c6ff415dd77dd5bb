/**
 * Missing-value imputers on a `Matrix` (NaN = missing): a per-column statistic (median or mean)
 * and k-nearest-neighbours (the mean of the k closest donor rows under the NaN-Euclidean distance
 * of scikit-learn's KNNImputer, donors drawn from a seeded sample of the training rows).
 */
import { AppError } from '../../errors.js';
import { assertMatrix, type Matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { quantileSorted } from './scalers.js';

export type NumericImputeStrategy = 'median' | 'mean' | 'knn';

/** Median or mean of every column over its present values (NaN for an all-missing column). */
export function columnStatistic(X: Matrix, strategy: 'median' | 'mean'): Float64Array {
  const out = new Float64Array(X.cols);
  for (let j = 0; j < X.cols; j++) {
    const v: number[] = [];
    for (let i = 0; i < X.rows; i++) {
      const x = X.data[i * X.cols + j];
      if (!Number.isNaN(x)) v.push(x);
    }
    if (v.length === 0) out[j] = NaN;
    else if (strategy === 'mean') out[j] = v.reduce((s, x) => s + x, 0) / v.length;
    else
      out[j] = quantileSorted(
        v.sort((a, b) => a - b),
        0.5,
      );
  }
  return out;
}

export interface KnnImputerOptions {
  k?: number;
  /** Donor rows kept from the training data (a seeded sample when there are more). */
  maxDonors?: number;
  seed?: number;
}

export interface KnnImputerJSON {
  kind: 'knn-imputer';
  version: 1;
  k: number;
  cols: number;
  donors: number[];
  fallback: number[];
}

/** Fills each missing value with the mean of the `k` nearest donors that have that column. */
export class KnnImputer {
  readonly options: KnnImputerOptions;
  private state: { donors: Float32Array; cols: number; fallback: Float64Array; k: number } | null = null;

  constructor(options: KnnImputerOptions = {}) {
    this.options = options;
  }

  fit(X: Matrix): this {
    assertMatrix(X);
    const k = this.options.k ?? 5;
    if (!Number.isInteger(k) || k < 1)
      throw new AppError('ARGUMENT_INVALID', `KnnImputer k: must be an integer ≥ 1`);
    const maxDonors = this.options.maxDonors ?? 5000;
    let idx = Array.from({ length: X.rows }, (_, i) => i);
    if (idx.length > maxDonors) idx = new Rng(this.options.seed ?? 0).shuffle(idx).slice(0, maxDonors);
    const donors = new Float32Array(idx.length * X.cols);
    idx.forEach((r, i) => donors.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), i * X.cols));
    this.state = { donors, cols: X.cols, fallback: columnStatistic(X, 'mean'), k };
    return this;
  }

  /** Imputes one row in place. */
  imputeRow(row: Float32Array | Float64Array): void {
    const s = this.state;
    if (!s) throw new AppError('NOT_FITTED', 'KnnImputer: call fit() first');
    const d = s.cols;
    const missing: number[] = [];
    for (let j = 0; j < d; j++) if (Number.isNaN(row[j])) missing.push(j);
    if (missing.length === 0) return;
    const nDonors = s.donors.length / d;
    const dist = new Float64Array(nDonors);
    for (let r = 0; r < nDonors; r++) {
      let sum = 0;
      let present = 0;
      for (let j = 0; j < d; j++) {
        const a = row[j];
        const b = s.donors[r * d + j];
        if (Number.isNaN(a) || Number.isNaN(b)) continue;
        sum += (a - b) ** 2;
        present++;
      }
      // NaN-Euclidean: scale the partial distance up to all coordinates.
      dist[r] = present === 0 ? Infinity : Math.sqrt((sum * d) / present);
    }
    const order = Array.from({ length: nDonors }, (_, i) => i).sort((a, b) => dist[a] - dist[b]);
    for (const j of missing) {
      let sum = 0;
      let n = 0;
      for (const r of order) {
        if (n >= s.k || dist[r] === Infinity) break;
        const v = s.donors[r * d + j];
        if (Number.isNaN(v)) continue;
        sum += v;
        n++;
      }
      row[j] = n > 0 ? sum / n : s.fallback[j];
    }
  }

  transform(X: Matrix): Matrix {
    if (!this.state) throw new AppError('NOT_FITTED', 'KnnImputer: call fit() first');
    assertMatrix(X, 'X', this.state.cols);
    const out = Float32Array.from(X.data);
    for (let i = 0; i < X.rows; i++) this.imputeRow(out.subarray(i * X.cols, (i + 1) * X.cols));
    return { data: out, rows: X.rows, cols: X.cols };
  }

  toJSON(): KnnImputerJSON {
    const s = this.state;
    if (!s) throw new AppError('NOT_FITTED', 'KnnImputer: call fit() first');
    // NaN is not JSON: missing donor cells are stored as null.
    return {
      kind: 'knn-imputer',
      version: 1,
      k: s.k,
      cols: s.cols,
      donors: Array.from(s.donors, (v) => (Number.isNaN(v) ? (null as unknown as number) : v)),
      fallback: Array.from(s.fallback),
    };
  }

  static fromJSON(json: KnnImputerJSON): KnnImputer {
    if (json?.kind !== 'knn-imputer' || json.version !== 1)
      throw new AppError('ARGUMENT_INVALID', `not a version-1 KNN imputer (kind ${String(json?.kind)})`);
    const m = new KnnImputer({ k: json.k });
    m.state = {
      k: json.k,
      cols: json.cols,
      donors: Float32Array.from(json.donors, (v) => (v === null ? NaN : v)),
      fallback: Float64Array.from(json.fallback, (v) => (v === null ? NaN : v)),
    };
    return m;
  }
}
