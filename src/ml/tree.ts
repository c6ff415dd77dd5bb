/**
 * CART classification tree (Breiman et al. 1984) on a Float32 `Matrix`. Each feature is cut
 * into at most `maxBins` bins — one per distinct value when there are few (exact CART), at
 * quantiles otherwise — so a node's best split comes from per-bin class histograms, and a
 * child's histograms are the parent's minus its sibling's (the smaller child is counted).
 * Thresholds are midpoints between neighbouring values; a row goes left when `x ≤ threshold`
 * (NaN goes right).
 */
import { AppError } from '../errors.js';
import { assertMatrix, type Matrix } from './matrix.js';
import { binFeatures } from './tree-bins.js';

export type SplitCriterion = 'gini' | 'entropy';

export interface DecisionTreeOptions {
  criterion?: SplitCriterion;
  maxDepth?: number;
  minSamplesSplit?: number;
  minSamplesLeaf?: number;
  minImpurityDecrease?: number;
  maxBins?: number;
}

export const DEFAULT_TREE_OPTIONS: Required<DecisionTreeOptions> = {
  criterion: 'gini',
  maxDepth: 8,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  minImpurityDecrease: 0,
  maxBins: 256,
};

/** Flat node arrays; leaves have feature −1. */
export interface TreeNodes {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  /** Class counts of the training rows reaching each node (node × classes). */
  counts: number[];
}

export interface TreeJSON {
  kind: 'decision-tree';
  version: 1;
  options: Required<DecisionTreeOptions>;
  nClasses: number;
  nFeatures: number;
  featureNames: string[];
  nodes: TreeNodes;
}

function impurity(
  counts: Float64Array | number[],
  offset: number,
  C: number,
  n: number,
  criterion: SplitCriterion,
): number {
  if (n === 0) return 0;
  let s = 0;
  for (let c = 0; c < C; c++) {
    const p = counts[offset + c] / n;
    if (criterion === 'gini') s += p * p;
    else if (p > 0) s -= p * Math.log2(p);
  }
  return criterion === 'gini' ? 1 - s : s;
}

export class DecisionTreeClassifier {
  readonly options: DecisionTreeOptions;
  private model: Omit<TreeJSON, 'kind' | 'version'> | null = null;

  constructor(options: DecisionTreeOptions = {}) {
    this.options = options;
  }

  fit(X: Matrix, y: ArrayLike<number>, run: { featureNames?: readonly string[] } = {}): this {
    const o = { ...DEFAULT_TREE_OPTIONS, ...this.options };
    assertMatrix(X);
    if (y.length !== X.rows)
      throw new AppError('ARGUMENT_INVALID', `y: ${y.length} labels for ${X.rows} rows`);
    if (X.rows === 0) throw new AppError('ARGUMENT_INVALID', 'X: no rows to fit');
    if (!Number.isInteger(o.maxDepth) || o.maxDepth < 0)
      throw new AppError('ARGUMENT_INVALID', 'maxDepth: must be an integer ≥ 0');
    if (!Number.isInteger(o.minSamplesLeaf) || o.minSamplesLeaf < 1)
      throw new AppError('ARGUMENT_INVALID', 'minSamplesLeaf: must be an integer ≥ 1');
    if (!Number.isInteger(o.maxBins) || o.maxBins < 2 || o.maxBins > 256)
      throw new AppError('ARGUMENT_INVALID', 'maxBins: must be an integer in 2..256');
    let C = 0;
    for (let i = 0; i < y.length; i++) {
      if (!Number.isInteger(y[i]) || y[i] < 0)
        throw new AppError('ARGUMENT_INVALID', `y[${i}] = ${y[i]}: must be a class index ≥ 0`);
      C = Math.max(C, y[i] + 1);
    }
    for (let i = 0; i < X.data.length; i++)
      if (Number.isNaN(X.data[i]))
        throw new AppError(
          'ARGUMENT_INVALID',
          `X: row ${Math.floor(i / X.cols)}, column ${i % X.cols} is missing; impute first`,
        );
    const featureNames = run.featureNames
      ? [...run.featureNames]
      : Array.from({ length: X.cols }, (_, j) => `x${j}`);
    if (featureNames.length !== X.cols)
      throw new AppError(
        'ARGUMENT_INVALID',
        `featureNames: ${featureNames.length} names for ${X.cols} columns`,
      );

    const n = X.rows;
    const F = X.cols;
    const { codes, thresholds } = binFeatures(X, o.maxBins);
    const B = o.maxBins;
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    const nodes: TreeNodes = { feature: [], threshold: [], left: [], right: [], counts: [] };
    const yy = Int32Array.from(y);

    const histogram = (lo: number, hi: number): Float64Array => {
      const h = new Float64Array(F * B * C);
      for (let f = 0; f < F; f++) {
        const col = codes.subarray(f * n, (f + 1) * n);
        const base = f * B * C;
        for (let t = lo; t < hi; t++) {
          const i = idx[t];
          h[base + col[i] * C + yy[i]]++;
        }
      }
      return h;
    };

    const total = new Float64Array(C);
    const leftC = new Float64Array(C);
    const build = (lo: number, hi: number, depth: number, hist: Float64Array): number => {
      const id = nodes.feature.length;
      const m = hi - lo;
      total.fill(0);
      for (let t = lo; t < hi; t++) total[yy[idx[t]]]++;
      nodes.feature.push(-1);
      nodes.threshold.push(0);
      nodes.left.push(-1);
      nodes.right.push(-1);
      for (let c = 0; c < C; c++) nodes.counts.push(total[c]);
      const parentImp = impurity(total, 0, C, m, o.criterion);
      if (depth >= o.maxDepth || m < o.minSamplesSplit || m < 2 * o.minSamplesLeaf || parentImp === 0)
        return id;
      let bestGain = -Infinity;
      let bestF = -1;
      let bestBin = -1;
      for (let f = 0; f < F; f++) {
        const nb = thresholds[f].length; // bins 0..nb; split after bin b for b < nb
        const base = f * B * C;
        leftC.fill(0);
        let nl = 0;
        for (let b = 0; b < nb; b++) {
          for (let c = 0; c < C; c++) {
            const v = hist[base + b * C + c];
            leftC[c] += v;
            nl += v;
          }
          const nr = m - nl;
          if (nl < o.minSamplesLeaf) continue;
          if (nr < o.minSamplesLeaf) break;
          let gain: number;
          if (o.criterion === 'gini') {
            let sl = 0;
            let sr = 0;
            for (let c = 0; c < C; c++) {
              sl += leftC[c] * leftC[c];
              const r = total[c] - leftC[c];
              sr += r * r;
            }
            gain = sl / nl + sr / nr; // maximising this minimises the weighted child Gini
          } else {
            let e = 0;
            for (let c = 0; c < C; c++) {
              const l = leftC[c];
              const r = total[c] - l;
              if (l > 0) e += l * Math.log2(l / nl);
              if (r > 0) e += r * Math.log2(r / nr);
            }
            gain = e;
          }
          if (gain > bestGain + 1e-12) {
            bestGain = gain;
            bestF = f;
            bestBin = b;
          }
        }
      }
      if (bestF < 0) return id;
      const childImp = o.criterion === 'gini' ? 1 - bestGain / m : -bestGain / m;
      if (parentImp - childImp < Math.max(o.minImpurityDecrease, 1e-12)) return id;
      // Partition idx[lo, hi) in place: left = code ≤ bestBin.
      const col = codes.subarray(bestF * n, (bestF + 1) * n);
      let a = lo;
      let b = hi - 1;
      while (a <= b) {
        if (col[idx[a]] <= bestBin) a++;
        else {
          const t = idx[a];
          idx[a] = idx[b];
          idx[b] = t;
          b--;
        }
      }
      const mid = a;
      const leftSmaller = mid - lo <= hi - mid;
      const small = leftSmaller ? histogram(lo, mid) : histogram(mid, hi);
      const large = hist; // reuse the parent's buffer: parent − small
      for (let j = 0; j < large.length; j++) large[j] -= small[j];
      nodes.feature[id] = bestF;
      nodes.threshold[id] = thresholds[bestF][bestBin];
      const l = build(lo, mid, depth + 1, leftSmaller ? small : large);
      const r = build(mid, hi, depth + 1, leftSmaller ? large : small);
      nodes.left[id] = l;
      nodes.right[id] = r;
      return id;
    };
    build(0, n, 0, histogram(0, n));
    this.model = { options: o, nClasses: C, nFeatures: F, featureNames, nodes };
    return this;
  }

  private m() {
    if (!this.model) throw new AppError('NOT_FITTED', 'DecisionTreeClassifier: call fit() first');
    return this.model;
  }

  get nodes(): TreeNodes {
    return this.m().nodes;
  }
  get nClasses(): number {
    return this.m().nClasses;
  }
  get featureNames(): string[] {
    return this.m().featureNames;
  }

  /** The leaf reached by one feature row. */
  leaf(row: ArrayLike<number>, offset = 0): number {
    const { feature, threshold, left, right } = this.m().nodes;
    let node = 0;
    while (feature[node] >= 0)
      node = row[offset + feature[node]] <= threshold[node] ? left[node] : right[node];
    return node;
  }

  /** Node ids from the root to the leaf. */
  decisionPath(row: ArrayLike<number>): number[] {
    const { feature, threshold, left, right } = this.m().nodes;
    const path = [0];
    let node = 0;
    while (feature[node] >= 0) {
      node = row[feature[node]] <= threshold[node] ? left[node] : right[node];
      path.push(node);
    }
    return path;
  }

  /** Majority class of a node (lowest index on ties). */
  nodeClass(node: number): number {
    const { counts } = this.m().nodes;
    const C = this.m().nClasses;
    let best = 0;
    for (let c = 1; c < C; c++) if (counts[node * C + c] > counts[node * C + best]) best = c;
    return best;
  }

  predict(X: Matrix): Int32Array {
    const model = this.m();
    assertMatrix(X, 'X', model.nFeatures);
    const out = new Int32Array(X.rows);
    for (let i = 0; i < X.rows; i++) out[i] = this.nodeClass(this.leaf(X.data, i * X.cols));
    return out;
  }

  predictProba(X: Matrix): Float64Array {
    const model = this.m();
    assertMatrix(X, 'X', model.nFeatures);
    const C = model.nClasses;
    const out = new Float64Array(X.rows * C);
    for (let i = 0; i < X.rows; i++) {
      const leaf = this.leaf(X.data, i * X.cols);
      let n = 0;
      for (let c = 0; c < C; c++) n += model.nodes.counts[leaf * C + c];
      for (let c = 0; c < C; c++) out[i * C + c] = model.nodes.counts[leaf * C + c] / n;
    }
    return out;
  }

  toJSON(): TreeJSON {
    return { kind: 'decision-tree', version: 1, ...this.m() };
  }

  static fromJSON(json: TreeJSON): DecisionTreeClassifier {
    if (json?.kind !== 'decision-tree' || json.version !== 1)
      throw new AppError(
        'ARGUMENT_INVALID',
        `not a version-1 decision tree (kind ${String(json?.kind)}, version ${String(json?.version)})`,
      );
    const t = new DecisionTreeClassifier(json.options);
    const { nClasses, nFeatures, featureNames, nodes, options } = json;
    t.model = { options, nClasses, nFeatures, featureNames, nodes };
    return t;
  }
}
