/**
 * The recommender fit of a retrain, off the server's event loop: in a worker thread when the
 * compiled worker (`reco-train-worker.js`) sits next to this module — always the case in the
 * built package — else in this thread (running from TypeScript sources, e.g. under the test
 * runner). The worker opens its own DuckDB on the data directory and sends back the serialised
 * recommender, its holdout metrics and its drift reference; registering the version stays with
 * the caller, which owns the database.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { closeDuck, openDuck } from '../data/duckdb.js';
import { attachDataset } from '../data/dataset-view.js';
import { AppError, type ErrorCode } from '../errors.js';
import { recommenderToBytes } from '../reco/artifact.js';
import type { FitOptions } from '../reco/fit.js';
import { trainRecommender } from '../reco/train.js';
import type { DriftReference } from './drift.js';
import { recoDriftReference } from './reco-drift.js';

export interface RecoTrainInput {
  dataDir: string;
  threads: number;
  memoryLimit: string;
  options: FitOptions;
}

export interface RecoTrained {
  bytes: Uint8Array;
  metrics: Record<string, number>;
  timings: Record<string, number>;
  lastMonth: string;
  clients: number;
  datasetVersion: string;
  dataFingerprint: string;
  drift: DriftReference;
}

/** Trains in this thread. */
export async function trainRecoArtifact(input: RecoTrainInput): Promise<RecoTrained> {
  const duck = await openDuck({ threads: input.threads, memoryLimit: input.memoryLimit });
  try {
    const manifest = await attachDataset(duck.conn, input.dataDir, 'santander', 'santander');
    const result = await trainRecommender(duck.conn, 'santander', input.options);
    const metrics: Record<string, number> = {};
    for (const [k, v] of Object.entries(result.holdout ?? {}))
      if (typeof v === 'number' && Number.isFinite(v)) metrics[k] = v;
    return {
      bytes: recommenderToBytes(result.recommender),
      metrics,
      timings: result.timings,
      lastMonth: result.lastMonth,
      clients: result.recommender.clientCount,
      datasetVersion: manifest.version,
      dataFingerprint: `${manifest.version}:${manifest.sources.map((s) => s.sha256.slice(0, 16)).join('+')}`,
      drift: recoDriftReference(result.recommender),
    };
  } finally {
    closeDuck(duck);
  }
}

export type WorkerReply =
  { ok: true; result: RecoTrained } | { ok: false; code: ErrorCode | null; message: string };

const WORKER = fileURLToPath(new URL('./reco-train-worker.js', import.meta.url));

/** Whether fits run in a worker thread (the compiled worker exists). */
export function usesWorker(): boolean {
  return existsSync(WORKER);
}

/** Trains in a worker thread when available, else in this thread. */
export function trainReco(input: RecoTrainInput): Promise<RecoTrained> {
  if (!usesWorker()) return trainRecoArtifact(input);
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: input });
    let settled = false;
    worker.once('message', (reply: WorkerReply) => {
      settled = true;
      if (reply.ok) resolve(reply.result);
      else reject(new AppError(reply.code ?? 'INTERNAL_ERROR', reply.message));
      void worker.terminate();
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled)
        reject(new AppError('INTERNAL_ERROR', `recommender training worker exited with code ${code}`));
    });
  });
}
