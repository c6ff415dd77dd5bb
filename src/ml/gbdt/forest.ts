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

/** Grows the node arrays tree by tree during `fit` (typed arrays with spare capacity). */
export class ForestBuilder {
  readonly roots: number[] = [];
  size = 0;
  feature = new Int32Array(1024);
  threshold = new Float32Array(1024);
  /** Split bin of each node (training only: walks binned rows). */
  bin = new Uint8Array(1024);
  defaultLeft = new Uint8Array(1024);
  left = new Int32Array(1024);
  right = new Int32Array(1024);
  value = new Float32Array(1024);
  cover = new Float32Array(1024);
  gain = new Float32Array(1024);

  private grow(): void {
    const cap = this.feature.length * 2;
    const more = <T extends Int32Array | Float32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.feature = more(this.feature, (n) => new Int32Array(n));
    this.threshold = more(this.threshold, (n) => new Float32Array(n));
    this.bin = more(this.bin, (n) => new Uint8Array(n));
    this.defaultLeft = more(this.defaultLeft, (n) => new Uint8Array(n));
    this.left = more(this.left, (n) => new Int32Array(n));
    this.right = more(this.right, (n) => new Int32Array(n));
    this.value = more(this.value, (n) => new Float32Array(n));
    this.cover = more(this.cover, (n) => new Float32Array(n));
    this.gain = more(this.gain, (n) => new Float32Array(n));
  }

  /** Adds a leaf and returns its id; `value` is stored as float32, as in the model. */
  addLeaf(value: number, cover: number): number {
    if (this.size === this.feature.length) this.grow();
    const id = this.size++;
    this.feature[id] = -1;
    this.threshold[id] = 0;
    this.bin[id] = 0;
    this.defaultLeft[id] = 0;
    this.left[id] = -1;
    this.right[id] = -1;
    this.value[id] = value;
    this.cover[id] = cover;
    this.gain[id] = 0;
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
    this.size = this.roots[nTrees];
    this.roots.length = nTrees;
  }

  build(): Forest {
    return {
      roots: Int32Array.from(this.roots),
      feature: this.feature.slice(0, this.size),
      threshold: this.threshold.slice(0, this.size),
      defaultLeft: this.defaultLeft.slice(0, this.size),
      left: this.left.slice(0, this.size),
      right: this.right.slice(0, this.size),
      value: this.value.slice(0, this.size),
      cover: this.cover.slice(0, this.size),
      gain: this.gain.slice(0, this.size),
    };
  }
}

/** Adds tree `root`'s output for every row of `X` to `out[r * K + k]`. */
export function addTreeOutput(
  f: Forest,
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

/**
 * As `addTreeOutput` on binned rows (row-major, `cols` per row, bin 0 = missing): the same routes,
 * since bin ≤ split bin ⇔ value ≤ threshold. A quarter of the bytes of the float rows.
 */
export function addTreeOutputBinned(
  f: ForestBuilder,
  root: number,
  bins: Uint8Array,
  cols: number,
  out: Float64Array,
  K: number,
  k: number,
): void {
  const { feature, bin, defaultLeft, left, right, value } = f;
  const rows = bins.length / cols;
  for (let r = 0; r < rows; r++) {
    let node = root;
    const base = r * cols;
    while (feature[node] >= 0) {
      const b = bins[base + feature[node]];
      node = (b === 0 ? defaultLeft[node] === 1 : b <= bin[node]) ? left[node] : right[node];
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
