/**
 * The segmentation pipeline end to end: features → k (chosen or given) → k-means → quality
 * metrics → profiles, RFM, reference agreement → churn × value priorities → rule tree (and
 * optionally the GBDT) for new clients → 2-D projection sample → one saved `SegmentModel`.
 */
import { AppError } from '../errors.js';
import { KMeans } from '../ml/kmeans.js';
import type { Matrix } from '../ml/matrix.js';
import { adjustedRandIndex, calinskiHarabasz, daviesBouldin, silhouette } from '../ml/metrics/clustering.js';
import { PCA } from '../ml/pca.js';
import { categoryColumn, toCategory, columnIndices, type ColumnSet } from '../ml/preprocessing/columns.js';
import { ColumnPipeline } from '../ml/preprocessing/pipeline.js';
import { Rng } from '../ml/random.js';
import { formatRule } from '../ml/tree-rules.js';
import { trainChurnModel } from './churn.js';
import { trainSegmentClassifier } from './classifier.js';
import { featurePipeline, formatSpec } from './formats.js';
import { selectK, type KScore } from './kselect.js';
import type { SegmentInput } from './load.js';
import { SegmentModel, SEGMENT_MODEL_KIND, SEGMENT_MODEL_VERSION } from './model.js';
import { profileSegments, type SegmentProfile } from './profiles.js';
import { segmentPriorities, valueScores, type SegmentPriority } from './priorities.js';
import { rfmScores, rfmSummary, type RfmSummaryRow } from './rfm.js';

export interface SegmentOptions {
  features?: string[];
  /** 'auto' picks k in `kRange` by silhouette. */
  k: number | 'auto';
  kRange?: number[];
  seed?: number;
  nInit?: number;
  holdout?: number;
  treeDepth?: number;
  gbdt?: boolean;
  projectionSample?: number;
}

export interface SegmentReport {
  source: string;
  format: string;
  rows: number;
  features: string[];
  k: number;
  k_reason: string;
  silhouette: number;
  silhouette_exact: boolean;
  davies_bouldin: number;
  calinski_harabasz: number;
  inertia: number;
  sizes: number[];
  k_selection: KScore[];
  profiles: SegmentProfile[];
  rules: string[];
  classifier_accuracy: number;
  gbdt_accuracy: number | null;
  rfm: {
    columns: { recency: string; frequency: string; monetary: string[] };
    summary: RfmSummaryRow[];
    bySegment: Record<string, number>[];
  } | null;
  reference: { column: string; adjusted_rand_index: number } | null;
  churn: {
    auc: number;
    base_rate: number;
    train_clients: number;
    holdout_clients: number;
    month: string | null;
  } | null;
  risk_source: string | null;
  priorities: SegmentPriority[];
  projection: { explained_variance_ratio: number[]; points: { x: number; y: number; segment: number }[] };
  timings: Record<string, number>;
}

export interface SegmentRunHooks {
  onStep?: (step: string, done: number, total: number) => void;
}

/** Category texts meaning "missing" become null in the feature columns. */
function blankTokens(set: ColumnSet, columns: readonly string[], tokens: readonly string[]): ColumnSet {
  if (tokens.length === 0) return set;
  const idx = columnIndices(set, columns);
  return {
    columns: set.columns,
    rows: set.rows.map((r) => {
      const out = [...r];
      for (const i of idx) {
        const v = toCategory(out[i]);
        if (v !== null && tokens.includes(v)) out[i] = null;
      }
      return out;
    }),
  };
}

function projection(
  X: Matrix,
  labels: Int32Array,
  sample: number,
  seed: number,
): SegmentReport['projection'] {
  if (X.cols < 2 || X.rows < 2) return { explained_variance_ratio: [], points: [] };
  const pca = new PCA({ nComponents: 2, seed }).fit(X);
  const idx = new Rng(seed)
    .shuffle(Array.from({ length: X.rows }, (_, i) => i))
    .slice(0, Math.min(sample, X.rows));
  const points = idx.map((i) => {
    const [x, y] = pca.transform({
      data: X.data.subarray(i * X.cols, (i + 1) * X.cols),
      rows: 1,
      cols: X.cols,
    });
    return { x, y, segment: labels[i] };
  });
  return { explained_variance_ratio: pca.explainedVarianceRatio, points };
}

export function runSegmentation(
  input: SegmentInput,
  options: SegmentOptions,
  hooks: SegmentRunHooks = {},
): { report: SegmentReport; model: SegmentModel } {
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - t0) / 1000;
    t0 = now;
  };
  const seed = options.seed ?? 0;
  const spec = formatSpec(input.format);
  const pipeOptions = featurePipeline(spec, input.set, options.features);
  const set = blankTokens(input.set, pipeOptions.categorical, spec.missingTokens);
  if (set.rows.length < 3)
    throw new AppError(
      'ARGUMENT_INVALID',
      `${input.source}: ${set.rows.length} rows; segmentation needs at least 3`,
    );
  const pipeline = new ColumnPipeline(pipeOptions).fit(set);
  const X = pipeline.transform(set);
  lap('features');

  const nInit = options.nInit ?? (X.rows > 200_000 ? 3 : 10);
  const kmOptions = { nInit, seed };
  const range = options.kRange ?? [2, 3, 4, 5, 6, 7, 8];
  let km: KMeans;
  let table: KScore[];
  let reason: string;
  if (options.k === 'auto') {
    const sel = selectK(X, range, kmOptions, (d, t) => hooks.onStep?.('choosing k', d, t));
    const chosen = sel.models.get(sel.recommended);
    if (!chosen) throw new Error('unreachable: the recommended k was fitted');
    km = chosen;
    table = sel.table;
    reason = sel.reason;
  } else {
    if (!Number.isInteger(options.k) || options.k < 2 || options.k > X.rows)
      throw new AppError('ARGUMENT_INVALID', `--k ${options.k}: must be auto or an integer in 2..${X.rows}`);
    hooks.onStep?.('k-means', 0, 1);
    km = new KMeans({ k: options.k, ...kmOptions }).fit(X);
    table = [];
    reason = `k = ${options.k} was given`;
  }
  const k = km.k;
  const labels = km.labels;
  lap('kmeans');
  hooks.onStep?.('metrics', 0, 1);
  const sil = silhouette(X, labels, { seed });
  const db = daviesBouldin(X, labels);
  const ch = calinskiHarabasz(X, labels);
  if (table.length === 0)
    table = [
      {
        k,
        inertia: km.inertia,
        silhouette: sil.score,
        silhouetteExact: sil.exact,
        daviesBouldin: db,
        calinskiHarabasz: ch,
      },
    ];
  lap('metrics');

  const profiles = profileSegments(set, labels, k, pipeOptions);
  let rfm: SegmentReport['rfm'] = null;
  let risk: Float64Array | null = null;
  let riskSource: string | null = null;
  const rfmCols = spec.rfm;
  if (
    rfmCols &&
    [rfmCols.recency, rfmCols.frequency, ...rfmCols.monetary].every((c) => set.columns.includes(c))
  ) {
    const scores = rfmScores(set, rfmCols);
    const bySegment = Array.from({ length: k }, (): Record<string, number> => ({}));
    scores.segment.forEach((s, i) => (bySegment[labels[i]][s] = (bySegment[labels[i]][s] ?? 0) + 1));
    rfm = { columns: rfmCols, summary: rfmSummary(set, rfmCols, scores), bySegment };
    risk = Float64Array.from(scores.r, (r) => (5 - r) / 4);
    riskSource = 'recency: (5 − RFM R score) / 4';
  }
  let reference: SegmentReport['reference'] = null;
  if (spec.reference && set.columns.includes(spec.reference)) {
    const ref = categoryColumn(set, spec.reference).map((v) => v ?? '(missing)');
    reference = { column: spec.reference, adjusted_rand_index: adjustedRandIndex(Array.from(labels), ref) };
  }
  lap('profiles');
  let churn: SegmentReport['churn'] = null;
  if (input.format === 'santander' && input.previous) {
    hooks.onStep?.('churn model', 0, 1);
    const c = trainChurnModel(input.previous, set, seed);
    churn = {
      auc: c.auc,
      base_rate: c.baseRate,
      train_clients: c.trainClients,
      holdout_clients: c.holdoutClients,
      month: input.month,
    };
    risk = c.risk;
    riskSource = 'gbdt: P(drops a product, turns inactive or leaves next month)';
    lap('churn');
  }
  const priorities = segmentPriorities(
    labels,
    profiles.map((p) => p.name),
    valueScores(set, spec.value),
    risk,
  );

  hooks.onStep?.('classifier', 0, 1);
  const cls = trainSegmentClassifier(X, labels, k, pipeline, {
    holdout: options.holdout,
    seed,
    maxDepth: options.treeDepth,
    gbdt: options.gbdt,
  });
  const names = profiles.map((p) => p.name);
  lap('classifier');
  const proj = projection(X, labels, options.projectionSample ?? 500, seed);
  lap('projection');

  const model = SegmentModel.fromJSON({
    kind: SEGMENT_MODEL_KIND,
    version: SEGMENT_MODEL_VERSION,
    format: input.format,
    missingTokens: spec.missingTokens,
    pipeline: pipeline.toJSON(),
    kmeans: km.toJSON(),
    tree: cls.tree.toJSON(),
    rules: cls.rules,
    segments: profiles.map((p) => ({
      segment: p.segment,
      name: p.name,
      size: p.size,
      share: p.share,
      priority: priorities[p.segment].priority,
    })),
  });
  const report: SegmentReport = {
    source: input.source,
    format: input.format,
    rows: X.rows,
    features: [...pipeOptions.numeric, ...pipeOptions.categorical],
    k,
    k_reason: reason,
    silhouette: sil.score,
    silhouette_exact: sil.exact,
    davies_bouldin: db,
    calinski_harabasz: ch,
    inertia: km.inertia,
    sizes: profiles.map((p) => p.size),
    k_selection: table,
    profiles,
    rules: [...cls.rules]
      .sort((a, b) => b.samples - a.samples)
      .map(
        (r) =>
          `${formatRule(r, (c) => `segment ${c} (${names[c]})`)}  [${r.samples} clients, ${(r.purity * 100).toFixed(1)} %]`,
      ),
    classifier_accuracy: cls.holdoutAccuracy,
    gbdt_accuracy: cls.gbdtHoldoutAccuracy,
    rfm,
    reference,
    churn,
    risk_source: riskSource,
    priorities,
    projection: proj,
    timings,
  };
  return { report, model };
}
