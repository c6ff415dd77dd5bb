/**
 * Churn risk on Santander panels: a client at month t−1 churns when at month t it holds fewer
 * of the products it had, turns inactive, or is gone. A gradient-boosted model learns this
 * from t−1 features (split by client, ROC-AUC on the held-out clients) and scores every
 * client's latest month.
 */
import { AppError } from '../errors.js';
import { SANTANDER_PRODUCTS } from '../data/santander-schema.js';
import { GradientBoosting } from '../ml/gbdt/index.js';
import { takeRows } from '../ml/matrix.js';
import { rocAuc } from '../ml/metrics/classification.js';
import { columnIndices, toNumber, type ColumnSet } from '../ml/preprocessing/columns.js';
import { ColumnPipeline } from '../ml/preprocessing/pipeline.js';
import { splitRows } from './classifier.js';
import { SANTANDER_SEGMENT_NUMERIC } from './formats.js';

export interface ChurnResult {
  /** P(churn next month) for every row of the latest month. */
  risk: Float64Array;
  auc: number;
  baseRate: number;
  trainClients: number;
  holdoutClients: number;
}

/** 1 when a previous-month client drops a product, turns inactive or disappears by the latest month. */
export function churnLabels(previous: ColumnSet, latest: ColumnSet): Uint8Array {
  const cols = ['ncodpers', 'ind_actividad_cliente', ...SANTANDER_PRODUCTS];
  const pi = columnIndices(previous, cols);
  const li = columnIndices(latest, cols);
  const byId = new Map<string, readonly (string | number | null)[]>();
  for (const r of latest.rows) byId.set(String(r[li[0]]), r);
  return Uint8Array.from(previous.rows, (r, row) => {
    const next = byId.get(String(r[pi[0]]));
    if (!next) return 1;
    const num = (cells: readonly (string | number | null)[], at: number, col: string) =>
      toNumber(cells[at], col, row + 1);
    if (num(r, pi[1], cols[1]) === 1 && num(next, li[1], cols[1]) === 0) return 1;
    for (let j = 2; j < cols.length; j++)
      if (num(r, pi[j], cols[j]) === 1 && num(next, li[j], cols[j]) !== 1) return 1;
    return 0;
  });
}

export function trainChurnModel(previous: ColumnSet, latest: ColumnSet, seed = 0): ChurnResult {
  const y = churnLabels(previous, latest);
  const positives = y.reduce((s, v) => s + v, 0);
  if (positives < 10 || positives > y.length - 10)
    throw new AppError(
      'ARGUMENT_INVALID',
      `churn: ${positives} of ${y.length} clients churn; too few of one class to learn from`,
    );
  const categorical = ['segmento', 'sexo'].filter(
    (c) => previous.columns.includes(c) && latest.columns.includes(c),
  );
  const pipeline = new ColumnPipeline({
    numeric: [...SANTANDER_SEGMENT_NUMERIC, 'n_products'],
    categorical,
    scaler: 'none',
    imputer: 'median',
  }).fit(previous);
  const X = pipeline.transform(previous);
  const { train, test } = splitRows(X.rows, 0.2, seed);
  const model = new GradientBoosting({
    objective: 'binary',
    nEstimators: 80,
    learningRate: 0.1,
    maxLeaves: 31,
    earlyStoppingRounds: 0,
    seed,
  }).fit(
    takeRows(X, train),
    Uint8Array.from(train, (i) => y[i]),
    { featureNames: pipeline.featureNames },
  );
  const auc = rocAuc(
    Uint8Array.from(test, (i) => y[i]),
    model.predictProba(takeRows(X, test)),
  );
  const risk = Float64Array.from(model.predictProba(pipeline.transform(latest)));
  return {
    risk,
    auc,
    baseRate: positives / y.length,
    trainClients: train.length,
    holdoutClients: test.length,
  };
}
