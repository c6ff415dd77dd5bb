/**
 * Implicit-feedback ALS (Hu, Koren & Volinsky 2008): preferences p_ui = [r_ui > 0] with
 * confidence c_ui = 1 + α·r_ui, minimising Σ c_ui (p_ui − x_u·y_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²).
 * Each half-step solves (YᵀY + Yᵀ(C_u − I)Y + λI) x_u = YᵀC_u p_u per user (then per item)
 * either with a few warm-started conjugate-gradient steps (Takács et al. 2011, as the
 * `implicit` library does) or exactly by Cholesky (the original method; the baseline).
 */
import { AppError } from '../errors.js';
import { Rng } from './random.js';
import { choleskySolve, gram, transpose, type Csr } from './sparse.js';
import { topK } from './popularity.js';

export interface AlsOptions {
  factors: number;
  regularization: number;
  alpha: number;
  iterations: number;
  /** Conjugate-gradient steps per row and half-iteration (solver 'cg'). */
  cgSteps: number;
  solver: 'cg' | 'cholesky';
  seed: number;
}

export const DEFAULT_ALS_OPTIONS: AlsOptions = {
  factors: 32,
  regularization: 0.1,
  alpha: 20,
  iterations: 10,
  cgSteps: 3,
  solver: 'cg',
  seed: 42,
};

export interface AlsRun {
  onProgress?: (iteration: number, total: number) => void;
  signal?: AbortSignal;
}

export interface AlsJson {
  kind: 'nextoffer.als';
  version: 1;
  options: AlsOptions;
  users: number;
  items: number;
  userFactors: number[];
  itemFactors: number[];
}

export const ALS_FORMAT = 1;

export class ImplicitALS {
  readonly options: AlsOptions;
  private x: Float32Array | null = null;
  private y: Float32Array | null = null;
  private nUsers = 0;
  private nItems = 0;

  constructor(options: Partial<AlsOptions> = {}) {
    this.options = { ...DEFAULT_ALS_OPTIONS, ...options };
  }

  private validate(): void {
    const o = this.options;
    const check = (ok: boolean, what: string) => {
      if (!ok) throw new AppError('ARGUMENT_INVALID', `ALS ${what}`);
    };
    check(Number.isInteger(o.factors) && o.factors >= 1, `factors: must be an integer ≥ 1, got ${o.factors}`);
    check(o.regularization > 0, `regularization: must be > 0, got ${o.regularization}`);
    check(o.alpha >= 0, `alpha: must be ≥ 0, got ${o.alpha}`);
    check(Number.isInteger(o.iterations) && o.iterations >= 0, `iterations: must be an integer ≥ 0`);
    check(Number.isInteger(o.cgSteps) && o.cgSteps >= 1, `cgSteps: must be an integer ≥ 1`);
    check(
      o.solver === 'cg' || o.solver === 'cholesky',
      `solver: 'cg' or 'cholesky', got ${String(o.solver)}`,
    );
  }

  /** `r`: users × items, r_ui ≥ 0 (e.g. 1 for "owns", or a count). */
  fit(r: Csr, run: AlsRun = {}): this {
    this.validate();
    for (let p = 0; p < r.values.length; p++)
      if (!(r.values[p] >= 0)) throw new AppError('ARGUMENT_INVALID', `ALS input: value ${r.values[p]} < 0`);
    const f = this.options.factors;
    const rng = new Rng(this.options.seed);
    const init = (n: number) => {
      const a = new Float32Array(n * f);
      for (let i = 0; i < a.length; i++) a[i] = (rng.next() - 0.5) * (0.2 / Math.sqrt(f));
      return a;
    };
    const x = init(r.rows);
    const y = init(r.cols);
    const rt = transpose(r);
    for (let it = 0; it < this.options.iterations; it++) {
      if (run.signal?.aborted)
        throw new AppError('ARGUMENT_INVALID', 'ALS fit cancelled', { cause: run.signal.reason });
      this.halfStep(r, x, y);
      this.halfStep(rt, y, x);
      run.onProgress?.(it + 1, this.options.iterations);
    }
    this.x = x;
    this.y = y;
    this.nUsers = r.rows;
    this.nItems = r.cols;
    return this;
  }

  /** Updates every row factor of `target` from the fixed factors `fixed` (the other side). */
  halfStep(m: Csr, target: Float32Array, fixed: Float32Array): void {
    const { factors: f, regularization: lambda, alpha } = this.options;
    const yty = gram(fixed, m.cols, f);
    for (let d = 0; d < f; d++) yty[d * f + d] += lambda;
    if (this.options.solver === 'cholesky') {
      const a = new Float64Array(f * f);
      const b = new Float64Array(f);
      for (let u = 0; u < m.rows; u++) {
        exactSystem(m, u, fixed, yty, alpha, f, a, b);
        choleskySolve(a, b, f);
        for (let d = 0; d < f; d++) target[u * f + d] = b[d];
      }
      return;
    }
    const steps = this.options.cgSteps;
    const rr = new Float64Array(f);
    const pp = new Float64Array(f);
    const ap = new Float64Array(f);
    for (let u = 0; u < m.rows; u++) {
      const xo = u * f;
      // r = b − A x, with b = Σ c_ui y_i and A = YᵀY + λI + Σ (c_ui − 1) y_i y_iᵀ
      for (let a = 0; a < f; a++) {
        let s = 0;
        for (let c = 0; c < f; c++) s -= yty[a * f + c] * target[xo + c];
        rr[a] = s;
      }
      for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) {
        const conf = 1 + alpha * m.values[p];
        const yo = m.indices[p] * f;
        let dot = 0;
        for (let d = 0; d < f; d++) dot += fixed[yo + d] * target[xo + d];
        const w = conf - (conf - 1) * dot;
        for (let d = 0; d < f; d++) rr[d] += w * fixed[yo + d];
      }
      let rsold = 0;
      for (let d = 0; d < f; d++) {
        pp[d] = rr[d];
        rsold += rr[d] * rr[d];
      }
      if (rsold < 1e-20) continue;
      for (let step = 0; step < steps; step++) {
        for (let a = 0; a < f; a++) {
          let s = 0;
          for (let c = 0; c < f; c++) s += yty[a * f + c] * pp[c];
          ap[a] = s;
        }
        for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) {
          const w = alpha * m.values[p];
          const yo = m.indices[p] * f;
          let dot = 0;
          for (let d = 0; d < f; d++) dot += fixed[yo + d] * pp[d];
          const g = w * dot;
          for (let d = 0; d < f; d++) ap[d] += g * fixed[yo + d];
        }
        let pap = 0;
        for (let d = 0; d < f; d++) pap += pp[d] * ap[d];
        const step_ = rsold / pap;
        let rsnew = 0;
        for (let d = 0; d < f; d++) {
          target[xo + d] += step_ * pp[d];
          rr[d] -= step_ * ap[d];
          rsnew += rr[d] * rr[d];
        }
        if (rsnew < 1e-20) break;
        const beta = rsnew / rsold;
        for (let d = 0; d < f; d++) pp[d] = rr[d] + beta * pp[d];
        rsold = rsnew;
      }
    }
  }

  private fitted(): { x: Float32Array; y: Float32Array } {
    if (!this.x || !this.y) throw new AppError('NOT_FITTED', 'ImplicitALS: call fit() first');
    return { x: this.x, y: this.y };
  }

  get userFactors(): Float32Array {
    return this.fitted().x;
  }

  get itemFactors(): Float32Array {
    return this.fitted().y;
  }

  get users(): number {
    return this.nUsers;
  }

  get items(): number {
    return this.nItems;
  }

  /** Objective value on `r` (the training matrix): weighted squared error + L2 penalty. */
  loss(r: Csr): number {
    const { x, y } = this.fitted();
    const f = this.options.factors;
    const yty = gram(y, this.nItems, f);
    let total = 0;
    for (let u = 0; u < r.rows; u++) {
      const xo = u * f;
      // all pairs as if p = 0, c = 1: x_uᵀ YᵀY x_u
      for (let a = 0; a < f; a++) {
        let s = 0;
        for (let b = 0; b < f; b++) s += yty[a * f + b] * x[xo + b];
        total += x[xo + a] * s;
      }
      for (let p = r.indptr[u]; p < r.indptr[u + 1]; p++) {
        const yo = r.indices[p] * f;
        let s = 0;
        for (let d = 0; d < f; d++) s += x[xo + d] * y[yo + d];
        const conf = 1 + this.options.alpha * r.values[p];
        total += conf * (1 - s) * (1 - s) - s * s;
      }
    }
    let reg = 0;
    for (const v of x) reg += v * v;
    for (const v of y) reg += v * v;
    return total + this.options.regularization * reg;
  }

  /** Scores x_u · y_i of every item for a known user. */
  scoreUser(userIndex: number): Float32Array {
    const { x } = this.fitted();
    if (!Number.isInteger(userIndex) || userIndex < 0 || userIndex >= this.nUsers)
      throw new AppError('ARGUMENT_INVALID', `userIndex ${userIndex}: must be in 0..${this.nUsers - 1}`);
    const f = this.options.factors;
    return this.scoreVector(x.subarray(userIndex * f, (userIndex + 1) * f));
  }

  /** Scores of every item for a user factor vector (e.g. from `foldIn`). */
  scoreVector(v: ArrayLike<number>): Float32Array {
    const { y } = this.fitted();
    const f = this.options.factors;
    const out = new Float32Array(this.nItems);
    for (let i = 0; i < this.nItems; i++) {
      let s = 0;
      for (let d = 0; d < f; d++) s += v[d] * y[i * f + d];
      out[i] = s;
    }
    return out;
  }

  /** Top-k items for a known user, skipping `exclude`. */
  recommend(userIndex: number, k: number, exclude: ArrayLike<number> = []): Int32Array {
    return topExcluding(this.scoreUser(userIndex), k, exclude);
  }

  /**
   * Factor of a user unseen at fit time, solved exactly from their items (values r, default 1)
   * with the item factors fixed — the same normal equations as a training half-step.
   */
  foldIn(items: ArrayLike<number>, values?: ArrayLike<number>): Float32Array {
    const { y } = this.fitted();
    const f = this.options.factors;
    const indices = Int32Array.from(items);
    for (const i of indices)
      if (i < 0 || i >= this.nItems)
        throw new AppError('ARGUMENT_INVALID', `item ${i}: must be in 0..${this.nItems - 1}`);
    const one: Csr = {
      rows: 1,
      cols: this.nItems,
      indptr: Int32Array.of(0, indices.length),
      indices,
      values: values ? Float32Array.from(values) : new Float32Array(indices.length).fill(1),
    };
    const yty = gram(y, this.nItems, f);
    for (let d = 0; d < f; d++) yty[d * f + d] += this.options.regularization;
    const a = new Float64Array(f * f);
    const b = new Float64Array(f);
    exactSystem(one, 0, y, yty, this.options.alpha, f, a, b);
    choleskySolve(a, b, f);
    return Float32Array.from(b);
  }

  recommendFolded(items: ArrayLike<number>, k: number, exclude: ArrayLike<number> = items): Int32Array {
    return topExcluding(this.scoreVector(this.foldIn(items)), k, exclude);
  }

  toJSON(): AlsJson {
    const { x, y } = this.fitted();
    return {
      kind: 'nextoffer.als',
      version: ALS_FORMAT,
      options: this.options,
      users: this.nUsers,
      items: this.nItems,
      userFactors: Array.from(x),
      itemFactors: Array.from(y),
    };
  }

  static fromJSON(json: AlsJson): ImplicitALS {
    if (json?.kind !== 'nextoffer.als' || json.version !== ALS_FORMAT)
      throw new AppError('ARGUMENT_INVALID', `not an ALS model of format ${ALS_FORMAT}`);
    const m = new ImplicitALS(json.options);
    m.x = Float32Array.from(json.userFactors);
    m.y = Float32Array.from(json.itemFactors);
    m.nUsers = json.users;
    m.nItems = json.items;
    return m;
  }
}

/** A = YᵀY + λI + Σ (c−1) y yᵀ and b = Σ c y for row u (yty already holds YᵀY + λI). */
function exactSystem(
  m: Csr,
  u: number,
  fixed: Float32Array,
  yty: Float64Array,
  alpha: number,
  f: number,
  a: Float64Array,
  b: Float64Array,
): void {
  a.set(yty);
  b.fill(0);
  for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) {
    const conf = 1 + alpha * m.values[p];
    const yo = m.indices[p] * f;
    for (let i = 0; i < f; i++) {
      const yi = fixed[yo + i];
      b[i] += conf * yi;
      const w = (conf - 1) * yi;
      for (let j = 0; j < f; j++) a[i * f + j] += w * fixed[yo + j];
    }
  }
}

function topExcluding(scores: Float32Array, k: number, exclude: ArrayLike<number>): Int32Array {
  for (let i = 0; i < exclude.length; i++) scores[exclude[i]] = -Infinity;
  return topK(scores, k);
}
