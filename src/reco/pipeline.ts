/**
 * Loading what a pipeline trains on: the client histories and the attributes of the months
 * that feed features, for a target month (training uses months strictly before it).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { AppError } from '../errors.js';
import { rows } from '../data/duckdb.js';
import { loadAttributes, loadHistory, type History } from './history.js';
import { monthDate, monthIndex } from './products.js';

export interface TrainingData {
  history: History;
  /** Attributes at month index t − 1, keyed by t (the target position they serve). */
  attributes: Map<number, Float32Array>;
  /** Position of the target month in `history.months` (may be one past the end). */
  target: number;
}

/** Months present in the view, ascending (`YYYY-MM-DD`). */
export async function datasetMonths(conn: DuckDBConnection, view: string): Promise<string[]> {
  const r = await rows<{ m: string }>(
    conn,
    `SELECT DISTINCT fecha_dato::VARCHAR AS m FROM ${view} ORDER BY 1`,
  );
  return r.map((x) => x.m);
}

/**
 * Loads `trainMonths` months of additions before `target` plus `lags` months of features before
 * them (clipped to the data), and the target month itself when it is in the data (for labels).
 */
export async function loadTrainingData(
  conn: DuckDBConnection,
  view: string,
  target: string,
  trainMonths: number,
  lags: number,
  onProgress?: (note: string) => void,
): Promise<TrainingData> {
  const months = await datasetMonths(conn, view);
  if (months.length < 2)
    throw new AppError('ARGUMENT_INVALID', `the dataset has ${months.length} month(s); need at least 2`);
  const ti = monthIndex(target);
  const first = monthIndex(months[0]);
  const last = monthIndex(months[months.length - 1]);
  if (ti > last + 1)
    throw new AppError(
      'ARGUMENT_INVALID',
      `target month ${target} is after ${months[months.length - 1]} + 1`,
    );
  if (ti - 1 < first)
    throw new AppError('ARGUMENT_INVALID', `target month ${target}: needs an earlier month`);
  const from = Math.max(first, ti - trainMonths - lags);
  const to = Math.min(last, ti);
  onProgress?.(`reading histories ${monthDate(from)} .. ${monthDate(to)}`);
  const history = await loadHistory(conn, view, monthDate(from), monthDate(to));
  const target_ = ti - from;
  const attributes = new Map<number, Float32Array>();
  // Additions can be learned from months from+1 .. target−1; each needs its previous month's attributes.
  for (let t = Math.max(1, target_ - trainMonths); t <= target_; t++) {
    onProgress?.(`reading attributes ${monthDate(from + t - 1)}`);
    attributes.set(t, await loadAttributes(conn, view, monthDate(from + t - 1), history.clients));
  }
  return { history, attributes, target: target_ };
}
