/**
 * Histogram gradient-boosted trees (XGBoost/LightGBM style): binned features with a missing bin,
 * leaf-wise growth, histogram subtraction, binary logistic and multiclass softmax objectives,
 * sample weights, row/column subsampling and early stopping on a validation set.
 */
import { AppError } from '../../errors.js';
import { assertMatrix, type Matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { binColumns, fitBinCuts } from './binning.js';
import {
  addTreeOutput,
  forestContributions,
  forestMargins,
  ForestBuilder,
  gainImportance,
  type Forest,
} from './forest.js';
import { baseMargins, binaryGradients, marginsToProba, meanLoss, softmaxGradients } from './objectives.js';
import { resolveOptions, type GbdtOptions } from './options.js';
import { encodeForest, GBDT_KIND, GBDT_VERSION, parseGbdtJson, type GbdtJSON } from './serialize.js';
import { buildSparseRows } from './sparse-rows.js';
import { TreeGrower, type BinnedData } from './tree.js';
import { checkFeatureNames, checkLabels, checkTrainMatrix, checkWeights } from './validate.js';

export interface GbdtFitRun {
  sampleWeight?: Float32Array;
  validation?: { X: Matrix; y: ArrayLike<number>; sampleWeight?: Float32Array };
  featureNames?: string[];
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

interface Fitted {
  forest: Forest;
  base: Float64Array;
  K: number;
  cols: number;
}

export class GradientBoosting {
  readonly options: Readonly<GbdtOptions>;
  private state: Fitted | null = null;
  private _bestIteration = -1;
  private _evalHistory: number[] = [];
  private _featureNames: string[] = [];

  constructor(options: Partial<GbdtOptions> = {}) {
    this.options = Object.freeze(resolveOptions(options));
  }

  /** Index (0-based) of the last boosting round kept: the best validation round under early stopping. */
  get bestIteration(): number {
    return this._bestIteration;
  }
  /** Validation loss after each round (log loss or multiclass log loss); empty without validation. */
  get evalHistory(): readonly number[] {
    return this._evalHistory;
  }
  get featureNames(): readonly string[] {
    return this._featureNames;
  }
  /** Margin groups: 1 for binary, the number of classes for multiclass. */
  get numGroups(): number {
    return this.fitted().K;
  }

  private fitted(): Fitted {
    if (!this.state) throw new AppError('NOT_FITTED', 'GradientBoosting: call fit() before using the model');
    return this.state;
  }

  fit(X: Matrix, y: ArrayLike<number>, run: GbdtFitRun = {}): this {
    const o = this.options;
    checkTrainMatrix(X, 'X');
    const K = checkLabels(y, X.rows, o, 'y');
    const w = checkWeights(run.sampleWeight, X.rows, 'sampleWeight');
    const val = run.validation;
    let valW: Float32Array | undefined;
    if (val) {
      checkTrainMatrix(val.X, 'validation.X', X.cols);
      checkLabels(val.y, val.X.rows, o, 'validation.y', o.objective === 'binary' ? undefined : K);
      valW = val.sampleWeight && checkWeights(val.sampleWeight, val.X.rows, 'validation.sampleWeight');
    }
    const featureNames = checkFeatureNames(run.featureNames, X.cols);
    run.signal?.throwIfAborted();

    const { rows: n, cols } = X;
    const cut = fitBinCuts(X, o.maxBins, o.seed);
    const binStart = new Int32Array(cols + 1);
    for (let f = 0; f <= cols; f++) binStart[f] = cut.cutStart[f] + f;
    const bins = binColumns(X, cut);
    const sparse = buildSparseRows(bins, n, binStart);
    const data: BinnedData = { bins, n, binStart, cuts: cut.cuts, cutStart: cut.cutStart, sparse };
    const grower = new TreeGrower(data, o);
    const builder = new ForestBuilder();
    const base = baseMargins(o.objective, K, y, w);
    const margin = new Float64Array(n * K);
    for (let i = 0; i < margin.length; i++) margin[i] = base[i % K];
    const valMargin = val ? new Float64Array(val.X.rows * K) : null;
    if (valMargin) for (let i = 0; i < valMargin.length; i++) valMargin[i] = base[i % K];
    const gh = Array.from({ length: K }, () => new Float32Array(2 * n));
    const prob = new Float64Array(K);
    const rng = new Rng(o.seed);
    const idx = new Uint32Array(n);
    const sampled = new Uint32Array(n);
    const inSample = new Uint8Array(n);
    const allFeatures = Int32Array.from({ length: cols }, (_, i) => i);
    const features = new Int32Array(cols);
    const nFeat = Math.max(1, Math.round(cols * o.colsampleByTree));
    const history: number[] = [];
    let bestLoss = Infinity;
    let bestRound = -1;
    let rounds = 0;

    for (let round = 0; round < o.nEstimators; round++) {
      run.signal?.throwIfAborted();
      if (K === 1) binaryGradients(margin, y, w, gh[0]);
      else softmaxGradients(margin, K, y, w, gh, prob);
      let m = n;
      if (o.subsample < 1) {
        m = 0;
        for (let r = 0; r < n; r++) {
          const take = rng.next() < o.subsample;
          inSample[r] = take ? 1 : 0;
          if (take) sampled[m++] = r;
        }
      } else if (round === 0) {
        for (let r = 0; r < n; r++) sampled[r] = r;
      }
      for (let k = 0; k < K; k++) {
        if (nFeat < cols) {
          for (let i = cols - 1; i > 0; i--) {
            const j = rng.int(i + 1);
            const t = allFeatures[i];
            allFeatures[i] = allFeatures[j];
            allFeatures[j] = t;
          }
          features.set(allFeatures.subarray(0, nFeat));
          features.subarray(0, nFeat).sort();
        } else features.set(allFeatures);
        idx.set(sampled.subarray(0, m));
        const root = grower.grow(gh[k], idx, m, features, nFeat, builder);
        builder.roots.push(root);
        this.updateTrainMargins(
          grower,
          builder,
          root,
          idx,
          margin,
          K,
          k,
          data,
          o.subsample < 1 ? inSample : null,
        );
        if (valMargin && val) addTreeOutput(builder, root, val.X, valMargin, K, k);
      }
      rounds = round + 1;
      run.onProgress?.(rounds, o.nEstimators);
      if (valMargin && val) {
        const loss = meanLoss(o.objective, K, valMargin, val.y, valW);
        history.push(loss);
        if (loss < bestLoss) {
          bestLoss = loss;
          bestRound = round;
        }
        if (o.earlyStoppingRounds > 0 && round - bestRound >= o.earlyStoppingRounds) break;
      }
    }
    let kept = rounds;
    if (valMargin && o.earlyStoppingRounds > 0) kept = bestRound + 1;
    builder.truncate(kept * K);
    this.state = { forest: builder.build(), base, K, cols };
    this._bestIteration = kept - 1;
    this._evalHistory = history;
    this._featureNames = featureNames;
    return this;
  }

  /** Adds the new tree's outputs to the training margins: by leaf ranges, then out-of-sample rows by walking bins. */
  private updateTrainMargins(
    grower: TreeGrower,
    b: ForestBuilder,
    root: number,
    idx: Uint32Array,
    margin: Float64Array,
    K: number,
    k: number,
    data: BinnedData,
    inSample: Uint8Array | null,
  ): void {
    for (let l = 0; l < grower.numLeaves; l++) {
      const leaf = grower.leaves[l];
      const v = b.value[leaf.node];
      for (let i = leaf.start; i < leaf.end; i++) margin[idx[i] * K + k] += v;
    }
    if (!inSample) return;
    const { bins, n } = data;
    for (let r = 0; r < n; r++) {
      if (inSample[r]) continue;
      let node = root;
      while (b.feature[node] >= 0) {
        const bin = bins[b.feature[node] * n + r];
        const left = bin === 0 ? b.defaultLeft[node] === 1 : bin <= b.bin[node];
        node = left ? b.left[node] : b.right[node];
      }
      margin[r * K + k] += b.value[node];
    }
  }

  private margins(X: Matrix): Float64Array {
    const s = this.fitted();
    assertMatrix(X, 'X', s.cols);
    return forestMargins(s.forest, X, s.K, s.base);
  }

  /** Raw margins: `n` values (binary) or `n × K` row-major. */
  predictRaw(X: Matrix): Float32Array {
    return Float32Array.from(this.margins(X));
  }

  /** P(y = 1) per row (binary) or class probabilities `n × K` row-major. */
  predictProba(X: Matrix): Float32Array {
    return marginsToProba(this.margins(X), this.fitted().K);
  }

  /** Total split gain per feature. */
  featureImportance(): Float64Array {
    const s = this.fitted();
    return gainImportance(s.forest, s.cols);
  }

  /**
   * Per-row contributions by tree path attribution (Saabas), layout `n × K × (cols + 1)` with the bias
   * (base margin + root values) last; a row's entries for class k sum to its raw margin for k.
   */
  contributions(X: Matrix): Float32Array {
    const s = this.fitted();
    assertMatrix(X, 'X', s.cols);
    return forestContributions(s.forest, X, s.K, s.base);
  }

  toJSON(): GbdtJSON {
    const s = this.fitted();
    return {
      kind: GBDT_KIND,
      version: GBDT_VERSION,
      options: { ...this.options },
      numFeatures: s.cols,
      numGroups: s.K,
      featureNames: [...this._featureNames],
      baseMargin: Array.from(s.base),
      bestIteration: this._bestIteration,
      evalHistory: [...this._evalHistory],
      trees: encodeForest(s.forest),
    };
  }

  static fromJSON(json: unknown): GradientBoosting {
    const { json: j, options, forest } = parseGbdtJson(json);
    const model = new GradientBoosting(options);
    model.state = { forest, base: Float64Array.from(j.baseMargin), K: j.numGroups, cols: j.numFeatures };
    model._bestIteration = j.bestIteration;
    model._evalHistory = j.evalHistory.map(Number);
    model._featureNames = j.featureNames.map(String);
    return model;
  }
}
