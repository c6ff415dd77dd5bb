/**
 * `evaluate --panel FILE`: ingests a panel (train_ver2 layout) into a temporary data directory,
 * evaluates a model at the target month, and removes the directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { closeDuck, openDuck } from '../data/duckdb.js';
import { attachDataset } from '../data/dataset-view.js';
import { ingest } from '../data/ingest/ingest.js';
import { evaluate, type EvaluationResult } from './evaluate.js';
import type { FitOptions, FitRun } from './fit.js';

export interface PanelOptions {
  threads?: number;
  memoryLimit?: string;
  tempRoot?: string;
}

export interface PanelEvaluation extends EvaluationResult {
  /** Dataset version and checksum of the ingested panel (the run's data fingerprint). */
  dataFingerprint: string;
  ingest_seconds: number;
}

export async function evaluatePanel(
  file: string,
  target: string,
  options: FitOptions,
  panel: PanelOptions = {},
  run: FitRun = {},
): Promise<PanelEvaluation> {
  const dir = await mkdtemp(path.join(panel.tempRoot ?? os.tmpdir(), 'nextoffer-evaluate-'));
  try {
    const t0 = performance.now();
    run.onProgress?.('ingesting the panel');
    const report = await ingest(
      file,
      { dataDir: dir, threads: panel.threads, memoryLimit: panel.memoryLimit },
      { onProgress: (f) => run.onProgress?.('ingesting the panel', f, 1), signal: run.signal },
    );
    const ingestSeconds = (performance.now() - t0) / 1000;
    const duck = await openDuck({ threads: panel.threads, memoryLimit: panel.memoryLimit, tempDir: dir });
    try {
      const manifest = await attachDataset(duck.conn, dir, 'santander', 'panel');
      const result = await evaluate(duck.conn, 'panel', target, options, run);
      return {
        ...result,
        dataFingerprint: `${manifest.version}:${report.source.sha256}`,
        ingest_seconds: ingestSeconds,
      };
    } finally {
      closeDuck(duck);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
