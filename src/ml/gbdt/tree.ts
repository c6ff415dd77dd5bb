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

interface Leaf {
  start: number;
  end: number;
  depth: number;
  node: number;
  G: number;
  H: number;
  hist: Float64Array | null;
  split: SplitInfo;
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
 * Branch-free stable split of `idx[start..end)`: `lut[bin]` = 1 sends a row left (kept in `idx` from
 * `start`), 0 right (appended to `scratch`). Every row is written to both outputs and only the
 * chosen cursor advances. Returns the number of rows sent right.
 */
function splitRows(
  idx: Uint32Array,
  start: number,
  end: number,
  bins: Uint8Array,
  base: number,
  lut: Uint8Array,
  scratch: Uint32Array,
): number {
  let w = start;
  let rc = 0;
  for (let i = start; i < end; i++) {
    const r = idx[i];
    const l = lut[bins[base + r]];
    idx[w] = r;
    scratch[rc] = r;
    w += l;
    rc += 1 - l;
  }
  return rc;
}

function setLeaf(
  l: Leaf,
  start: number,
  end: number,
  depth: number,
  node: number,
  G: number,
  H: number,
): Leaf {
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
  private readonly scratch: Uint32Array;
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
    this.scratch = new Uint32Array(data.n);
    for (let i = 0; i < p.maxLeaves; i++) {
      this.leaves.push({ start: 0, end: 0, depth: 0, node: -1, G: 0, H: 0, hist: null, split: emptySplit() });
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

  /** Stable partition of a leaf's rows by its split; returns where the right part starts. */
  private partition(
    idx: Uint32Array,
    start: number,
    end: number,
    f: number,
    bin: number,
    defaultLeft: boolean,
  ): number {
    const lut = this.lut;
    lut.fill(0);
    lut.fill(1, 1, bin + 1);
    lut[0] = defaultLeft ? 1 : 0;
    const { bins, n } = this.data;
    const rc = splitRows(idx, start, end, bins, f * n, lut, this.scratch);
    const w = end - rc;
    idx.set(this.scratch.subarray(0, rc), w);
    return w;
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
    sumPairs(gh, idx, m, this.sums);
    const G = this.sums[0];
    const H = this.sums[1];
    const root = out.addLeaf(this.leafValue(G, H), H);
    const leaves = this.leaves;
    const l0 = setLeaf(leaves[0], 0, m, 0, root, G, H);
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
      const w = this.partition(idx, leaf.start, leaf.end, f, bin, defLeft);
      const GL = sp.gl;
      const HL = sp.hl;
      const GR = leaf.G - GL;
      const HR = leaf.H - HL;
      const ln = out.addLeaf(this.leafValue(GL, HL), HL);
      const rn = out.addLeaf(this.leafValue(GR, HR), HR);
      out.setSplit(leaf.node, f, bin, cuts[cutStart[f] + bin - 1], defLeft, sp.gain, ln, rn);
      const right = leaves[this.numLeaves++];
      const depth = leaf.depth + 1;
      setLeaf(right, w, leaf.end, depth, rn, GR, HR);
      const parentHist = leaf.hist;
      setLeaf(leaf, leaf.start, w, depth, ln, GL, HL);

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
        idx,
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
