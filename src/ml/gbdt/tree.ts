/**
 * Leaf-wise (best-first) growth of one regression tree on binned data from gradient pairs.
 * Each leaf owns a range of the row index array; a split partitions that range in place (stably,
 * so rows stay in ascending order), builds the histogram of the smaller child and derives the
 * larger child's by subtraction from the parent's.
 */
import { buildHistogram, emptySplit, findBestSplit, subtractHistogram, type SplitInfo } from './histogram.js';
import type { ForestBuilder } from './forest.js';
import type { SparseRows } from './sparse-rows.js';

export interface GrowParams {
  maxLeaves: number;
  maxDepth: number;
  minChildWeight: number;
  lambda: number;
  gamma: number;
  learningRate: number;
}

export interface BinnedData {
  /** Column-major bins, `n` rows. */
  readonly bins: Uint8Array;
  readonly n: number;
  /** Feature f's bins (missing bin 0 first) are histogram slots `binStart[f] .. binStart[f + 1]`. */
  readonly binStart: Int32Array;
  readonly cuts: Float32Array;
  readonly cutStart: Int32Array;
  /** Row-wise index of the non-most-frequent bins, for histograms. */
  readonly sparse: SparseRows;
}

export interface Leaf {
  start: number;
  end: number;
  depth: number;
  node: number;
  G: number;
  H: number;
  hist: Float64Array | null;
  split: SplitInfo;
  /** Which row buffer holds the leaf's rows (0: the caller's, 1: the grower's own). */
  buf: number;
}

// Hot loops live in small functions of their own: V8 then optimises each as a whole instead of
// entering a long-running function through on-stack replacement, whose code deoptimises on the
// first statement after the loop that never ran before.

/** Gradient and hessian sums of rows `idx[0..m)` into `out[0]`, `out[1]`. */
function sumPairs(gh: Float32Array, idx: Uint32Array, m: number, out: Float64Array): void {
  let G = 0;
  let H = 0;
  for (let i = 0; i < m; i++) {
    const r = idx[i] << 1;
    G += gh[r];
    H += gh[r + 1];
  }
  out[0] = G;
  out[1] = H;
}

/**
 * Branch-free split of `src[start..end)` into `dst[start..end)`: rows with `lut[bin]` = 1 go left,
 * filling `dst` upwards from `start` in their order; the others fill it downwards from `end − 1`
 * (so the right part holds them in reverse order, still sorted, which keeps memory access
 * sequential). Each row is written at both cursors and only the chosen one moves: a slot between
 * the cursors is overwritten until it is final. Returns where the right part starts.
 */
function splitInto(
  src: Uint32Array,
  dst: Uint32Array,
  start: number,
  end: number,
  bins: Uint8Array,
  base: number,
  lut: Uint8Array,
): number {
  let lo = start;
  let hi = end - 1;
  for (let i = start; i < end; i++) {
    const r = src[i];
    const l = lut[bins[base + r]];
    dst[lo] = r;
    dst[hi] = r;
    lo += l;
    hi -= 1 - l;
  }
  return lo;
}

function setLeaf(
  l: Leaf,
  start: number,
  end: number,
  depth: number,
  node: number,
  G: number,
  H: number,
  buf: number,
): Leaf {
  l.buf = buf;
  l.start = start;
  l.end = end;
  l.depth = depth;
  l.node = node;
  l.G = G;
  l.H = H;
  l.hist = null;
  l.split.feature = -1;
  return l;
}

export class TreeGrower {
  private readonly pool: Float64Array[] = [];
  private readonly histSize: number;
  /** The second row buffer: a split moves a leaf's rows from its buffer to the other one. */
  private readonly alt: Uint32Array;
  private rows0: Uint32Array = new Uint32Array(0);
  private readonly lut = new Uint8Array(256);
  private readonly sums = new Float64Array(2);
  /** The leaves of the last grown tree: `leaves[0 .. numLeaves)`. */
  readonly leaves: Leaf[] = [];
  numLeaves = 0;

  constructor(
    private readonly data: BinnedData,
    private readonly p: GrowParams,
  ) {
    this.histSize = 2 * data.binStart[data.binStart.length - 1];
    this.alt = new Uint32Array(data.n);
    for (let i = 0; i < p.maxLeaves; i++) {
      this.leaves.push({
        start: 0,
        end: 0,
        depth: 0,
        node: -1,
        G: 0,
        H: 0,
        hist: null,
        split: emptySplit(),
        buf: 0,
      });
    }
  }

  private acquire(): Float64Array {
    const h = this.pool.pop();
    if (!h) return new Float64Array(this.histSize);
    h.fill(0);
    return h;
  }

  private release(h: Float64Array | null): void {
    if (h) this.pool.push(h);
  }

  /** Finds the best split of a leaf whose histogram is built (if `ok`), else frees the histogram. */
  private evaluate(c: Leaf, ok: boolean, features: Int32Array, nFeat: number): void {
    const { lambda, minChildWeight, gamma } = this.p;
    if (ok && c.hist) {
      findBestSplit(
        c.hist,
        this.data.binStart,
        features,
        nFeat,
        c.G,
        c.H,
        lambda,
        minChildWeight,
        gamma,
        c.split,
      );
    }
    if (c.split.feature < 0) {
      this.release(c.hist);
      c.hist = null;
    }
  }

  /** The buffer holding leaf `l`'s rows (`rows[l.start .. l.end)`). */
  leafRows(l: Leaf): Uint32Array {
    return l.buf === 0 ? this.rows0 : this.alt;
  }

  /** Splits a leaf's rows by its split into the other buffer; returns where the right part starts. */
  private partition(leaf: Leaf, f: number, bin: number, defaultLeft: boolean): number {
    const lut = this.lut;
    lut.fill(0);
    lut.fill(1, 1, bin + 1);
    lut[0] = defaultLeft ? 1 : 0;
    const { bins, n } = this.data;
    const src = this.leafRows(leaf);
    const dst = leaf.buf === 0 ? this.alt : this.rows0;
    return splitInto(src, dst, leaf.start, leaf.end, bins, f * n, lut);
  }

  private leafValue(G: number, H: number): number {
    return (-G / (H + this.p.lambda)) * this.p.learningRate;
  }

  /**
   * Grows a tree over rows `idx[0 .. m)` with gradient pairs `gh` (interleaved, per row), on the
   * `nFeat` features in `features`; appends it to `out` and returns its root id. `idx` is reordered.
   */
  grow(
    gh: Float32Array,
    idx: Uint32Array,
    m: number,
    features: Int32Array,
    nFeat: number,
    out: ForestBuilder,
  ): number {
    const { binStart, cuts, cutStart, sparse } = this.data;
    const { maxLeaves, maxDepth, minChildWeight, lambda, gamma } = this.p;
    this.rows0 = idx;
    sumPairs(gh, idx, m, this.sums);
    const G = this.sums[0];
    const H = this.sums[1];
    const root = out.addLeaf(this.leafValue(G, H), H);
    const leaves = this.leaves;
    const l0 = setLeaf(leaves[0], 0, m, 0, root, G, H, 0);
    this.numLeaves = 1;
    if (H >= 2 * minChildWeight && m >= 2) {
      l0.hist = this.acquire();
      buildHistogram(sparse, binStart, features, nFeat, idx, 0, m, gh, G, H, l0.hist);
      findBestSplit(l0.hist, binStart, features, nFeat, G, H, lambda, minChildWeight, gamma, l0.split);
    }
    while (this.numLeaves < maxLeaves) {
      let s = -1;
      let bestGain = 0;
      for (let i = 0; i < this.numLeaves; i++) {
        const sp = leaves[i].split;
        if (sp.feature >= 0 && sp.gain > bestGain) {
          bestGain = sp.gain;
          s = i;
        }
      }
      if (s < 0) break;
      const leaf = leaves[s];
      const sp = leaf.split;
      const f = sp.feature;
      const bin = sp.bin;
      const defLeft = sp.defaultLeft;
      const w = this.partition(leaf, f, bin, defLeft);
      const buf = 1 - leaf.buf;
      const GL = sp.gl;
      const HL = sp.hl;
      const GR = leaf.G - GL;
      const HR = leaf.H - HL;
      const ln = out.addLeaf(this.leafValue(GL, HL), HL);
      const rn = out.addLeaf(this.leafValue(GR, HR), HR);
      // Splitting after the last value bin separates missing from present values: every value
      // goes left, including values above the largest cut seen in training (threshold +∞).
      const last = cutStart[f] + bin - 1 === cutStart[f + 1] - 1;
      const threshold = last ? Infinity : cuts[cutStart[f] + bin - 1];
      out.setSplit(leaf.node, f, bin, threshold, defLeft, sp.gain, ln, rn);
      const right = leaves[this.numLeaves++];
      const depth = leaf.depth + 1;
      setLeaf(right, w, leaf.end, depth, rn, GR, HR, buf);
      const parentHist = leaf.hist;
      setLeaf(leaf, leaf.start, w, depth, ln, GL, HL, buf);

      const canGrow = this.numLeaves < maxLeaves && (maxDepth === 0 || depth < maxDepth);
      const okL = canGrow && HL >= 2 * minChildWeight && leaf.end - leaf.start >= 2;
      const okR = canGrow && HR >= 2 * minChildWeight && right.end - right.start >= 2;
      if (!parentHist || (!okL && !okR)) {
        this.release(parentHist);
        continue;
      }
      const leftSmaller = leaf.end - leaf.start <= right.end - right.start;
      const small = leftSmaller ? leaf : right;
      const big = leftSmaller ? right : leaf;
      const smallHist = this.acquire();
      buildHistogram(
        sparse,
        binStart,
        features,
        nFeat,
        this.leafRows(small),
        small.start,
        small.end,
        gh,
        small.G,
        small.H,
        smallHist,
      );
      subtractHistogram(parentHist, smallHist, binStart, features, nFeat);
      small.hist = smallHist;
      big.hist = parentHist;
      this.evaluate(leaf, okL, features, nFeat);
      this.evaluate(right, okR, features, nFeat);
    }
    for (let i = 0; i < this.numLeaves; i++) {
      this.release(leaves[i].hist);
      leaves[i].hist = null;
    }
    return root;
  }
}
