/**
 * The GBDT ranker over products a client may add: either one multiclass model over the added
 * products (a client adding n products contributes n rows weighted 1/n) or one binary model per
 * product (rows: clients not owning it; label: added it). Scores are per-product probabilities.
 */
import { AppError } from '../errors.js';
import { GradientBoosting, type GbdtJSON, type GbdtOptions } from '../ml/gbdt/index.js';
import { takeRows, type Matrix } from '../ml/matrix.js';
import { N_PRODUCTS } from './products.js';

export type RankerMode = 'multiclass' | 'binary';

export interface RankerOptions {
  mode: RankerMode;
  gbdt: Partial<GbdtOptions>;
  /** Products with fewer training additions get no model (score 0). */
  minAdditions: number;
}

export const DEFAULT_RANKER_OPTIONS: RankerOptions = {
  mode: 'multiclass',
  gbdt: {
    nEstimators: 200,
    learningRate: 0.1,
    maxDepth: 6,
    maxLeaves: 48,
    minChildWeight: 1,
    lambda: 1,
    subsample: 0.9,
    colsampleByTree: 0.6,
    maxBins: 64,
    earlyStoppingRounds: 25,
    seed: 7,
  },
  minAdditions: 5,
};

/** One row per client-month: features, what the client added and what it owned before. */
export interface RankerRows {
  X: Matrix;
  added: Int32Array;
  owned: Int32Array;
}

export interface RankerJson {
  kind: 'nextoffer.ranker';
  version: 1;
  options: RankerOptions;
  /** Product index per multiclass class, or per binary model. */
  products: number[];
  models: GbdtJSON[];
}

export interface RankerRun {
  featureNames?: string[];
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Fixed rounds (no early stopping) — e.g. a refit on more months with a known best iteration. */
  rounds?: number[];
}

export class Ranker {
  readonly options: RankerOptions;
  private products: number[] = [];
  private models: GradientBoosting[] = [];

  constructor(options: Partial<RankerOptions> = {}) {
    this.options = {
      ...DEFAULT_RANKER_OPTIONS,
      ...options,
      gbdt: { ...DEFAULT_RANKER_OPTIONS.gbdt, ...options.gbdt },
    };
  }

  get fitted(): boolean {
    return this.models.length > 0;
  }

  /** Best iteration of each model (for a refit with a fixed number of rounds). */
  bestIterations(): number[] {
    return this.models.map((m) => m.bestIteration);
  }

  fit(train: RankerRows, validation: RankerRows | null, run: RankerRun = {}): this {
    const counts = new Float64Array(N_PRODUCTS);
    for (const a of train.added) for (let p = 0; p < N_PRODUCTS; p++) counts[p] += (a >>> p) & 1;
    this.products = [];
    for (let p = 0; p < N_PRODUCTS; p++) if (counts[p] >= this.options.minAdditions) this.products.push(p);
    if (this.products.length < 2)
      throw new AppError(
        'ARGUMENT_INVALID',
        `ranker: only ${this.products.length} product(s) with enough additions to learn from`,
      );
    const mode = this.options.mode;
    if (mode === 'multiclass') this.models = [this.fitMulticlass(train, validation, run)];
    else if (mode === 'binary')
      this.models = this.products.map((p, i) => this.fitBinary(p, i, train, validation, run));
    else
      throw new AppError('ARGUMENT_INVALID', `ranker mode ${JSON.stringify(mode)}: 'multiclass' or 'binary'`);
    return this;
  }

  private fitMulticlass(train: RankerRows, validation: RankerRows | null, run: RankerRun): GradientBoosting {
    const classOf = new Int32Array(N_PRODUCTS).fill(-1);
    this.products.forEach((p, i) => (classOf[p] = i));
    const expand = (d: RankerRows) => {
      const rows: number[] = [];
      const y: number[] = [];
      const w: number[] = [];
      for (let r = 0; r < d.added.length; r++) {
        const classes: number[] = [];
        for (let p = 0; p < N_PRODUCTS; p++)
          if ((d.added[r] >>> p) & 1 && classOf[p] >= 0) classes.push(classOf[p]);
        for (const c of classes) {
          rows.push(r);
          y.push(c);
          w.push(1 / classes.length);
        }
      }
      return { X: takeRows(d.X, rows), y: Int32Array.from(y), w: Float32Array.from(w) };
    };
    const t = expand(train);
    const v = validation ? expand(validation) : null;
    const rounds = run.rounds?.[0];
    const model = new GradientBoosting({
      ...this.options.gbdt,
      objective: 'multiclass',
      numClasses: this.products.length,
      ...(rounds ? { nEstimators: rounds, earlyStoppingRounds: 0 } : {}),
    });
    return model.fit(t.X, t.y, {
      sampleWeight: t.w,
      validation: v && v.y.length > 0 ? { X: v.X, y: v.y, sampleWeight: v.w } : undefined,
      featureNames: run.featureNames,
      onProgress: run.onProgress,
      signal: run.signal,
    });
  }

  private fitBinary(
    p: number,
    i: number,
    train: RankerRows,
    validation: RankerRows | null,
    run: RankerRun,
  ): GradientBoosting {
    const subset = (d: RankerRows) => {
      const rows: number[] = [];
      const y: number[] = [];
      for (let r = 0; r < d.added.length; r++) {
        if ((d.owned[r] >>> p) & 1) continue;
        rows.push(r);
        y.push((d.added[r] >>> p) & 1);
      }
      return { X: takeRows(d.X, rows), y: Float32Array.from(y) };
    };
    const t = subset(train);
    const v = validation ? subset(validation) : null;
    const rounds = run.rounds?.[i];
    const model = new GradientBoosting({
      ...this.options.gbdt,
      objective: 'binary',
      ...(rounds ? { nEstimators: rounds, earlyStoppingRounds: 0 } : {}),
    });
    return model.fit(t.X, t.y, {
      validation: v && v.y.some((x) => x === 1) ? { X: v.X, y: v.y } : undefined,
      featureNames: run.featureNames,
      onProgress: run.onProgress
        ? (d, n) => run.onProgress?.(i * n + d, this.products.length * n)
        : undefined,
      signal: run.signal,
    });
  }

  private check(): void {
    if (!this.fitted) throw new AppError('NOT_FITTED', 'Ranker: call fit() first');
  }

  /** n × 24 probabilities (0 for products without a model). */
  scores(X: Matrix): Float32Array {
    this.check();
    const out = new Float32Array(X.rows * N_PRODUCTS);
    if (this.options.mode === 'multiclass') {
      const K = this.products.length;
      const proba = this.models[0].predictProba(X);
      for (let r = 0; r < X.rows; r++)
        for (let c = 0; c < K; c++) out[r * N_PRODUCTS + this.products[c]] = proba[r * K + c];
      return out;
    }
    this.products.forEach((p, i) => {
      const proba = this.models[i].predictProba(X);
      for (let r = 0; r < X.rows; r++) out[r * N_PRODUCTS + p] = proba[r];
    });
    return out;
  }

  /** Path contributions (cols + 1 values, bias last) of every feature to product `p`'s margin for row 0 of X. */
  contributions(X: Matrix, p: number): Float32Array | null {
    this.check();
    const i = this.products.indexOf(p);
    if (i < 0) return null;
    const cols = X.cols + 1;
    const one = takeRows(X, [0]);
    if (this.options.mode === 'multiclass') {
      const all = this.models[0].contributions(one);
      return all.slice(i * cols, (i + 1) * cols);
    }
    return this.models[i].contributions(one).slice(0, cols);
  }

  toJSON(): RankerJson {
    this.check();
    return {
      kind: 'nextoffer.ranker',
      version: 1,
      options: this.options,
      products: this.products,
      models: this.models.map((m) => m.toJSON()),
    };
  }

  static fromJSON(json: RankerJson): Ranker {
    if (json?.kind !== 'nextoffer.ranker' || json.version !== 1)
      throw new AppError('ARGUMENT_INVALID', 'not a ranker of format 1');
    const r = new Ranker(json.options);
    r.products = json.products;
    r.models = json.models.map((m) => GradientBoosting.fromJSON(m));
    return r;
  }
}
