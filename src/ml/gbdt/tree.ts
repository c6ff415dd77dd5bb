/**
 * Leaf-wise (best-first) growth of one regression tree on binned data from gradient pairs.
 * Each leaf owns a range of the row index array; a split partitions that range in place (stably,
 * so rows stay in ascending order), builds the histogram of the smaller child and derives the
 * larger child's by subtraction from the parent's.
 */
import { buildHistogram, emptySplit, findBestSplit, subtractHistogram, type SplitInfo } from './histogram.js';
import type { ForestBuilder } from './forest.js';

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

export class TreeGrower {
  private readonly pool: Float64Array[] = [];
  private readonly histSize: number;
  private readonly ghOrd: Float32Array;
  private readonly scratch: Uint32Array;
  /** The leaves of the last grown tree: `leaves[0 .. numLeaves)`. */
  readonly leaves: Leaf[] = [];
  numLeaves = 0;

  constructor(
    private readonly data: BinnedData,
    private readonly p: GrowParams,
  ) {
    this.histSize = 2 * data.binStart[data.binStart.length - 1];
    this.ghOrd = new Float32Array(2 * data.n);
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
    const { bins, n, binStart, cuts, cutStart } = this.data;
    const { maxLeaves, maxDepth, minChildWeight, lambda, gamma } = this.p;
    let G = 0;
    let H = 0;
    for (let i = 0; i < m; i++) {
      G += gh[2 * idx[i]];
      H += gh[2 * idx[i] + 1];
    }
    const root = out.addLeaf(this.leafValue(G, H), H);
    const leaves = this.leaves;
    const l0 = leaves[0];
    Object.assign(l0, { start: 0, end: m, depth: 0, node: root, G, H, hist: null });
    l0.split.feature = -1;
    this.numLeaves = 1;
    if (H >= 2 * minChildWeight && m >= 2) {
      l0.hist = this.acquire();
      buildHistogram(bins, n, binStart, features, nFeat, idx, 0, m, gh, this.ghOrd, l0.hist);
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
      // Stable partition of the leaf's rows.
      const base = f * n;
      const bin = sp.bin;
      const defLeft = sp.defaultLeft;
      const scratch = this.scratch;
      let w = leaf.start;
      let rc = 0;
      for (let i = leaf.start; i < leaf.end; i++) {
        const r = idx[i];
        const b = bins[base + r];
        if (b === 0 ? defLeft : b <= bin) idx[w++] = r;
        else scratch[rc++] = r;
      }
      idx.set(scratch.subarray(0, rc), w);
      const GL = sp.gl;
      const HL = sp.hl;
      const GR = leaf.G - GL;
      const HR = leaf.H - HL;
      const ln = out.addLeaf(this.leafValue(GL, HL), HL);
      const rn = out.addLeaf(this.leafValue(GR, HR), HR);
      out.setSplit(leaf.node, f, bin, cuts[cutStart[f] + bin - 1], defLeft, sp.gain, ln, rn);
      const right = leaves[this.numLeaves++];
      const depth = leaf.depth + 1;
      Object.assign(right, { start: w, end: leaf.end, depth, node: rn, G: GR, H: HR, hist: null });
      right.split.feature = -1;
      const parentHist = leaf.hist;
      Object.assign(leaf, { end: w, depth, node: ln, G: GL, H: HL, hist: null });
      leaf.split.feature = -1;

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
        bins,
        n,
        binStart,
        features,
        nFeat,
        idx,
        small.start,
        small.end,
        gh,
        this.ghOrd,
        smallHist,
      );
      subtractHistogram(parentHist, smallHist, binStart, features, nFeat);
      small.hist = smallHist;
      big.hist = parentHist;
      for (const c of [leaf, right]) {
        if (c === leaf ? okL : okR) {
          findBestSplit(c.hist!, binStart, features, nFeat, c.G, c.H, lambda, minChildWeight, gamma, c.split);
        }
        if (c.split.feature < 0) {
          this.release(c.hist);
          c.hist = null;
        }
      }
    }
    for (let i = 0; i < this.numLeaves; i++) {
      this.release(leaves[i].hist);
      leaves[i].hist = null;
    }
    return root;
  }
}
