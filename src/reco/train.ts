/**
 * `train`: a time-split holdout on the last month (metrics), then the final model fitted on every
 * month, packed with the client store into a `Recommender`.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { evaluate, type EvaluationResult } from './evaluate.js';
import { fitRecoModel, type FitOptions, type FitRun } from './fit.js';
import { ATTRIBUTES } from './history.js';
import { datasetMonths, loadTrainingData, type TrainingData } from './pipeline.js';
import { addMonths } from '../data/santander-schema.js';
import { Recommender, type ClientStore } from './recommender.js';
import type { RecoModel } from './model.js';

export interface TrainResult {
  recommender: Recommender;
  holdout: EvaluationResult | null;
  lastMonth: string;
  timings: { holdout_seconds: number; fit_seconds: number };
}

/** Known clients (present in the last month) with their last `lags` masks and last attributes. */
export function clientStore(data: TrainingData, model: RecoModel): ClientStore {
  const t = data.target;
  const L = model.parts.features.lags;
  const A = ATTRIBUTES.length;
  const nM = data.history.months.length;
  const attrs = data.attributes.get(t);
  if (!attrs) throw new Error('attributes of the last month are not loaded');
  const keep: number[] = [];
  for (let c = 0; c < data.history.clients.length; c++)
    if (data.history.masks[c * nM + t - 1] >= 0) keep.push(c);
  const clients = new Int32Array(keep.length);
  const masks = new Int32Array(keep.length * L);
  const attributes = new Float32Array(keep.length * A);
  keep.forEach((c, i) => {
    clients[i] = data.history.clients[c];
    for (let j = 0; j < L; j++) {
      const mi = t - 1 - j;
      masks[i * L + j] = mi >= 0 ? data.history.masks[c * nM + mi] : -1;
    }
    attributes.set(attrs.subarray(c * A, (c + 1) * A), i * A);
  });
  const last = data.history.months[t - 1];
  const lastMonth = `${Math.floor(last / 12)}-${String((last % 12) + 1).padStart(2, '0')}-28`;
  return { clients, masks, attributes, lastMonth };
}

export async function trainRecommender(
  conn: DuckDBConnection,
  view: string,
  options: FitOptions,
  run: FitRun = {},
): Promise<TrainResult> {
  const months = await datasetMonths(conn, view);
  const lastMonth = months[months.length - 1];
  const t0 = performance.now();
  // A holdout needs two months before the last one.
  const holdout = months.length >= 3 ? await evaluate(conn, view, lastMonth, options, run) : null;
  const t1 = performance.now();
  run.onProgress?.('fitting the final model on all months');
  const data = await loadTrainingData(
    conn,
    view,
    addMonths(lastMonth, 1),
    options.trainMonths,
    options.features.lags,
  );
  const model = fitRecoModel(data, options, run);
  const recommender = new Recommender(model, clientStore(data, model));
  return {
    recommender,
    holdout,
    lastMonth,
    timings: { holdout_seconds: (t1 - t0) / 1000, fit_seconds: (performance.now() - t1) / 1000 },
  };
}
