/**
 * Column scalers on a `Matrix` (NaN ignored when fitting, passed through when transforming):
 * standard (mean 0, unit population variance), min-max ([0, 1]) and robust (median, IQR).
 * A constant column maps to 0.
 */
import { AppError, assertNever } from '../../errors.js';
import { assertMatrix, type Matrix } from '../matrix.js';

export type ScalerKind = 'standard' | 'minmax' | 'robust' | 'none';

export interface ScalerJSON {
  kind: 'scaler';
  version: 1;
  method: ScalerKind;
  offset: number[];
  scale: number[];
}

function columnValues(X: Matrix, j: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < X.rows; i++) {
    const v = X.data[i * X.cols + j];
    if (!Number.isNaN(v)) out.push(v);
  }
  return out;
}

/** Linear-interpolated quantile of sorted values (numpy's default). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** `x ↦ (x − offset) / scale` per column, with offset and scale learned by `method`. */
export class Scaler {
  readonly method: ScalerKind;
  private params: { offset: Float64Array; scale: Float64Array } | null = null;

  constructor(options: { method: ScalerKind }) {
    this.method = options.method;
  }

  fit(X: Matrix): this {
    assertMatrix(X);
    const offset = new Float64Array(X.cols);
    const scale = new Float64Array(X.cols).fill(1);
    for (let j = 0; j < X.cols; j++) {
      const v = columnValues(X, j);
      if (v.length === 0) continue;
      switch (this.method) {
        case 'none':
          break;
        case 'standard': {
          const mean = v.reduce((s, x) => s + x, 0) / v.length;
          const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length;
          offset[j] = mean;
          scale[j] = variance > 0 ? Math.sqrt(variance) : 1;
          break;
        }
        case 'minmax': {
          let min = Infinity;
          let max = -Infinity;
          for (const x of v) {
            if (x < min) min = x;
            if (x > max) max = x;
          }
          offset[j] = min;
          scale[j] = max > min ? max - min : 1;
          break;
        }
        case 'robust': {
          v.sort((a, b) => a - b);
          const iqr = quantileSorted(v, 0.75) - quantileSorted(v, 0.25);
          offset[j] = quantileSorted(v, 0.5);
          scale[j] = iqr > 0 ? iqr : 1;
          break;
        }
        default:
          assertNever(this.method, 'scaler');
      }
    }
    this.params = { offset, scale };
    return this;
  }

  private state() {
    if (!this.params) throw new AppError('NOT_FITTED', 'Scaler: call fit() first');
    return this.params;
  }

  /** Scales one value of column `j`. */
  scaleValue(j: number, x: number): number {
    const p = this.state();
    return (x - p.offset[j]) / p.scale[j];
  }

  /** Maps a scaled value of column `j` back to its original unit. */
  inverseValue(j: number, x: number): number {
    const p = this.state();
    return x * p.scale[j] + p.offset[j];
  }

  transform(X: Matrix): Matrix {
    const p = this.state();
    assertMatrix(X, 'X', p.offset.length);
    const out = new Float32Array(X.data.length);
    for (let i = 0; i < X.rows; i++)
      for (let j = 0; j < X.cols; j++)
        out[i * X.cols + j] = (X.data[i * X.cols + j] - p.offset[j]) / p.scale[j];
    return { data: out, rows: X.rows, cols: X.cols };
  }

  toJSON(): ScalerJSON {
    const p = this.state();
    return {
      kind: 'scaler',
      version: 1,
      method: this.method,
      offset: Array.from(p.offset),
      scale: Array.from(p.scale),
    };
  }

  static fromJSON(json: ScalerJSON): Scaler {
    if (json?.kind !== 'scaler' || json.version !== 1)
      throw new AppError(
        'ARGUMENT_INVALID',
        `not a version-1 scaler (kind ${String(json?.kind)}, version ${String(json?.version)})`,
      );
    const s = new Scaler({ method: json.method });
    s.params = { offset: Float64Array.from(json.offset), scale: Float64Array.from(json.scale) };
    return s;
  }
}
