/** Experiment runs for CLI commands: the database record plus, when configured, MLflow. */
import type { Config } from '../config.js';
import { errorMessage } from '../errors.js';
import type { Database } from '../store/db.js';
import { MlflowSink } from '../store/mlflow.js';
import { Runs, type RunEnd, type RunRecord, type RunStart } from '../store/runs.js';

export function openRuns(db: Database, config: Config): Runs {
  const sinks = config.mlflowTrackingUri
    ? [new MlflowSink({ trackingUri: config.mlflowTrackingUri, experimentName: config.mlflowExperiment })]
    : [];
  return new Runs(db, { sinks });
}

/** Runs `fn` as a tracked run: finished with what it returns, or failed with its error. */
export async function tracked<T>(
  runs: Runs,
  start: RunStart,
  fn: (run: RunRecord) => Promise<{ value: T; end: RunEnd }>,
): Promise<{ value: T; run: RunRecord }> {
  const run = await runs.start(start);
  try {
    const { value, end } = await fn(run);
    return { value, run: await runs.finish(run.id, end) };
  } catch (e) {
    await runs.fail(run.id, e).catch((f: unknown) => process.stderr.write(`warning: ${errorMessage(f)}\n`));
    throw e;
  }
}

/** The numeric entries of a result (what a run records as metrics). */
export function numericMetrics(o: object): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}
