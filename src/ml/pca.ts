/**
 * Principal component analysis for 2-D plots: the covariance matrix (Float64) and its leading
 * eigenvectors by power iteration with deflation, signs fixed so the largest loading is positive.
 */
import { AppError } from '../errors.js';
import { assertMatrix, type Matrix } from './matrix.js';
import { Rng } from './random.js';

export interface PcaJSON {
  kind: 'pca';
  version: 1;
  mean: number[];
  components: number[];
  explainedVariance: number[];
  totalVariance: number;
}

export class PCA {
  readonly options: { nComponents: number; seed?: number; maxIter?: number };
  private state: {
    mean: Float64Array;
    components: Float64Array;
    explained: Float64Array;
    total: number;
  } | null = null;

  constructor(options: { nComponents?: number; seed?: number; maxIter?: number } = {}) {
    this.options = { nComponents: options.nComponents ?? 2, seed: options.seed, maxIter: options.maxIter };
  }

  fit(X: Matrix): this {
    assertMatrix(X);
    const d = X.cols;
    const k = this.options.nComponents;
    if (!Number.isInteger(k) || k < 1 || k > d)
      throw new AppError('ARGUMENT_INVALID', `nComponents: must be an integer in 1..${d}, got ${k}`);
    if (X.rows < 2) throw new AppError('ARGUMENT_INVALID', 'PCA needs at least 2 rows');
    const mean = new Float64Array(d);
    for (let i = 0; i < X.rows; i++) for (let j = 0; j < d; j++) mean[j] += X.data[i * d + j];
    for (let j = 0; j < d; j++) mean[j] /= X.rows;
    const cov = new Float64Array(d * d);
    const centred = new Float64Array(d);
    for (let i = 0; i < X.rows; i++) {
      for (let j = 0; j < d; j++) centred[j] = X.data[i * d + j] - mean[j];
      for (let a = 0; a < d; a++) {
        const v = centred[a];
        if (v === 0) continue;
        for (let b = a; b < d; b++) cov[a * d + b] += v * centred[b];
      }
    }
    for (let a = 0; a < d; a++)
      for (let b = a; b < d; b++) {
        cov[a * d + b] /= X.rows - 1;
        cov[b * d + a] = cov[a * d + b];
      }
    let total = 0;
    for (let a = 0; a < d; a++) total += cov[a * d + a];
    const rng = new Rng(this.options.seed ?? 0);
    const components = new Float64Array(k * d);
    const explained = new Float64Array(k);
    const v = new Float64Array(d);
    const w = new Float64Array(d);
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) v[j] = rng.normal();
      let lambda = 0;
      for (let it = 0; it < (this.options.maxIter ?? 1000); it++) {
        for (let a = 0; a < d; a++) {
          let s = 0;
          for (let b = 0; b < d; b++) s += cov[a * d + b] * v[b];
          w[a] = s;
        }
        let norm = 0;
        for (let j = 0; j < d; j++) norm += w[j] * w[j];
        norm = Math.sqrt(norm);
        if (norm === 0) break;
        let diff = 0;
        for (let j = 0; j < d; j++) {
          const nv = w[j] / norm;
          diff += Math.abs(Math.abs(nv) - Math.abs(v[j]));
          v[j] = nv;
        }
        lambda = norm;
        if (diff < 1e-12 * d) break;
      }
      let big = 0;
      for (let j = 0; j < d; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
      const sign = v[big] < 0 ? -1 : 1;
      for (let j = 0; j < d; j++) components[c * d + j] = sign * v[j];
      explained[c] = lambda;
      // Deflate: cov ← cov − λ v vᵀ.
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b] -= lambda * v[a] * v[b];
    }
    this.state = { mean, components, explained, total };
    return this;
  }

  private s() {
    if (!this.state) throw new AppError('NOT_FITTED', 'PCA: call fit() first');
    return this.state;
  }

  get explainedVarianceRatio(): number[] {
    const s = this.s();
    return Array.from(s.explained, (e) => (s.total > 0 ? e / s.total : 0));
  }

  get components(): Float64Array {
    return this.s().components;
  }

  /** Projections, rows × nComponents, row-major. */
  transform(X: Matrix): Float64Array {
    const s = this.s();
    assertMatrix(X, 'X', s.mean.length);
    const d = X.cols;
    const k = s.explained.length;
    const out = new Float64Array(X.rows * k);
    for (let i = 0; i < X.rows; i++)
      for (let c = 0; c < k; c++) {
        let sum = 0;
        for (let j = 0; j < d; j++) sum += (X.data[i * d + j] - s.mean[j]) * s.components[c * d + j];
        out[i * k + c] = sum;
      }
    return out;
  }

  toJSON(): PcaJSON {
    const s = this.s();
    return {
      kind: 'pca',
      version: 1,
      mean: Array.from(s.mean),
      components: Array.from(s.components),
      explainedVariance: Array.from(s.explained),
      totalVariance: s.total,
    };
  }

  static fromJSON(json: PcaJSON): PCA {
    if (json?.kind !== 'pca' || json.version !== 1)
      throw new AppError('ARGUMENT_INVALID', `not a version-1 PCA model`);
    const p = new PCA({ nComponents: json.explainedVariance.length });
    p.state = {
      mean: Float64Array.from(json.mean),
      components: Float64Array.from(json.components),
      explained: Float64Array.from(json.explainedVariance),
      total: json.totalVariance,
    };
    return p;
  }
}
