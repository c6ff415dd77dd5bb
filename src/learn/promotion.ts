/**
 * Champion vs challenger on real outcomes. The outcomes of an experiment (challenger `name:v`) are
 * counted per arm: for the offer-confidence model from the offer log (an offer with an outcome is a
 * trial, its latest outcome counts), for other models from the request history (an answer with
 * feedback is a trial, its latest feedback counts). Answers of a batch served by both arms
 * (`mixed`) are left out. The challenger is promoted — through the registry, so rollback works
 * as for any promotion — when it wins at the configured confidence with at least `minOutcomes`
 * outcomes in each arm.
 */
import { AppError } from '../errors.js';
import type { Queryable } from '../store/db.js';
import type { ModelRegistry } from '../store/registry.js';
import { compareArms, type Comparison } from './significance.js';
import { CONFIDENCE_MODEL, challengerOf } from './versions.js';

export interface ArmStats {
  /** Offers (or answers) served by the arm in the experiment. */
  served: number;
  /** Of which have an outcome. */
  trials: number;
  successes: number;
  rate: number | null;
}

export interface CompareReport {
  model: string;
  /** `name:version` of the challenger compared (the experiment). */
  experiment: string;
  challengerVersion: number;
  /** True while the challenger is still the live experiment (not yet promoted, not superseded). */
  running: boolean;
  /** Champion version filter (`name:version`), null: whatever the champion arm served. */
  champion: string | null;
  confidence: number;
  minOutcomes: number;
  arms: { champion: ArmStats; challenger: ArmStats };
  comparison: Comparison;
}

export interface CompareOptions {
  challenger?: number;
  champion?: number;
  /** Confidence level of the test, e.g. 0.95. */
  confidence: number;
  minOutcomes: number;
}

interface CountRow {
  arm: 'champion' | 'challenger';
  served: number;
  trials: number;
  successes: number;
}

const OFFER_COUNTS = `
  select o.arm, count(*)::int as served, count(l.outcome)::int as trials,
         (count(*) filter (where l.outcome = 'success'))::int as successes
    from offers o
    left join lateral (select outcome from offer_outcomes u where u.offer_id = o.offer_id
                        order by u.id desc limit 1) l on true
   where o.experiment = $1 and o.arm is not null
     and ($2::text is null or o.arm = 'challenger' or o.model_version = $2)
   group by o.arm`;

const ANSWER_COUNTS = `
  select r.arm, count(*)::int as served, count(l.outcome)::int as trials,
         (count(*) filter (where l.outcome = 'success'))::int as successes
    from api_requests r
    left join lateral (select outcome from feedback f where f.request_id = r.id
                        order by f.id desc limit 1) l on true
   where r.experiment = $1 and r.arm in ('champion', 'challenger') and r.status = 200
     and ($2::text is null or r.arm = 'challenger' or r.model_version = $2)
   group by r.arm`;

/** Outcome counts per arm of experiment `experiment` (`name:version`). */
export async function armCounts(
  db: Queryable,
  model: string,
  experiment: string,
  champion: string | null,
): Promise<{ champion: ArmStats; challenger: ArmStats }> {
  const rows = await db.query<CountRow>(model === CONFIDENCE_MODEL ? OFFER_COUNTS : ANSWER_COUNTS, [
    experiment,
    champion,
  ]);
  const stats = (arm: CountRow['arm']): ArmStats => {
    const r = rows.find((x) => x.arm === arm);
    const s = { served: r?.served ?? 0, trials: r?.trials ?? 0, successes: r?.successes ?? 0 };
    return { ...s, rate: s.trials === 0 ? null : s.successes / s.trials };
  };
  return { champion: stats('champion'), challenger: stats('challenger') };
}

/** Compares the arms of a model's experiment: the current challenger, or `options.challenger`. */
export async function compareModel(
  db: Queryable,
  registry: ModelRegistry,
  name: string,
  options: CompareOptions,
): Promise<CompareReport> {
  const current = await challengerOf(registry, name);
  let version = options.challenger ?? current?.version;
  if (version === undefined) {
    // No experiment running: report the newest version's (finished) experiment.
    const [newest] = await registry.list(name);
    if (newest === undefined) throw new AppError('MODEL_NOT_FOUND', `model ${name} has no versions`);
    version = newest.version;
  } else await registry.get(name, version);
  if (options.champion !== undefined) await registry.get(name, options.champion);
  const experiment = `${name}:${version}`;
  const champion = options.champion === undefined ? null : `${name}:${options.champion}`;
  const arms = await armCounts(db, name, experiment, champion);
  return {
    model: name,
    experiment,
    challengerVersion: version,
    running: current?.version === version,
    champion,
    confidence: options.confidence,
    minOutcomes: options.minOutcomes,
    arms,
    comparison: compareArms(arms.champion, arms.challenger, {
      confidence: options.confidence,
      minTrials: options.minOutcomes,
    }),
  };
}

/** Promotes the running challenger when it wins; returns the report and whether it was promoted. */
export async function promoteIfWins(
  db: Queryable,
  registry: ModelRegistry,
  name: string,
  options: Omit<CompareOptions, 'challenger'>,
): Promise<{ report: CompareReport | null; promoted: boolean }> {
  const current = await challengerOf(registry, name);
  if (current === null) return { report: null, promoted: false };
  const report = await compareModel(db, registry, name, { ...options, challenger: current.version });
  if (report.comparison.verdict !== 'challenger-wins') return { report, promoted: false };
  await registry.promote(name, current.version);
  return { report: { ...report, running: false }, promoted: true };
}
