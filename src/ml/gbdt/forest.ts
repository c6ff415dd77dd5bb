/**
 * The trees of a boosted model, all in flat typed arrays (node ids are global across trees), and the
 * walks over them: raw margins, Saabas path contributions and gain importance.
 * Tree t predicts class `t % K` (K = 1 for binary). A node with `feature < 0` is a leaf.
 */
import type { Matrix } from '../matrix.js';

export interface Forest {
  /** Root node of each tree. */
  readonly roots: Int32Array;
  readonly feature: Int32Array;
  /** Rows with `x ≤ threshold` go left; missing values follow `defaultLeft`. */
  readonly threshold: Float32Array;
  readonly defaultLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Node output already scaled by the learning rate (for inner nodes: what it would output as a leaf). */
  readonly value: Float32Array;
  /** Hessian sum of the training rows reaching the node. */
  readonly cover: Float32Array;
  /** Loss reduction of the node's split (0 for leaves). */
  readonly gain: Float32Array;
}

/** Grows the node arrays tree by tree during `fit`. */
export class ForestBuilder {
  readonly roots: number[] = [];
  readonly feature: number[] = [];
  readonly threshold: number[] = [];
  /** Split bin of each node (training only: walks binned rows). */
  readonly bin: number[] = [];
  readonly defaultLeft: number[] = [];
  readonly left: number[] = [];
  readonly right: number[] = [];
  readonly value: number[] = [];
  readonly cover: number[] = [];
  readonly gain: number[] = [];

  /** Adds a leaf and returns its id; `value` is rounded to float32 as stored in the model. */
  addLeaf(value: number, cover: number): number {
    const id = this.feature.length;
    this.feature.push(-1);
    this.threshold.push(0);
    this.bin.push(0);
    this.defaultLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(Math.fround(value));
    this.cover.push(cover);
    this.gain.push(0);
    return id;
  }

  setSplit(
    id: number,
    f: number,
    bin: number,
    threshold: number,
    defaultLeft: boolean,
    gain: number,
    l: number,
    r: number,
  ): void {
    this.feature[id] = f;
    this.bin[id] = bin;
    this.threshold[id] = threshold;
    this.defaultLeft[id] = defaultLeft ? 1 : 0;
    this.gain[id] = gain;
    this.left[id] = l;
    this.right[id] = r;
  }

  /** Keeps the first `nTrees` trees (nodes are appended tree by tree, so a prefix). */
  truncate(nTrees: number): void {
    if (nTrees >= this.roots.length) return;
    const nodes = this.roots[nTrees];
    this.roots.length = nTrees;
    for (const a of [
      this.feature,
      this.threshold,
      this.bin,
      this.defaultLeft,
      this.left,
      this.right,
      this.value,
      this.cover,
      this.gain,
    ]) {
      a.length = nodes;
    }
  }

  build(): Forest {
    return {
      roots: Int32Array.from(this.roots),
      feature: Int32Array.from(this.feature),
      threshold: Float32Array.from(this.threshold),
      defaultLeft: Uint8Array.from(this.defaultLeft),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float32Array.from(this.value),
      cover: Float32Array.from(this.cover),
      gain: Float32Array.from(this.gain),
    };
  }
}

/** Adds tree `root`'s output for every row of `X` to `out[r * K + k]`. */
export function addTreeOutput(
  f: Forest | ForestBuilder,
  root: number,
  X: Matrix,
  out: Float64Array,
  K: number,
  k: number,
): void {
  const { data, rows, cols } = X;
  const { feature, threshold, defaultLeft, left, right, value } = f;
  for (let r = 0; r < rows; r++) {
    let node = root;
    const base = r * cols;
    while (feature[node] >= 0) {
      const x = data[base + feature[node]];
      node =
        x !== x
          ? defaultLeft[node]
            ? left[node]
            : right[node]
          : x <= threshold[node]
            ? left[node]
            : right[node];
    }
    out[r * K + k] += value[node];
  }
}

/** Raw margins `n × K` of all trees plus the base margins. */
export function forestMargins(f: Forest, X: Matrix, K: number, baseMargin: ArrayLike<number>): Float64Array {
  const out = new Float64Array(X.rows * K);
  for (let r = 0; r < X.rows; r++) for (let k = 0; k < K; k++) out[r * K + k] = baseMargin[k];
  for (let t = 0; t < f.roots.length; t++) addTreeOutput(f, f.roots[t], X, out, K, t % K);
  return out;
}

/**
 * Saabas path attribution: along each row's path, the change of node value at every split is
 * credited to the split's feature; the roots' values plus the base margin are the bias (last column).
 * Output layout `n × K × (cols + 1)`; each row's entries sum to its raw margin.
 */
export function forestContributions(
  f: Forest,
  X: Matrix,
  K: number,
  baseMargin: ArrayLike<number>,
): Float32Array {
  const { data, rows, cols } = X;
  const width = cols + 1;
  const acc = new Float64Array(width);
  const out = new Float32Array(rows * K * width);
  const { feature, threshold, defaultLeft, left, right, value, roots } = f;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let k = 0; k < K; k++) {
      acc.fill(0);
      acc[cols] = baseMargin[k];
      for (let t = k; t < roots.length; t += K) {
        let node = roots[t];
        acc[cols] += value[node];
        while (feature[node] >= 0) {
          const x = data[base + feature[node]];
          const next =
            x !== x
              ? defaultLeft[node]
                ? left[node]
                : right[node]
              : x <= threshold[node]
                ? left[node]
                : right[node];
          acc[feature[node]] += value[next] - value[node];
          node = next;
        }
      }
      out.set(acc, (r * K + k) * width);
    }
  }
  return out;
}

/** Total split gain per feature. */
export function gainImportance(f: Forest, cols: number): Float64Array {
  const out = new Float64Array(cols);
  for (let i = 0; i < f.feature.length; i++) if (f.feature[i] >= 0) out[f.feature[i]] += f.gain[i];
  return out;
}
