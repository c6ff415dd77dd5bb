/**
 * A fitted, serialisable column pipeline: selected numeric columns are scaled (NaN ignored),
 * then imputed (median, mean or KNN in scaled space); categorical columns are one-hot or
 * ordinal encoded. It turns a column set — or one record, for online scoring — into a `Matrix`
 * with named features.
 */
import { AppError, assertNever } from '../../errors.js';
import type { Matrix } from '../matrix.js';
import { categoryColumn, columnIndices, toCategory, toNumber, type ColumnSet } from './columns.js';
import {
  CategoryEncoder,
  type CategoryEncoderJSON,
  type CategoryEncoding,
  type CategoryMissing,
} from './encoders.js';
import {
  columnStatistic,
  KnnImputer,
  type KnnImputerJSON,
  type KnnImputerOptions,
  type NumericImputeStrategy,
} from './imputers.js';
import { Scaler, type ScalerJSON, type ScalerKind } from './scalers.js';

export interface PipelineOptions {
  numeric: string[];
  categorical: string[];
  scaler?: ScalerKind;
  imputer?: NumericImputeStrategy;
  knn?: KnnImputerOptions;
  encoding?: CategoryEncoding;
  categoryMissing?: CategoryMissing;
  /** Numeric columns compressed by sign(x)·log(1 + |x|) before scaling (heavy-tailed amounts and counts). */
  log?: string[];
  /** Also pass the encoded category columns through the scaler (e.g. min-max of ordinal codes). */
  scaleEncoded?: boolean;
}

/** Where an output feature comes from, for readable rules and profiles. */
export type FeatureSource =
  | { column: string; kind: 'numeric'; binary?: boolean }
  | { column: string; kind: 'onehot'; category: string }
  | { column: string; kind: 'ordinal'; categories: readonly string[] };

export interface PipelineJSON {
  kind: 'column-pipeline';
  version: 1;
  options: Required<Omit<PipelineOptions, 'knn'>> & { knn: KnnImputerOptions };
  scaler: ScalerJSON;
  fill: number[] | null;
  knn: KnnImputerJSON | null;
  encodedScaler: ScalerJSON | null;
  binary?: boolean[];
  encoders: CategoryEncoderJSON[];
}

interface State {
  scaler: Scaler;
  fill: Float64Array | null;
  knn: KnnImputer | null;
  encoders: CategoryEncoder[];
  encodedScaler: Scaler | null;
  /** Numeric columns whose training values are all 0 or 1 (product flags): rules print `= 0`/`= 1`. */
  binary: boolean[];
}

export class ColumnPipeline {
  readonly options: PipelineJSON['options'];
  private state: State | null = null;
  private readonly logged: boolean[];

  constructor(options: PipelineOptions) {
    this.options = {
      numeric: [...options.numeric],
      categorical: [...options.categorical],
      scaler: options.scaler ?? 'standard',
      imputer: options.imputer ?? 'median',
      knn: options.knn ?? {},
      encoding: options.encoding ?? 'onehot',
      categoryMissing: options.categoryMissing ?? 'category',
      scaleEncoded: options.scaleEncoded ?? false,
      log: [...(options.log ?? [])],
    };
    const stray = this.options.log.find((c) => !this.options.numeric.includes(c));
    if (stray)
      throw new AppError('ARGUMENT_INVALID', `pipeline: log column ${stray} is not a numeric feature`);
    this.logged = this.options.numeric.map((c) => this.options.log.includes(c));
  }

  fit(set: ColumnSet): this {
    const o = this.options;
    if (o.numeric.length + o.categorical.length === 0)
      throw new AppError('ARGUMENT_INVALID', 'pipeline: select at least one numeric or categorical column');
    const overlap = o.numeric.find((c) => o.categorical.includes(c));
    if (overlap)
      throw new AppError('ARGUMENT_INVALID', `column ${overlap} is listed as both numeric and categorical`);
    const raw = this.rawNumeric(set);
    const scaler = new Scaler({ method: o.scaler }).fit(raw);
    const scaled = scaler.transform(raw);
    let fill: Float64Array | null = null;
    let knn: KnnImputer | null = null;
    switch (o.imputer) {
      case 'median':
      case 'mean':
        fill = columnStatistic(scaled, o.imputer).map((v) => (Number.isNaN(v) ? 0 : v));
        break;
      case 'knn':
        knn = new KnnImputer(o.knn).fit(scaled);
        break;
      default:
        assertNever(o.imputer, 'imputer');
    }
    const encoders = o.categorical.map((c) =>
      new CategoryEncoder({ encoding: o.encoding, missing: o.categoryMissing }).fit(categoryColumn(set, c)),
    );
    const binary = o.numeric.map((_, j) => {
      let seen = false;
      for (let i = 0; i < raw.rows; i++) {
        const v = raw.data[i * raw.cols + j];
        if (Number.isNaN(v)) continue;
        const x = this.expand(j, v);
        if (x !== 0 && x !== 1) return false;
        seen = true;
      }
      return seen;
    });
    this.state = { scaler, fill, knn, encoders, encodedScaler: null, binary };
    if (o.scaleEncoded && o.categorical.length > 0) {
      const all = this.transform(set);
      const nNum = o.numeric.length;
      const w = all.cols - nNum;
      const block = new Float32Array(all.rows * w);
      for (let i = 0; i < all.rows; i++)
        block.set(all.data.subarray(i * all.cols + nNum, (i + 1) * all.cols), i * w);
      this.state.encodedScaler = new Scaler({ method: o.scaler }).fit({
        data: block,
        rows: all.rows,
        cols: w,
      });
    }
    return this;
  }

  private s(): State {
    if (!this.state) throw new AppError('NOT_FITTED', 'ColumnPipeline: call fit() first');
    return this.state;
  }

  private rawNumeric(set: ColumnSet): Matrix {
    const idx = columnIndices(set, this.options.numeric);
    const d = idx.length;
    const data = new Float32Array(set.rows.length * d);
    set.rows.forEach((r, i) =>
      idx.forEach(
        (c, j) => (data[i * d + j] = this.compress(j, toNumber(r[c], this.options.numeric[j], i + 1))),
      ),
    );
    return { data, rows: set.rows.length, cols: d };
  }

  private compress(j: number, x: number): number {
    return this.logged[j] ? Math.sign(x) * Math.log1p(Math.abs(x)) : x;
  }

  private expand(j: number, y: number): number {
    return this.logged[j] ? Math.sign(y) * Math.expm1(Math.abs(y)) : y;
  }

  get featureSources(): FeatureSource[] {
    const s = this.s();
    const out: FeatureSource[] = this.options.numeric.map((column, j) =>
      s.binary[j] ? { column, kind: 'numeric', binary: true } : { column, kind: 'numeric' },
    );
    this.options.categorical.forEach((column, i) => {
      const e = s.encoders[i];
      if (e.encoding === 'ordinal') out.push({ column, kind: 'ordinal', categories: e.categories });
      else for (const category of e.categories) out.push({ column, kind: 'onehot', category });
    });
    return out;
  }

  get featureNames(): string[] {
    return this.featureSources.map((f) => (f.kind === 'onehot' ? `${f.column}=${f.category}` : f.column));
  }

  /** Output width. */
  get cols(): number {
    const s = this.s();
    return this.options.numeric.length + s.encoders.reduce((w, e) => w + e.width, 0);
  }

  /** Writes one row's features; `get(column)` returns the raw cell. */
  private encodeRow(
    get: (column: string, j: number) => unknown,
    rowLabel: number | string,
    out: Float32Array,
  ): void {
    const s = this.s();
    const o = this.options;
    const nNum = o.numeric.length;
    for (let j = 0; j < nNum; j++)
      out[j] = s.scaler.scaleValue(
        j,
        this.compress(j, toNumber(get(o.numeric[j], j), o.numeric[j], rowLabel)),
      );
    if (s.knn) s.knn.imputeRow(out.subarray(0, nNum));
    else if (s.fill) for (let j = 0; j < nNum; j++) if (Number.isNaN(out[j])) out[j] = s.fill[j];
    let at = nNum;
    o.categorical.forEach((c, i) => {
      s.encoders[i].encodeInto(toCategory(get(c, nNum + i)), out, at);
      at += s.encoders[i].width;
    });
    if (s.encodedScaler)
      for (let j = nNum; j < at; j++) out[j] = s.encodedScaler.scaleValue(j - nNum, out[j]);
  }

  /** Feature `j`'s value in the units of its source (raw number, category code or 0/1 indicator). */
  unscale(j: number, value: number): number {
    const s = this.s();
    const nNum = this.options.numeric.length;
    if (j < nNum) return this.expand(j, s.scaler.inverseValue(j, value));
    return s.encodedScaler ? s.encodedScaler.inverseValue(j - nNum, value) : value;
  }

  transform(set: ColumnSet): Matrix {
    const d = this.cols;
    const o = this.options;
    const idx = columnIndices(set, [...o.numeric, ...o.categorical]);
    const data = new Float32Array(set.rows.length * d);
    set.rows.forEach((r, i) =>
      this.encodeRow((_c, j) => r[idx[j]], i + 1, data.subarray(i * d, (i + 1) * d)),
    );
    return { data, rows: set.rows.length, cols: d };
  }

  /** One record (column → value; absent keys are missing) as a feature row. */
  transformRecord(record: Readonly<Record<string, unknown>>): Float32Array {
    const out = new Float32Array(this.cols);
    this.encodeRow((c) => record[c], 'record', out);
    return out;
  }

  /**
   * One record in its columns' own units after missing-value handling: numbers imputed (as the
   * model sees them), categories resolved (mode or '(missing)'). Rules are evaluated on this.
   */
  resolveRecord(record: Readonly<Record<string, unknown>>): Record<string, number | string> {
    const s = this.s();
    const row = this.transformRecord(record);
    const out: Record<string, number | string> = {};
    this.options.numeric.forEach((c, j) => (out[c] = this.expand(j, s.scaler.inverseValue(j, row[j]))));
    this.options.categorical.forEach((c, i) => (out[c] = s.encoders[i].resolve(toCategory(record[c]))));
    return out;
  }

  toJSON(): PipelineJSON {
    const s = this.s();
    return {
      kind: 'column-pipeline',
      version: 1,
      options: this.options,
      scaler: s.scaler.toJSON(),
      fill: s.fill ? Array.from(s.fill) : null,
      knn: s.knn ? s.knn.toJSON() : null,
      encoders: s.encoders.map((e) => e.toJSON()),
      encodedScaler: s.encodedScaler ? s.encodedScaler.toJSON() : null,
      binary: s.binary,
    };
  }

  static fromJSON(json: PipelineJSON): ColumnPipeline {
    if (json?.kind !== 'column-pipeline' || json.version !== 1)
      throw new AppError(
        'ARGUMENT_INVALID',
        `not a version-1 column pipeline (kind ${String(json?.kind)}, version ${String(json?.version)})`,
      );
    const p = new ColumnPipeline(json.options);
    p.state = {
      scaler: Scaler.fromJSON(json.scaler),
      fill: json.fill ? Float64Array.from(json.fill) : null,
      knn: json.knn ? KnnImputer.fromJSON(json.knn) : null,
      encoders: json.encoders.map((e) => CategoryEncoder.fromJSON(e)),
      encodedScaler: json.encodedScaler ? Scaler.fromJSON(json.encodedScaler) : null,
      binary: json.binary ?? json.options.numeric.map(() => false),
    };
    return p;
  }
}
