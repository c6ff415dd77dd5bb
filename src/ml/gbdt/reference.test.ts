/**
 * The histogram trees against a naive exact-greedy reference: with every distinct value in a bin of
 * its own, one depth-2 tree must pick the same splits and the same leaf values as an implementation
 * that recomputes every candidate split's sums from scratch.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../random.js';
import { GradientBoosting } from './model.js';

interface RefNode {
  value: number;
  split?: { feature: number; threshold: number; left: RefNode; right: RefNode };
}

function referenceTree(
  X: number[][],
  g: number[],
  h: number[],
  rows: number[],
  depth: number,
  lambda: number,
): RefNode {
  const sum = (rs: number[], a: number[]) => rs.reduce((s, r) => s + a[r], 0);
  const G = sum(rows, g);
  const H = sum(rows, h);
  const node: RefNode = { value: -G / (H + lambda) };
  if (depth === 0) return node;
  let best = { gain: 1e-6, feature: -1, threshold: 0 };
  for (let f = 0; f < X[0].length; f++) {
    const values = [...new Set(rows.map((r) => X[r][f]))].sort((a, b) => a - b);
    for (const t of values.slice(0, -1)) {
      const left = rows.filter((r) => X[r][f] <= t);
      const right = rows.filter((r) => X[r][f] > t);
      const gl = sum(left, g);
      const hl = sum(left, h);
      const gr = sum(right, g);
      const hr = sum(right, h);
      if (hl < 1 || hr < 1) continue; // minChildWeight = 1
      const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - (G * G) / (H + lambda);
      if (gain > best.gain) best = { gain, feature: f, threshold: t };
    }
  }
  if (best.feature < 0) return node;
  const { feature, threshold } = best;
  const lr = rows.filter((r) => X[r][feature] <= threshold);
  const rr = rows.filter((r) => X[r][feature] > threshold);
  node.split = {
    feature,
    threshold,
    left: referenceTree(X, g, h, lr, depth - 1, lambda),
    right: referenceTree(X, g, h, rr, depth - 1, lambda),
  };
  return node;
}

function refPredict(node: RefNode, x: number[]): number {
  let n = node;
  while (n.split) n = x[n.split.feature] <= n.split.threshold ? n.split.left : n.split.right;
  return n.value;
}

function refSplits(node: RefNode, out: string[] = []): string[] {
  if (node.split) {
    out.push(`${node.split.feature}@${node.split.threshold}`);
    refSplits(node.split.left, out);
    refSplits(node.split.right, out);
  }
  return out;
}

describe('GBDT tree against an exact-split reference', () => {
  for (const seed of [1, 2, 3]) {
    it(`builds the same depth-2 tree (seed ${seed})`, () => {
      const rng = new Rng(seed);
      const n = 80;
      const cols = 3;
      const X: number[][] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) {
        const row = Array.from({ length: cols }, () => Math.fround(Math.round(rng.next() * 40) / 4));
        X.push(row);
        y.push(row[0] + 0.5 * row[1] + 3 * rng.normal() > 7 ? 1 : 0);
      }
      const lambda = 1;
      const model = new GradientBoosting({
        nEstimators: 1,
        learningRate: 1,
        maxLeaves: 4,
        maxDepth: 2,
        minChildWeight: 1,
        lambda,
        maxBins: 255,
      });
      const data = Float32Array.from(X.flat());
      model.fit({ data, rows: n, cols }, y);
      // Reference: same start (log-odds of the mean) and logistic gradients.
      const p0 = y.reduce((s, v) => s + v, 0) / n;
      const base = Math.log(p0 / (1 - p0));
      const q = 1 / (1 + Math.exp(-base));
      const g = y.map((v) => Math.fround(q - v));
      const h = y.map(() => Math.fround(q * (1 - q)));
      const ref = referenceTree(X, g, h, [...Array(n).keys()], 2, lambda);
      expect(refSplits(ref).length).toBeGreaterThanOrEqual(2);

      const raw = model.predictRaw({ data, rows: n, cols });
      for (let i = 0; i < n; i++) expect(raw[i]).toBeCloseTo(base + refPredict(ref, X[i]), 5);

      const trees = model.toJSON().trees;
      const feature = new Int32Array(new Uint8Array(Buffer.from(trees.feature, 'base64')).buffer);
      const threshold = new Float32Array(new Uint8Array(Buffer.from(trees.threshold, 'base64')).buffer);
      const ours = [...feature.keys()]
        .filter((i) => feature[i] >= 0)
        .map((i) => `${feature[i]}@${threshold[i]}`);
      expect(ours.sort()).toEqual(refSplits(ref).sort());
    });
  }
});
