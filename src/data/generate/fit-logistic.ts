/**
 * Ridge-penalised logistic regression on sparse rows, fitted by Newton's method. Used only by the
 * measurement (`measure-models.ts`) to turn the real files into the coefficient tables the
 * generator samples from; small dimension (tens of features), many rows.
 */

/** Sparse design matrix: row i has features `slots[start[i]..start[i+1])` with `values`. */
export class SparseRows {
  readonly start: number[] = [0];
  readonly slots: number[] = [];
  readonly values: number[] = [];
  readonly y: number[] = [];

  add(slots: readonly number[], values: readonly number[], label: boolean): void {
    for (let k = 0; k < slots.length; k++) {
      this.slots.push(slots[k]);
      this.values.push(values[k]);
    }
    this.start.push(this.slots.length);
    this.y.push(label ? 1 : 0);
  }

  get rows(): number {
    return this.y.length;
  }

  get positives(): number {
    return this.y.reduce((a, b) => a + b, 0);
  }
}

/** Solves `A x = b` for a symmetric positive-definite `A` (n×n row-major) by Cholesky. */
function solveSpd(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j * n + j];
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * z[k];
    z[i] = s / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/** Penalised log-loss of `w` on `data`. */
function loss(data: SparseRows, w: Float64Array, lambda: number): number {
  const { start, slots, values, y } = data;
  let sum = 0;
  for (let i = 0; i < data.rows; i++) {
    let z = 0;
    for (let k = start[i]; k < start[i + 1]; k++) z += w[slots[k]] * values[k];
    // log(1 + e^z) − y·z, computed stably for large |z|.
    sum += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i] * z;
  }
  for (let j = 1; j < w.length; j++) sum += 0.5 * lambda * w[j] * w[j];
  return sum;
}

/**
 * Fits `P(y=1) = σ(w·x)` minimising log-loss + `lambda/2 · |w|²` (slot 0, the intercept, is not
 * penalised) by Newton steps with step halving. Returns `dim` coefficients.
 */
export function fitLogistic(data: SparseRows, dim: number, lambda = 2, maxIter = 50): Float64Array {
  let w = new Float64Array(dim);
  const n = data.rows;
  const rate = Math.min(Math.max(data.positives, 0.5) / Math.max(n, 1), 1 - 1e-6);
  w[0] = Math.log(rate / (1 - rate));
  let current = loss(data, w, lambda);
  const { start, slots, values, y } = data;
  for (let iter = 0; iter < maxIter; iter++) {
    const grad = new Float64Array(dim);
    const hess = new Float64Array(dim * dim);
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let k = start[i]; k < start[i + 1]; k++) z += w[slots[k]] * values[k];
      const p = 1 / (1 + Math.exp(-z));
      const r = p - y[i];
      const h = Math.max(p * (1 - p), 1e-10);
      for (let k = start[i]; k < start[i + 1]; k++) {
        const sk = slots[k];
        const vk = values[k];
        grad[sk] += r * vk;
        for (let m = start[i]; m < start[i + 1]; m++) hess[sk * dim + slots[m]] += h * vk * values[m];
      }
    }
    for (let j = 0; j < dim; j++) {
      if (j > 0) grad[j] += lambda * w[j];
      hess[j * dim + j] += j === 0 ? 1e-6 : lambda;
    }
    const step = solveSpd(hess, grad, dim);
    let t = 1;
    let next = w;
    let nextLoss = current;
    for (let halvings = 0; halvings < 30; halvings++, t /= 2) {
      const trial = w.map((x, j) => x - t * step[j]);
      const l = loss(data, trial, lambda);
      if (l <= current) {
        next = trial;
        nextLoss = l;
        break;
      }
    }
    const improvement = current - nextLoss;
    w = next;
    current = nextLoss;
    if (improvement < 1e-7 * Math.max(1, Math.abs(current))) break;
  }
  return w;
}
