/**
 * Time-split evaluation: fit on the months before the target, score every client present at
 * the target and the month before, and measure how well the top-k predicts the additions.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { AppError } from '../errors.js';
import { rocAuc } from '../ml/metrics/classification.js';
import {
  averagePrecisionAtK,
  coverage,
  f1,
  ndcgAtK,
  novelty,
  precisionAtK,
  recallAtK,
} from '../ml/metrics/ranking.js';
import { topK } from '../ml/popularity.js';
import { Rng } from '../ml/random.js';
import { addedMask, ownedMask, presentAt } from './examples.js';
import { buildFeatures } from './features.js';
import { fitRecoModel, monthOfYear, type FitOptions, type FitRun } from './fit.js';
import { ATTRIBUTES } from './history.js';
import { segmentOf, type RecoModel } from './model.js';
import { loadTrainingData, type TrainingData } from './pipeline.js';
import { N_PRODUCTS, maskItems } from './products.js';

export interface EvaluationResult {
  model: string;
  target_month: string;
  k: number;
  map7: number;
  map7_kaggle: number;
  ndcg3: number;
  precision7: number;
  recall7: number;
  f1: number;
  roc_auc: number;
  coverage: number;
  novelty: number;
  train_seconds: number;
  predict_seconds: number;
  test_clients: number;
  test_adders: number;
}

const CHUNK = 50_000;
/** Clients sampled for ROC-AUC (pairs client × not-owned product). */
const AUC_CLIENTS = 200_000;

/** Scores the clients `rows` (positions in the history) for target position t in chunks. */
export function* scoreChunks(
  model: RecoModel,
  data: TrainingData,
  rows: Int32Array,
  t: number,
): Generator<{ rows: Int32Array; scores: Float32Array }> {
  const attrs = data.attributes.get(t);
  if (!attrs) throw new AppError('ARGUMENT_INVALID', `no attributes for month position ${t}`);
  const A = ATTRIBUTES.length;
  const month = monthOfYear(data, t);
  for (let at = 0; at < rows.length; at += CHUNK) {
    const chunk = rows.subarray(at, Math.min(rows.length, at + CHUNK));
    const X = buildFeatures(data.history, attrs, t, chunk, model.parts.features, model.als);
    const lag1 = new Int32Array(chunk.length);
    const segments = new Int32Array(chunk.length);
    const nM = data.history.months.length;
    chunk.forEach((c, i) => {
      lag1[i] = t - 1 < nM ? data.history.masks[c * nM + t - 1] : -1;
      segments[i] = segmentOf(attrs, c * A);
    });
    yield { rows: chunk, scores: model.score({ X, lag1, segments, month }) };
  }
}

/** Evaluates `options.model` at `target` on the dataset view. */
export async function evaluate(
  conn: DuckDBConnection,
  view: string,
  target: string,
  options: FitOptions,
  run: FitRun = {},
  k = 7,
): Promise<EvaluationResult> {
  const data = await loadTrainingData(conn, view, target, options.trainMonths, options.features.lags, (n) =>
    run.onProgress?.(n),
  );
  if (data.target >= data.history.months.length)
    throw new AppError(
      'ARGUMENT_INVALID',
      `target month ${target} is not in the dataset (nothing to compare with)`,
    );
  const t0 = performance.now();
  const model = fitRecoModel(data, options, run);
  const trainSeconds = (performance.now() - t0) / 1000;
  run.onProgress?.('scoring the target month');
  const t1 = performance.now();
  const t = data.target;
  const rows = presentAt(data.history, t);
  const actual: number[][] = [];
  const predicted: Int32Array[] = [];
  const aucLabels: number[] = [];
  const aucScores: number[] = [];
  const rng = new Rng(options.seed);
  const aucShare = Math.min(1, AUC_CLIENTS / Math.max(1, rows.length));
  for (const chunk of scoreChunks(model, data, rows, t)) {
    chunk.rows.forEach((c, i) => {
      const owned = ownedMask(data.history, c, t - 1);
      const added = addedMask(data.history, c, t);
      const sc = chunk.scores.subarray(i * N_PRODUCTS, (i + 1) * N_PRODUCTS);
      const masked = Float32Array.from(sc);
      for (let p = 0; p < N_PRODUCTS; p++) if ((owned >>> p) & 1) masked[p] = -Infinity;
      predicted.push(topK(masked, k));
      const items = maskItems(added);
      actual.push(items);
      if (aucShare >= 1 || rng.next() < aucShare)
        for (let p = 0; p < N_PRODUCTS; p++) {
          if ((owned >>> p) & 1) continue;
          aucLabels.push((added >>> p) & 1);
          aucScores.push(sc[p]);
        }
    });
  }
  const predictSeconds = (performance.now() - t1) / 1000;
  let adders = 0;
  let apSum = 0;
  let ndcg = 0;
  let prec = 0;
  let rec = 0;
  actual.forEach((a, i) => {
    if (a.length === 0) return;
    adders++;
    apSum += averagePrecisionAtK(a, predicted[i], k);
    ndcg += ndcgAtK(a, predicted[i], 3);
    prec += precisionAtK(a, predicted[i], k);
    rec += recallAtK(a, predicted[i], k);
  });
  // Novelty against the popularity the model learned from (shares of training additions).
  const popularity = model.parts.popularity.globalShare();
  const precision7 = adders ? prec / adders : Number.NaN;
  const recall7 = adders ? rec / adders : Number.NaN;
  return {
    model: options.model,
    target_month: target,
    k,
    map7: adders ? apSum / adders : Number.NaN,
    map7_kaggle: actual.length ? apSum / actual.length : Number.NaN,
    ndcg3: adders ? ndcg / adders : Number.NaN,
    precision7,
    recall7,
    f1: f1(precision7, recall7),
    roc_auc: rocAuc(aucLabels, aucScores),
    coverage: coverage(predicted, N_PRODUCTS, k),
    novelty: novelty(predicted, popularity, k),
    train_seconds: trainSeconds,
    predict_seconds: predictSeconds,
    test_clients: actual.length,
    test_adders: adders,
  };
}
