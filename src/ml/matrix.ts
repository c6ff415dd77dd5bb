/**
 * A dense row-major matrix on a typed array: the one shape every estimator in `src/ml` takes.
 * Missing values are NaN. `data.length` must equal `rows * cols`.
 */
import { AppError } from '../errors.js';

export interface Matrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

export interface Matrix64 {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** A zero-filled matrix of the given shape. */
export function zeros(rows: number, cols: number): Matrix {
  return { data: new Float32Array(rows * cols), rows, cols };
}

/** Wraps row arrays (small inputs and tests only: hot paths build typed arrays directly). */
export function fromRows(rowsIn: readonly (readonly number[])[]): Matrix {
  const rows = rowsIn.length;
  const cols = rows === 0 ? 0 : rowsIn[0].length;
  const data = new Float32Array(rows * cols);
  rowsIn.forEach((row, i) => {
    if (row.length !== cols) {
      throw new AppError('ARGUMENT_INVALID', `row ${i} has ${row.length} values, expected ${cols}`);
    }
    data.set(row, i * cols);
  });
  return { data, rows, cols };
}

/** Throws a clear error when `m` is not a consistent matrix (optionally with `cols` columns). */
export function assertMatrix(m: Matrix | Matrix64, name = 'X', cols?: number): void {
  if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.rows < 0 || m.cols < 0) {
    throw new AppError('ARGUMENT_INVALID', `${name}: shape ${m.rows}×${m.cols} is not a valid shape`);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new AppError(
      'ARGUMENT_INVALID',
      `${name}: data has ${m.data.length} values, expected rows×cols = ${m.rows * m.cols}`,
    );
  }
  if (cols !== undefined && m.cols !== cols) {
    throw new AppError('ARGUMENT_INVALID', `${name}: has ${m.cols} columns, the model was fitted on ${cols}`);
  }
}

/** Rows `indices` of `m`, in that order, as a new matrix. */
export function takeRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = new Float32Array(indices.length * m.cols);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  }
  return { data: out, rows: indices.length, cols: m.cols };
}

/** One row of `m` as a view (no copy). */
export function row(m: Matrix, i: number): Float32Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}
