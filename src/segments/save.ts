/**
 * Records a segmentation as an experiment run and registers its model under `segments` in the
 * model registry (promoted, so servers pick it up), the artifact being the model's JSON.
 */
import type { ArtifactStore } from '../store/artifacts.js';
import type { Database } from '../store/db.js';
import { ModelRegistry, type ModelVersion } from '../store/registry.js';
import { Runs, type RunRecord } from '../store/runs.js';
import type { SegmentModel } from './model.js';
import type { SegmentReport } from './run.js';

export const SEGMENT_MODEL_NAME = 'segments';

/** Where the report of a registered segmentation is kept, beside its model artifact. */
export function segmentReportKey(artifactKey: string): string {
  return `${artifactKey}.report.json`;
}

/** The report's headline figures that are finite numbers (the registry stores only those). */
export function segmentMetrics(report: SegmentReport): Record<string, number> {
  const all: Record<string, number | null> = {
    k: report.k,
    rows: report.rows,
    silhouette: report.silhouette,
    davies_bouldin: report.davies_bouldin,
    calinski_harabasz: report.calinski_harabasz,
    inertia: report.inertia,
    classifier_accuracy: report.classifier_accuracy,
    gbdt_accuracy: report.gbdt_accuracy,
    adjusted_rand_index: report.reference?.adjusted_rand_index ?? null,
    churn_auc: report.churn?.auc ?? null,
  };
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(all)) if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
  return out;
}

/** Starts a run, registers and promotes the model, and finishes the run (or marks it failed). */
export async function saveSegmentation(
  db: Database,
  artifacts: ArtifactStore,
  model: SegmentModel,
  report: SegmentReport,
  params: Record<string, unknown>,
  started: RunRecord | null = null,
): Promise<{ run: RunRecord; version: ModelVersion }> {
  const runs = new Runs(db);
  const run = started ?? (await runs.start({ kind: 'segment', name: SEGMENT_MODEL_NAME, params }));
  try {
    const metrics = segmentMetrics(report);
    const version = await new ModelRegistry(db, artifacts).register(SEGMENT_MODEL_NAME, {
      artifact: model.toBytes(),
      metrics,
      params,
      runId: run.id,
      promote: true,
    });
    // The report (sizes, profiles, k selection, 2-D projection) is what the web UI shows.
    const reportKey = segmentReportKey(version.artifactKey);
    await artifacts.put(reportKey, JSON.stringify(report), 'application/json');
    const finished = await runs.finish(run.id, {
      metrics,
      timings: report.timings,
      artifacts: [version.artifactKey, reportKey],
    });
    return { run: finished, version };
  } catch (e) {
    await runs.fail(run.id, e);
    throw e;
  }
}
