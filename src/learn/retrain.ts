/**
 * Retraining: the offer-confidence model on every marked outcome, the recommender when the ingested
 * dataset has months newer than the data of the serving (and of the newest registered) version.
 * Each retrain is a run (`kind: retrain`) and registers a challenger version — never promoted here;
 * promotion follows the champion/challenger comparison (`promotion.ts`). Failures lower the weight
 * of what they mark: the confidence model's product, channel and phrase indicators are fitted on
 * them, and the Thompson sampler's Beta(1 + successes, 1 + failures) per phrase id comes from the
 * same counts (`elementStats`).
 */
import type { Config } from '../config.js';
import { closeDuck, openDuck } from '../data/duckdb.js';
import { attachDataset } from '../data/dataset-view.js';
import { AppError, errorMessage } from '../errors.js';
import { loadConfiguredCatalog, type Catalog } from '../offers/catalog.js';
import { ConfidenceModel } from '../offers/confidence.js';
import { createOfferEngine } from '../offers/engine.js';
import { trainingExamples } from '../offers/feedback.js';
import { RECO_MODEL_NAME } from '../reco/artifact.js';
import { DEFAULT_FIT_OPTIONS, type FitOptions } from '../reco/fit.js';
import type { ArtifactStore } from '../store/artifacts.js';
import type { Database } from '../store/db.js';
import { OfferLog, type TrainingRow } from '../store/offers.js';
import { ModelRegistry } from '../store/registry.js';
import { Runs } from '../store/runs.js';
import { trainReco } from './reco-train-job.js';
import { buildReference } from './drift.js';
import { SCORE_FEATURE } from './drift-monitor.js';
import { CONFIDENCE_MODEL } from './versions.js';

export type RetrainWhat = 'confidence' | 'reco' | 'all';

export interface RetrainResult {
  model: string;
  status: 'registered' | 'skipped';
  /** Why nothing was registered. */
  reason?: string;
  version?: number;
  runId?: string | null;
  metrics?: Record<string, number>;
}

export interface RetrainContext {
  db: Database;
  artifacts: ArtifactStore;
  config: Config;
  runs?: Runs;
  catalog?: Catalog;
  /** Seed of the confidence model's hold-out split. Default 1. */
  seed?: number;
  recoOptions?: FitOptions;
  onProgress?: (note: string, done?: number, total?: number) => void;
}

export function parseWhat(raw: string): RetrainWhat {
  if (raw === 'confidence' || raw === 'reco' || raw === 'all') return raw;
  throw new AppError('ARGUMENT_INVALID', `--what ${JSON.stringify(raw)}: must be confidence, reco or all`);
}

/**
 * Drift reference records: each training offer's features with the confidence the new model gives
 * when it serves the same request (its own phrasing choice, as the server would make it) — not the
 * confidence of the logged phrasing, whose distribution differs as soon as the sampler learns.
 */
function referenceRecords(rows: readonly TrainingRow[], catalog: Catalog, model: ConfidenceModel) {
  const products = new Set(catalog.products.map((p) => p.code));
  const channels = new Set(catalog.channels.map((c) => c.code));
  const kept = rows.filter((r) => products.has(r.product) && channels.has(r.channel));
  const answers = createOfferEngine({ catalog, confidenceModel: model }).generate(
    kept.map((r) => ({
      client_id: r.clientId,
      features: r.features,
      product: r.product,
      channel: r.channel,
      locale: r.locale,
      consent: true,
    })),
  );
  return kept.map((r, i) => ({ ...r.features, [SCORE_FEATURE]: answers[i].confidence }));
}

/** Fits the confidence model on all marked outcomes and registers it as a challenger. */
export async function retrainConfidence(ctx: RetrainContext): Promise<RetrainResult> {
  const registry = new ModelRegistry(ctx.db, ctx.artifacts);
  const catalog = ctx.catalog ?? loadConfiguredCatalog(ctx.config);
  const rows = await new OfferLog(ctx.db).trainingSet();
  const examples = trainingExamples(rows, catalog);
  const skip = (reason: string): RetrainResult => ({ model: CONFIDENCE_MODEL, status: 'skipped', reason });
  if (examples.length < 10) return skip(`only ${examples.length} marked outcomes (at least 10 are needed)`);
  const [latest] = await registry.list(CONFIDENCE_MODEL);
  if (latest !== undefined && latest.params.outcomes === examples.length)
    return skip(`no new outcomes since v${latest.version} (${examples.length})`);
  const seed = ctx.seed ?? 1;
  const runs = ctx.runs ?? new Runs(ctx.db);
  const successes = examples.filter((e) => e.success).length;
  const run = await runs.start({
    kind: 'retrain',
    name: CONFIDENCE_MODEL,
    params: { outcomes: examples.length, successes, seed },
  });
  try {
    const started = performance.now();
    const model = ConfidenceModel.fit(examples, catalog, { seed });
    const records = referenceRecords(rows, catalog, model);
    const r = model.report;
    const metrics = {
      rows: r.rows,
      base_rate: r.baseRate,
      brier: r.brier,
      prior_brier: r.priorBrier,
      log_loss: r.logLoss,
      ...(Number.isFinite(r.rocAuc) ? { roc_auc: r.rocAuc } : {}),
    };
    const version = await registry.register(CONFIDENCE_MODEL, {
      artifact: JSON.stringify(model.toJSON()),
      params: { outcomes: examples.length, successes, seed, drift: buildReference(records) },
      metrics,
      runId: run.id,
      promote: false,
    });
    await runs.finish(run.id, {
      metrics,
      timings: { fit_ms: performance.now() - started },
      artifacts: [version.artifactKey],
    });
    return {
      model: CONFIDENCE_MODEL,
      status: 'registered',
      version: version.version,
      runId: run.id,
      metrics,
    };
  } catch (e) {
    await runs.fail(run.id, e).catch(() => undefined);
    throw e;
  }
}

const monthOf = (s: unknown) => (typeof s === 'string' ? s.slice(0, 7) : '');

/** Retrains the recommender when the dataset has months newer than any registered version's data. */
export async function retrainReco(ctx: RetrainContext): Promise<RetrainResult> {
  const registry = new ModelRegistry(ctx.db, ctx.artifacts);
  const duck = await openDuck({ threads: ctx.config.threads, memoryLimit: ctx.config.memoryLimit });
  let lastIngested: string;
  let dataFingerprint: string;
  try {
    const manifest = await attachDataset(duck.conn, ctx.config.dataDir, 'santander', 'santander');
    lastIngested =
      manifest.months
        .map((m) => monthOf(m.month))
        .sort()
        .pop() ?? '';
    dataFingerprint = `${manifest.version}:${manifest.sources.map((s) => s.sha256.slice(0, 16)).join('+')}`;
  } finally {
    closeDuck(duck);
  }
  const versions = await registry.list(RECO_MODEL_NAME);
  const trainedThrough =
    versions
      .map((v) => monthOf(v.params.lastMonth))
      .sort()
      .pop() ?? '';
  if (versions.length > 0 && lastIngested <= trainedThrough)
    return {
      model: RECO_MODEL_NAME,
      status: 'skipped',
      reason: `no month newer than ${trainedThrough} in the dataset (last ${lastIngested})`,
    };
  const first = (await registry.promoted(RECO_MODEL_NAME)) === null;
  const options = ctx.recoOptions ?? DEFAULT_FIT_OPTIONS;
  const runs = ctx.runs ?? new Runs(ctx.db);
  const run = await runs.start({
    kind: 'retrain',
    name: RECO_MODEL_NAME,
    params: { ...options },
    dataFingerprint,
  });
  try {
    ctx.onProgress?.(`training the recommender through ${lastIngested}`);
    const trained = await trainReco({
      dataDir: ctx.config.dataDir,
      threads: ctx.config.threads,
      memoryLimit: ctx.config.memoryLimit,
      options,
    });
    const version = await registry.register(RECO_MODEL_NAME, {
      artifact: trained.bytes,
      metrics: trained.metrics,
      params: {
        ...options,
        lastMonth: trained.lastMonth,
        dataset: trained.datasetVersion,
        drift: trained.drift,
      },
      runId: run.id,
      promote: first ? undefined : false,
    });
    await runs.finish(run.id, {
      metrics: trained.metrics,
      timings: trained.timings,
      artifacts: [version.artifactKey],
    });
    return {
      model: RECO_MODEL_NAME,
      status: 'registered',
      version: version.version,
      runId: run.id,
      metrics: trained.metrics,
    };
  } catch (e) {
    await runs.fail(run.id, e).catch(() => undefined);
    throw e;
  }
}

/** Retrains what is asked; one model's failure does not stop the other (its error is rethrown after). */
export async function retrain(ctx: RetrainContext, what: RetrainWhat = 'all'): Promise<RetrainResult[]> {
  const jobs =
    what === 'all' ? [retrainConfidence, retrainReco] : [what === 'reco' ? retrainReco : retrainConfidence];
  const out: RetrainResult[] = [];
  const errors: string[] = [];
  for (const job of jobs) {
    try {
      out.push(await job(ctx));
    } catch (e) {
      if (what !== 'all') throw e;
      if (e instanceof AppError && e.code === 'DATASET_NOT_FOUND')
        out.push({ model: RECO_MODEL_NAME, status: 'skipped', reason: e.message });
      else errors.push(errorMessage(e));
    }
  }
  if (errors.length > 0) throw new AppError('INTERNAL_ERROR', `retrain failed: ${errors.join('; ')}`);
  return out;
}
