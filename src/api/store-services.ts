/**
 * The model registry and the experiment runs (`src/store/registry.ts`, `src/store/runs.ts`) as the
 * API's `ModelService` and `RunService`, and as the promoted-version source of `ModelHolder`.
 */
import { AppError } from '../errors.js';
import type { ArtifactStore } from '../store/artifacts.js';
import type { Database } from '../store/db.js';
import { ModelRegistry, type ModelVersion } from '../store/registry.js';
import { Runs, type RunRecord } from '../store/runs.js';
import type { PromotedSource } from './model-holder.js';
import { SEGMENT_MODEL_NAME, segmentReportKey } from '../segments/save.js';
import type {
  ModelService,
  ModelVersionInfo,
  RunInfo,
  RunService,
  SegmentReportService,
  Services,
} from './services.js';

function info(v: ModelVersion): ModelVersionInfo {
  return {
    name: v.name,
    version: String(v.version),
    promoted: v.promoted,
    created_at: v.createdAt.toISOString(),
    metrics: v.metrics,
    params: v.params,
    run_id: v.runId,
  };
}

function versionNumber(version: string): number {
  if (!/^[1-9]\d{0,9}$/.test(version))
    throw new AppError('VALIDATION_FAILED', `version ${JSON.stringify(version)}: must be a positive integer`);
  return Number(version);
}

export function registryModelService(registry: ModelRegistry): ModelService {
  return {
    list: async (name) => (await registry.list(name)).map(info),
    promote: async (name, version) => info(await registry.promote(name, versionNumber(version))),
    rollback: async (name) => info(await registry.rollback(name)),
  };
}

/** Promoted versions as `ModelHolder` reads them (version numbers as strings). */
export function registryPromotedSource(registry: ModelRegistry): PromotedSource {
  return {
    promoted: async (name) => {
      const v = await registry.promoted(name);
      return v ? { version: String(v.version) } : null;
    },
  };
}

function run(r: RunRecord): RunInfo {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    status: r.status,
    started_at: r.startedAt.toISOString(),
    finished_at: r.finishedAt?.toISOString() ?? null,
    params: r.params,
    metrics: r.metrics,
    timings: r.timings,
    git_commit: r.gitCommit,
    error: r.error,
  };
}

export function runsService(runs: Runs): RunService {
  return { list: async ({ limit, kind }) => (await runs.list({ limit, kind })).map(run) };
}
/** The promoted segmentation and its stored report, read on each call (a promotion shows at once). */
export function segmentReportService(
  registry: ModelRegistry,
  artifacts: ArtifactStore,
): SegmentReportService {
  return {
    promoted: async () => {
      const v = await registry.promoted(SEGMENT_MODEL_NAME);
      if (!v) return null;
      const key = segmentReportKey(v.artifactKey);
      const report = (await artifacts.exists(key))
        ? (JSON.parse((await artifacts.get(key)).toString('utf8')) as Record<string, unknown>)
        : null;
      return {
        name: v.name,
        version: String(v.version),
        created_at: v.createdAt.toISOString(),
        metrics: v.metrics,
        report,
      };
    },
  };
}

/** The services the store provides by itself: the model registry, the experiment runs, segment reports. */
export function storeServices(db: Database, artifacts: ArtifactStore): Promise<Services> {
  const registry = new ModelRegistry(db, artifacts);
  return Promise.resolve({
    models: registryModelService(registry),
    runs: runsService(new Runs(db)),
    segmentReports: segmentReportService(registry, artifacts),
  });
}
