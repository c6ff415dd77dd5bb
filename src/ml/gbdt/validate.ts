/** Input checks of `fit`/`predict`, each failing with an `AppError` that names the field and rule. */
import { AppError } from '../../errors.js';
import { assertMatrix, type Matrix } from '../matrix.js';
import type { GbdtOptions } from './options.js';

function fail(message: string): never {
  throw new AppError('ARGUMENT_INVALID', message);
}

/** Checks the labels and returns the number of margin groups K (1 for binary). */
export function checkLabels(
  y: ArrayLike<number>,
  rows: number,
  o: GbdtOptions,
  name: string,
  K?: number,
): number {
  if (y.length !== rows) fail(`${name}: ${y.length} labels for ${rows} rows`);
  if (o.objective === 'binary') {
    for (let i = 0; i < y.length; i++) {
      if (y[i] !== 0 && y[i] !== 1) fail(`${name}[${i}]: binary labels must be 0 or 1, got ${y[i]}`);
    }
    return 1;
  }
  let classes = K ?? o.numClasses;
  if (classes === undefined) {
    let mx = -1;
    for (let i = 0; i < y.length; i++) if (y[i] > mx) mx = y[i];
    classes = Math.max(2, mx + 1);
  }
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      fail(`${name}[${i}]: class labels must be integers in [0, ${classes - 1}], got ${v}`);
    }
  }
  return classes;
}

/** Sample weights: one finite non-negative number per row, not all zero. Returns them (ones if absent). */
export function checkWeights(w: Float32Array | undefined, rows: number, name: string): Float32Array {
  if (w === undefined) return new Float32Array(rows).fill(1);
  if (!(w instanceof Float32Array)) fail(`${name}: must be a Float32Array`);
  if (w.length !== rows) fail(`${name}: ${w.length} weights for ${rows} rows`);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const v = w[i];
    if (!Number.isFinite(v) || v < 0) fail(`${name}[${i}]: weights must be finite and ≥ 0, got ${v}`);
    total += v;
  }
  if (!(total > 0)) fail(`${name}: at least one weight must be positive`);
  return w;
}

/** The training matrix: consistent shape, at least one row and one column, no infinities. */
export function checkTrainMatrix(X: Matrix, name: string, cols?: number): void {
  assertMatrix(X, name, cols);
  if (X.rows === 0 || X.cols === 0)
    fail(`${name}: needs at least one row and one column, got ${X.rows}×${X.cols}`);
  const d = X.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v === Infinity || v === -Infinity) {
      fail(`${name}: row ${Math.floor(i / X.cols)} column ${i % X.cols} is infinite (use NaN for missing)`);
    }
  }
}

export function checkFeatureNames(names: readonly string[] | undefined, cols: number): string[] {
  if (names === undefined) return Array.from({ length: cols }, (_, i) => `f${i}`);
  if (names.length !== cols) fail(`featureNames: ${names.length} names for ${cols} columns`);
  return [...names];
}
