/**
 * The learning loop inside the server: champion and challenger holders and routers for the
 * offer-confidence model and the recommender, drift monitors fed by served answers, the
 * comparison read by `GET /v1/models/{name}/compare`, and the scheduled job (retrain, then
 * automatic promotion when configured).
 */
import type { Config } from '../config.js';
import { AppError, errorMessage } from '../errors.js';
import type { ConfidenceModel } from '../offers/confidence.js';
import { RECO_MODEL_NAME, recommenderFromBytes } from '../reco/artifact.js';
import type { Recommender } from '../reco/recommender.js';
import type { ArtifactStore } from '../store/artifacts.js';
import type { Database } from '../store/db.js';
import { ModelRegistry } from '../store/registry.js';
import { ModelHolder } from '../api/model-holder.js';
import { ArmRouter, type HeldModel } from './arms.js';
import { DriftMonitor, type DriftReport } from './drift-monitor.js';
import { compareModel, promoteIfWins, type CompareReport } from './promotion.js';
import { retrain, type RetrainResult } from './retrain.js';
import { Scheduler } from './scheduler.js';
import {
  CONFIDENCE_MODEL,
  NO_CHALLENGER,
  challengerSource,
  confidenceChampionSource,
  driftReferenceOf,
  loadConfidenceVersion,
  versionLabel,
} from './versions.js';

/** Confidence level used by `compare` when `NEXTOFFER_AUTO_PROMOTE_CONFIDENCE` is empty. */
export const DEFAULT_COMPARE_CONFIDENCE = 0.95;

export interface LearningService {
  compare(name: string, options: { champion?: number; challenger?: number }): Promise<CompareReport>;
  /** Drift of every monitored model (champion traffic against the champion's training data). */
  drift(): DriftReport[];
  /** Runs the scheduled job now (promotion check, then retrain); resolves when done. */
  runJob(): Promise<{ promoted: string[]; retrained: RetrainResult[] }>;
  /** Reloads champion and challenger versions now. */
  refresh(): Promise<void>;
  readonly scheduler: Scheduler | null;
}

/** A held challenger, or null when the holder holds "no challenger". */
function present<T>(held: HeldModel<T | null> | null): HeldModel<T> | null {
  return held === null || held.model === null ? null : { version: held.version, model: held.model };
}

export type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

/** Drift monitors by model, rebuilt from the served version's reference when the version changes. */
export class DriftMonitors {
  readonly #registry: ModelRegistry;
  readonly #config: Pick<Config, 'driftAlertPsi' | 'driftWindow'>;
  readonly #monitors = new Map<string, DriftMonitor | 'loading' | 'none'>();
  readonly #versions = new Map<string, string>();
  readonly #log: Log;

  constructor(registry: ModelRegistry, config: Pick<Config, 'driftAlertPsi' | 'driftWindow'>, log: Log) {
    this.#registry = registry;
    this.#config = config;
    this.#log = log;
  }

  /** Records a champion answer of `name` served by holder version `version`. */
  observe(name: string, version: string, record: Record<string, unknown>): void {
    if (this.#versions.get(name) !== version) void this.prepare(name, version);
    const m = this.#monitors.get(name);
    if (m instanceof DriftMonitor) m.observe(record);
  }

  /** Loads the reference of the version now being served (answers meanwhile are not observed). */
  async prepare(name: string, version: string | null): Promise<void> {
    if (version === null || this.#versions.get(name) === version) return;
    this.#versions.set(name, version);
    this.#monitors.set(name, 'loading');
    await this.#load(name, version);
  }

  async #load(name: string, version: string): Promise<void> {
    let monitor: DriftMonitor | 'none' = 'none';
    try {
      if (/^\d+$/.test(version)) {
        const reference = driftReferenceOf(await this.#registry.get(name, Number(version)));
        if (reference !== null)
          monitor = new DriftMonitor({
            model: name,
            modelVersion: `${name}:${version}`,
            reference,
            threshold: this.#config.driftAlertPsi,
            window: this.#config.driftWindow,
          });
      }
    } catch (e) {
      this.#log('warn', `drift reference of ${name}:${version} not loaded: ${errorMessage(e)}`);
    }
    if (this.#versions.get(name) === version) this.#monitors.set(name, monitor);
  }

  reports(): DriftReport[] {
    return [...this.#monitors.values()].flatMap((m) => (m instanceof DriftMonitor ? [m.report()] : []));
  }
}

export interface LearningWiring {
  confidence: ArmRouter<ConfidenceModel>;
  reco: ArmRouter<Recommender>;
  holders: { confidence: ModelHolder<ConfidenceModel>; reco: ModelHolder<Recommender> };
  drift: DriftMonitors;
  service: LearningService;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function wireLearning(
  db: Database,
  artifacts: ArtifactStore,
  config: Config,
  options: { log: Log; intervalMs: number; onError?: (name: string, message: string) => void },
): LearningWiring {
  const registry = new ModelRegistry(db, artifacts);
  const { intervalMs, onError } = options;
  const confidenceChampion = new ModelHolder<ConfidenceModel>({
    name: CONFIDENCE_MODEL,
    source: confidenceChampionSource(registry, artifacts),
    load: (_name, version) => loadConfidenceVersion(registry, artifacts, version),
    intervalMs,
    onError,
  });
  const confidenceChallenger = new ModelHolder<ConfidenceModel | null>({
    name: CONFIDENCE_MODEL,
    source: challengerSource(registry),
    load: (_name, version) =>
      version === NO_CHALLENGER ? Promise.resolve(null) : loadConfidenceVersion(registry, artifacts, version),
    intervalMs,
    onError,
  });
  const recoChampion = new ModelHolder<Recommender>({
    name: RECO_MODEL_NAME,
    source: {
      promoted: async (n) => ((v) => (v ? { version: String(v.version) } : null))(await registry.promoted(n)),
    },
    load: async (name, version) =>
      recommenderFromBytes(await registry.load(name, Number(version)), Number(version)),
    intervalMs,
    onError,
  });
  const recoChallenger = new ModelHolder<Recommender | null>({
    name: RECO_MODEL_NAME,
    source: challengerSource(registry),
    load: async (name, version) =>
      version === NO_CHALLENGER
        ? null
        : recommenderFromBytes(await registry.load(name, Number(version)), Number(version)),
    intervalMs,
    onError,
  });
  const share = config.challengerShare;
  const confidence = new ArmRouter<ConfidenceModel>(
    CONFIDENCE_MODEL,
    {
      champion: () => confidenceChampion.current(),
      challenger: () => present(confidenceChallenger.current()),
      label: (v) => versionLabel(CONFIDENCE_MODEL, v),
    },
    share,
  );
  const reco = new ArmRouter<Recommender>(
    RECO_MODEL_NAME,
    {
      champion: () => recoChampion.current(),
      challenger: () => present(recoChallenger.current()),
      label: (v) => `${RECO_MODEL_NAME}:${v}`,
    },
    share,
  );
  const all = [confidenceChampion, confidenceChallenger, recoChampion, recoChallenger];
  const drift = new DriftMonitors(registry, config, options.log);
  const refresh = async () => {
    await Promise.all(all.map((h) => h.refresh()));
    await drift.prepare(CONFIDENCE_MODEL, confidence.championVersion());
    await drift.prepare(RECO_MODEL_NAME, reco.championVersion());
  };
  const confidenceLevel = config.autoPromoteConfidence ?? DEFAULT_COMPARE_CONFIDENCE;

  const runJob = async () => {
    const promoted: string[] = [];
    if (config.autoPromoteConfidence !== null) {
      for (const name of [CONFIDENCE_MODEL, RECO_MODEL_NAME]) {
        const r = await promoteIfWins(db, registry, name, {
          confidence: config.autoPromoteConfidence,
          minOutcomes: config.promoteMinOutcomes,
        });
        if (r.promoted && r.report) {
          promoted.push(r.report.experiment);
          options.log(
            'info',
            `promoted ${r.report.experiment}: p = ${r.report.comparison.pValue?.toPrecision(3)}`,
          );
        }
      }
    }
    const retrained = await retrain({ db, artifacts, config }, 'all');
    for (const r of retrained)
      options.log(
        'info',
        `retrain ${r.model}: ${r.status === 'registered' ? `challenger v${r.version}` : `skipped (${r.reason})`}`,
      );
    await refresh();
    return { promoted, retrained };
  };
  let scheduler: Scheduler | null = null;
  if (config.retrainCron.trim() !== '') {
    try {
      scheduler = new Scheduler({ cron: config.retrainCron, job: runJob, log: options.log, name: 'retrain' });
    } catch (e) {
      throw new AppError('CONFIG_INVALID', `NEXTOFFER_RETRAIN_CRON: ${errorMessage(e)}`, { cause: e });
    }
  }

  const service: LearningService = {
    compare: (name, o) => {
      if (name !== CONFIDENCE_MODEL && name !== RECO_MODEL_NAME)
        throw new AppError(
          'NOT_FOUND',
          `model ${name}: no champion/challenger experiments (${CONFIDENCE_MODEL}, ${RECO_MODEL_NAME})`,
        );
      return compareModel(db, registry, name, {
        ...o,
        confidence: confidenceLevel,
        minOutcomes: config.promoteMinOutcomes,
      });
    },
    drift: () => drift.reports(),
    runJob,
    refresh,
    scheduler,
  };
  return {
    confidence,
    reco,
    holders: { confidence: confidenceChampion, reco: recoChampion },
    drift,
    service,
    start: async () => {
      await Promise.all(all.map((h) => h.start()));
      await refresh();
      scheduler?.start();
    },
    stop: async () => {
      await scheduler?.stop();
      await Promise.all(all.map((h) => h.stop()));
    },
  };
}
