/**
 * The new-client classifier: a CART tree trained on a seeded split of the clustered rows to
 * predict their segment, exported as readable rules, with its holdout accuracy; optionally the
 * gradient-boosted trees as an alternative scored on the same holdout.
 */
import { accuracy } from '../ml/metrics/classification.js';
import { GradientBoosting } from '../ml/gbdt/index.js';
import { takeRows, type Matrix } from '../ml/matrix.js';
import type { ColumnPipeline } from '../ml/preprocessing/pipeline.js';
import { Rng } from '../ml/random.js';
import { DecisionTreeClassifier } from '../ml/tree.js';
import { treeRules, type TreeRule } from '../ml/tree-rules.js';

export interface ClassifierOptions {
  holdout?: number;
  seed?: number;
  maxDepth?: number;
  minSamplesLeaf?: number;
  gbdt?: boolean;
}

export interface ClassifierResult {
  tree: DecisionTreeClassifier;
  rules: TreeRule[];
  holdoutAccuracy: number;
  trainRows: number;
  holdoutRows: number;
  gbdtHoldoutAccuracy: number | null;
}

/** Seeded train/holdout split of row indices. */
export function splitRows(
  n: number,
  holdout: number,
  seed: number,
): { train: Uint32Array; test: Uint32Array } {
  const idx = new Rng(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  const nTest = Math.max(1, Math.min(n - 1, Math.round(n * holdout)));
  return {
    test: Uint32Array.from(idx.slice(0, nTest)).sort(),
    train: Uint32Array.from(idx.slice(nTest)).sort(),
  };
}

function argmax(proba: Float32Array, rows: number, k: number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c] > proba[i * k + best]) best = c;
    out[i] = best;
  }
  return out;
}

export function trainSegmentClassifier(
  X: Matrix,
  labels: Int32Array,
  k: number,
  pipeline: ColumnPipeline,
  options: ClassifierOptions = {},
): ClassifierResult {
  const seed = options.seed ?? 0;
  const { train, test } = splitRows(X.rows, options.holdout ?? 0.2, seed);
  const Xtr = takeRows(X, train);
  const Xte = takeRows(X, test);
  const ytr = Int32Array.from(train, (i) => labels[i]);
  const yte = Int32Array.from(test, (i) => labels[i]);
  const tree = new DecisionTreeClassifier({
    maxDepth: options.maxDepth ?? 8,
    minSamplesLeaf: options.minSamplesLeaf ?? 5,
  }).fit(Xtr, ytr, { featureNames: pipeline.featureNames });
  const rules = treeRules(tree, {
    sources: pipeline.featureSources,
    unscale: (j, v) => pipeline.unscale(j, v),
  });
  const holdoutAccuracy = accuracy(yte, tree.predict(Xte));
  let gbdtHoldoutAccuracy: number | null = null;
  if (options.gbdt) {
    const binary = k === 2;
    const model = new GradientBoosting({
      objective: binary ? 'binary' : 'multiclass',
      ...(binary ? {} : { numClasses: k }),
      nEstimators: 60,
      learningRate: 0.2,
      maxLeaves: 15,
      earlyStoppingRounds: 0,
      seed,
    }).fit(Xtr, ytr, { featureNames: pipeline.featureNames });
    const proba = model.predictProba(Xte);
    const pred = binary ? Int32Array.from(proba, (p) => (p > 0.5 ? 1 : 0)) : argmax(proba, Xte.rows, k);
    gbdtHoldoutAccuracy = accuracy(yte, pred);
  }
  return {
    tree,
    rules,
    holdoutAccuracy,
    trainRows: train.length,
    holdoutRows: test.length,
    gbdtHoldoutAccuracy,
  };
}
