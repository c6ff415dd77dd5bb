/**
 * L2-regularised logistic regression on a row-major Float32Array matrix. Minimises
 *   mean_i logloss(y_i, σ(w·x_i + b)) + (l2 / 2)·‖w‖²     (the intercept is not penalised)
 * with Newton's method (IRLS; exact, for up to a few hundred features) or seeded mini-batch SGD
 * (any size). Probabilities of a well-specified logistic model are calibrated, which is why the
 * offer confidence uses it.
 */
import { AppError } from '../errors.js';
import { assertMatrix, type Matrix } from './matrix.js';
import { Rng } from './random.js';

export interface LogisticRegressionOptions {
  /** L2 penalty strength (≥ 0). Default 1e-3. */
  l2?: number;
  /** `newton` (default) or `sgd`. */
  solver?: 'newton' | 'sgd';
  /** Newton iterations or SGD epochs. Default 50 (Newton) / 200 (SGD). */
  maxIter?: number;
  /** Stop when the largest coefficient change is below this. Default 1e-8. */
  tol?: number;
  /** SGD: learning rate, batch size and the seed of the shuffling. */
  learningRate?: number;
  batchSize?: number;
  seed?: number;
}

export const LOGISTIC_DEFAULTS = {
  l2: 1e-3,
  solver: 'newton',
  tol: 1e-8,
  learningRate: 0.1,
  batchSize: 32,
  seed: 0,
} as const;

export interface LogisticRegressionJSON {
  kind: 'logistic-regression';
  version: 1;
  options: LogisticRegressionOptions;
  coef: number[];
  intercept: number;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Solves A x = b for a symmetric positive-definite A (n×n, row-major, overwritten) by Cholesky. */
function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
    if (d <= 0)
      throw new AppError(
        'ARGUMENT_INVALID',
        'logistic regression: Hessian is not positive definite (set l2 > 0)',
      );
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / ljj;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= a[i * n + k] * y[k];
    y[i] = s / a[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= a[k * n + i] * x[k];
    x[i] = s / a[i * n + i];
  }
  return x;
}

export class LogisticRegression {
  readonly options: LogisticRegressionOptions;
  private coef: Float64Array | null = null;
  private intercept = 0;

  constructor(options: LogisticRegressionOptions = {}) {
    this.options = { ...options };
  }

  get fitted(): boolean {
    return this.coef !== null;
  }

  /** Learns from `x` (rows × features) and labels `y` (0/1, one per row). */
  fit(x: Matrix, y: ArrayLike<number>): this {
    assertMatrix(x, 'X');
    if (y.length !== x.rows)
      throw new AppError('ARGUMENT_INVALID', `y has ${y.length} labels, X has ${x.rows} rows`);
    if (x.rows === 0) throw new AppError('ARGUMENT_INVALID', 'logistic regression: no training rows');
    for (let i = 0; i < y.length; i++)
      if (y[i] !== 0 && y[i] !== 1)
        throw new AppError('ARGUMENT_INVALID', `y[${i}] = ${y[i]}: labels must be 0 or 1`);
    const l2 = this.options.l2 ?? LOGISTIC_DEFAULTS.l2;
    if (!(l2 >= 0)) throw new AppError('ARGUMENT_INVALID', `l2 = ${l2}: must be ≥ 0`);
    const solver = this.options.solver ?? LOGISTIC_DEFAULTS.solver;
    const w = solver === 'newton' ? this.newton(x, y, l2) : this.sgd(x, y, l2);
    this.intercept = w[x.cols];
    this.coef = w.subarray(0, x.cols).slice();
    return this;
  }

  /** Newton's method on [w, b]; the Hessian is (1/n) Xᵀ S X + l2·I (no penalty on b). */
  private newton(x: Matrix, y: ArrayLike<number>, l2: number): Float64Array {
    const { rows: n, cols: d } = x;
    const m = d + 1;
    const w = new Float64Array(m);
    const maxIter = this.options.maxIter ?? 50;
    const tol = this.options.tol ?? LOGISTIC_DEFAULTS.tol;
    const xi = new Float64Array(m);
    for (let iter = 0; iter < maxIter; iter++) {
      const grad = new Float64Array(m);
      const hess = new Float64Array(m * m);
      for (let i = 0; i < n; i++) {
        let z = w[d];
        for (let j = 0; j < d; j++) {
          xi[j] = x.data[i * d + j];
          z += w[j] * xi[j];
        }
        xi[d] = 1;
        const p = sigmoid(z);
        const r = p - y[i];
        const s = Math.max(p * (1 - p), 1e-12);
        for (let j = 0; j < m; j++) {
          if (xi[j] === 0) continue;
          grad[j] += r * xi[j];
          const sj = s * xi[j];
          for (let k = 0; k <= j; k++) hess[j * m + k] += sj * xi[k];
        }
      }
      for (let j = 0; j < m; j++) {
        grad[j] /= n;
        for (let k = 0; k <= j; k++) {
          hess[j * m + k] /= n;
          hess[k * m + j] = hess[j * m + k];
        }
      }
      for (let j = 0; j < d; j++) {
        grad[j] += l2 * w[j];
        hess[j * m + j] += l2;
      }
      hess[d * m + d] += 1e-10;
      const step = choleskySolve(hess, grad, m);
      let maxStep = 0;
      for (let j = 0; j < m; j++) {
        w[j] -= step[j];
        maxStep = Math.max(maxStep, Math.abs(step[j]));
      }
      if (maxStep < tol) break;
    }
    return w;
  }

  /** Mini-batch SGD with a 1/√t decaying rate; rows are shuffled each epoch by the seeded generator. */
  private sgd(x: Matrix, y: ArrayLike<number>, l2: number): Float64Array {
    const { rows: n, cols: d } = x;
    const w = new Float64Array(d + 1);
    const rng = new Rng(this.options.seed ?? LOGISTIC_DEFAULTS.seed);
    const epochs = this.options.maxIter ?? 200;
    const lr0 = this.options.learningRate ?? LOGISTIC_DEFAULTS.learningRate;
    const batch = Math.max(1, this.options.batchSize ?? LOGISTIC_DEFAULTS.batchSize);
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    const grad = new Float64Array(d + 1);
    let t = 0;
    for (let e = 0; e < epochs; e++) {
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (let start = 0; start < n; start += batch) {
        const end = Math.min(n, start + batch);
        grad.fill(0);
        for (let q = start; q < end; q++) {
          const i = order[q];
          let z = w[d];
          for (let j = 0; j < d; j++) z += w[j] * x.data[i * d + j];
          const r = sigmoid(z) - y[i];
          for (let j = 0; j < d; j++) grad[j] += r * x.data[i * d + j];
          grad[d] += r;
        }
        const lr = lr0 / Math.sqrt(1 + t++ / 100);
        const size = end - start;
        for (let j = 0; j < d; j++) w[j] -= lr * (grad[j] / size + l2 * w[j]);
        w[d] -= (lr * grad[d]) / size;
      }
    }
    return w;
  }

  /** P(y = 1) per row. */
  predictProba(x: Matrix): Float64Array {
    const coef = this.coef;
    if (coef === null)
      throw new AppError('NOT_FITTED', 'LogisticRegression: call fit() before predictProba()');
    assertMatrix(x, 'X', coef.length);
    const out = new Float64Array(x.rows);
    const d = x.cols;
    for (let i = 0; i < x.rows; i++) {
      let z = this.intercept;
      for (let j = 0; j < d; j++) z += coef[j] * x.data[i * d + j];
      out[i] = sigmoid(z);
    }
    return out;
  }

  /** P(y = 1) for one row given as a typed array (hot path of the offer engine). */
  predictOne(row: ArrayLike<number>): number {
    const coef = this.coef;
    if (coef === null) throw new AppError('NOT_FITTED', 'LogisticRegression: call fit() before predictOne()');
    if (row.length !== coef.length)
      throw new AppError(
        'ARGUMENT_INVALID',
        `row has ${row.length} features, the model was fitted on ${coef.length}`,
      );
    let z = this.intercept;
    for (let j = 0; j < coef.length; j++) z += coef[j] * row[j];
    return sigmoid(z);
  }

  get coefficients(): { coef: Float64Array; intercept: number } {
    if (this.coef === null) throw new AppError('NOT_FITTED', 'LogisticRegression: not fitted');
    return { coef: this.coef.slice(), intercept: this.intercept };
  }

  toJSON(): LogisticRegressionJSON {
    const { coef, intercept } = this.coefficients;
    return {
      kind: 'logistic-regression',
      version: 1,
      options: this.options,
      coef: Array.from(coef),
      intercept,
    };
  }

  static fromJSON(json: unknown): LogisticRegression {
    const j = json as Partial<LogisticRegressionJSON> | null;
    if (j?.kind !== 'logistic-regression')
      throw new AppError(
        'ARGUMENT_INVALID',
        `not a logistic-regression model (kind ${JSON.stringify(j?.kind)})`,
      );
    if (j.version !== 1)
      throw new AppError(
        'ARGUMENT_INVALID',
        `logistic-regression format version ${String(j.version)} is not supported (expected 1)`,
      );
    if (
      !Array.isArray(j.coef) ||
      typeof j.intercept !== 'number' ||
      j.coef.some((v) => typeof v !== 'number')
    )
      throw new AppError(
        'ARGUMENT_INVALID',
        'logistic-regression: coef must be numbers and intercept a number',
      );
    const m = new LogisticRegression(j.options ?? {});
    m.coef = Float64Array.from(j.coef);
    m.intercept = j.intercept;
    return m;
  }
}
