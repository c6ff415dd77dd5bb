/**
 * Compressed sparse rows (CSR) for implicit-feedback matrices, plus the small dense linear
 * algebra ALS needs (Cholesky solve of an f × f system).
 */
import { AppError } from '../errors.js';

export interface Csr {
  readonly rows: number;
  readonly cols: number;
  /** rows + 1 offsets into `indices`/`values`. */
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** Builds a CSR matrix from coordinate triples; duplicate (row, col) entries are summed. */
export function csrFromCoo(
  rows: number,
  cols: number,
  r: ArrayLike<number>,
  c: ArrayLike<number>,
  v?: ArrayLike<number>,
): Csr {
  if (r.length !== c.length || (v && v.length !== r.length))
    throw new AppError(
      'ARGUMENT_INVALID',
      `coordinates: ${r.length} rows, ${c.length} cols, ${v?.length} values`,
    );
  const counts = new Int32Array(rows + 1);
  for (let e = 0; e < r.length; e++) {
    if (r[e] < 0 || r[e] >= rows || c[e] < 0 || c[e] >= cols)
      throw new AppError('ARGUMENT_INVALID', `entry ${e} (${r[e]}, ${c[e]}) outside ${rows}×${cols}`);
    counts[r[e] + 1]++;
  }
  for (let i = 0; i < rows; i++) counts[i + 1] += counts[i];
  const fill = counts.slice(0, rows);
  const indices = new Int32Array(r.length);
  const values = new Float32Array(r.length);
  for (let e = 0; e < r.length; e++) {
    const at = fill[r[e]]++;
    indices[at] = c[e];
    values[at] = v ? v[e] : 1;
  }
  return dedupe({ rows, cols, indptr: counts, indices, values });
}

/** Sorts each row's columns and sums duplicates. */
function dedupe(m: Csr): Csr {
  const indptr = new Int32Array(m.rows + 1);
  const indices = new Int32Array(m.indices.length);
  const values = new Float32Array(m.values.length);
  let nnz = 0;
  const order: number[] = [];
  for (let i = 0; i < m.rows; i++) {
    order.length = 0;
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) order.push(p);
    order.sort((a, b) => m.indices[a] - m.indices[b]);
    for (const p of order) {
      if (nnz > indptr[i] && indices[nnz - 1] === m.indices[p]) values[nnz - 1] += m.values[p];
      else {
        indices[nnz] = m.indices[p];
        values[nnz++] = m.values[p];
      }
    }
    indptr[i + 1] = nnz;
  }
  return { rows: m.rows, cols: m.cols, indptr, indices: indices.slice(0, nnz), values: values.slice(0, nnz) };
}

export function transpose(m: Csr): Csr {
  const indptr = new Int32Array(m.cols + 1);
  for (let p = 0; p < m.indices.length; p++) indptr[m.indices[p] + 1]++;
  for (let j = 0; j < m.cols; j++) indptr[j + 1] += indptr[j];
  const fill = indptr.slice(0, m.cols);
  const indices = new Int32Array(m.indices.length);
  const values = new Float32Array(m.values.length);
  for (let i = 0; i < m.rows; i++) {
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) {
      const at = fill[m.indices[p]]++;
      indices[at] = i;
      values[at] = m.values[p];
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, values };
}

/**
 * Solves A x = b in place for a symmetric positive definite f × f matrix `a` (row-major,
 * overwritten by its Cholesky factor); `b` becomes x.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, f: number): void {
  for (let j = 0; j < f; j++) {
    let d = a[j * f + j];
    for (let k = 0; k < j; k++) d -= a[j * f + k] * a[j * f + k];
    if (!(d > 0))
      throw new AppError('ARGUMENT_INVALID', 'matrix is not positive definite (raise regularization)');
    const l = Math.sqrt(d);
    a[j * f + j] = l;
    for (let i = j + 1; i < f; i++) {
      let s = a[i * f + j];
      for (let k = 0; k < j; k++) s -= a[i * f + k] * a[j * f + k];
      a[i * f + j] = s / l;
    }
  }
  for (let i = 0; i < f; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= a[i * f + k] * b[k];
    b[i] = s / a[i * f + i];
  }
  for (let i = f - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < f; k++) s -= a[k * f + i] * b[k];
    b[i] = s / a[i * f + i];
  }
}

/** Gram matrix FᵀF (f × f, float64) of the n × f row-major factors. */
export function gram(factors: Float32Array, n: number, f: number): Float64Array {
  const g = new Float64Array(f * f);
  for (let r = 0; r < n; r++) {
    const o = r * f;
    for (let a = 0; a < f; a++) {
      const va = factors[o + a];
      if (va === 0) continue;
      for (let b = a; b < f; b++) g[a * f + b] += va * factors[o + b];
    }
  }
  for (let a = 0; a < f; a++) for (let b = 0; b < a; b++) g[a * f + b] = g[b * f + a];
  return g;
}
