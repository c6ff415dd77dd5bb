import type { Command } from 'commander';
import { AppError } from '../../errors.js';
import { openArtifactStore } from '../../store/artifacts.js';
import { ModelRegistry, type ModelVersion } from '../../store/registry.js';
import type { Config } from '../../config.js';
import type { Database } from '../../store/db.js';
import { compareModel, type CompareReport } from '../../learn/promotion.js';
import { DEFAULT_COMPARE_CONFIDENCE } from '../../learn/serving.js';
import {
  configWith,
  intFlag,
  numberFlag,
  print,
  printJson,
  withDatabase,
  type CommonFlags,
} from '../context.js';
import { RECO_MODEL_NAME } from './train.js';

interface Flags extends CommonFlags {
  name: string;
}

async function withRegistry<T>(config: Config, fn: (r: ModelRegistry) => Promise<T>): Promise<T> {
  const store = openArtifactStore(config);
  try {
    return await withDatabase(config, (db) => fn(new ModelRegistry(db, store)));
  } finally {
    await store.close();
  }
}

async function withRegistryDb<T>(
  config: Config,
  fn: (r: ModelRegistry, db: Database) => Promise<T>,
): Promise<T> {
  const store = openArtifactStore(config);
  try {
    return await withDatabase(config, (db) => fn(new ModelRegistry(db, store), db));
  } finally {
    await store.close();
  }
}

function line(v: ModelVersion): string {
  const m = Object.entries(v.metrics)
    .filter(([k]) => ['map7', 'ndcg3', 'roc_auc'].includes(k))
    .map(([k, x]) => `${k}=${x.toFixed(4)}`)
    .join(' ');
  return `${v.promoted ? '*' : ' '} ${v.name} v${v.version}  ${v.createdAt.toISOString()}  run ${v.runId ?? '-'}  ${m}`;
}

interface CompareFlags extends CommonFlags {
  champion?: string;
  challenger?: string;
  confidence?: string;
  minOutcomes?: string;
  promote?: boolean;
}

function printCompare(r: CompareReport, promoted: boolean): void {
  const pct = (x: number | null) => (x === null ? '   n/a' : `${(100 * x).toFixed(2).padStart(6)}%`);
  print(`${r.model}: experiment ${r.experiment}${r.running ? ' (running)' : ''}`);
  print('arm          served   outcomes  successes     rate');
  for (const arm of ['champion', 'challenger'] as const) {
    const a = r.arms[arm];
    const label = arm === 'champion' && r.champion ? `champion ${r.champion}` : arm;
    print(
      `${label.padEnd(11)} ${String(a.served).padStart(7)} ${String(a.trials).padStart(10)} ${String(a.successes).padStart(10)}  ${pct(a.rate)}`,
    );
  }
  const c = r.comparison;
  const stat = c.test === 'z' ? `z = ${c.z?.toFixed(3)}` : "Fisher's exact test";
  print(
    `${stat}, p = ${c.pValue === null ? 'n/a' : c.pValue.toPrecision(3)} (confidence ${r.confidence}, at least ${r.minOutcomes} outcomes per arm)`,
  );
  print(`verdict: ${c.verdict}${promoted ? ` — promoted ${r.experiment}` : ''}`);
}

export function registerModels(program: Command): void {
  const models = program.command('models').description('model registry: versions, promotion, rollback');
  models
    .command('list')
    .description('versions of a model (* = promoted)')
    .option('--name <name>', 'model name', RECO_MODEL_NAME)
    .option('--all', 'every model')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(async (flags: Flags & { all?: boolean }) => {
      const list = await withRegistry(configWith(flags), (r) => r.list(flags.all ? undefined : flags.name));
      if (flags.json) return printJson(list);
      print(list.length ? list.map(line).join('\n') : 'no model versions');
    });
  models
    .command('promote <version>')
    .description('make a version the live one')
    .option('--name <name>', 'model name', RECO_MODEL_NAME)
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(async (raw: string, flags: Flags) => {
      const version = intFlag('version', raw, 1);
      if (version === undefined) throw new AppError('ARGUMENT_INVALID', 'version: required');
      const v = await withRegistry(configWith(flags), (r) => r.promote(flags.name, version));
      if (flags.json) return printJson(v);
      print(`promoted ${v.name} v${v.version}`);
    });
  models
    .command('compare <name>')
    .description('champion vs challenger on recorded outcomes: per-arm rates, significance test, verdict')
    .option('--champion <version>', 'count only champion-arm answers of this version')
    .option('--challenger <version>', 'the challenger version (default: the running challenger)')
    .option('--confidence <c>', 'confidence level (default NEXTOFFER_AUTO_PROMOTE_CONFIDENCE, else 0.95)')
    .option('--min-outcomes <n>', 'outcomes needed per arm (default NEXTOFFER_PROMOTE_MIN_OUTCOMES)')
    .option('--promote', 'promote the running challenger when it wins')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: CompareFlags) => {
      const config = configWith(flags);
      const options = {
        champion: intFlag('champion', flags.champion, 1),
        challenger: intFlag('challenger', flags.challenger, 1),
        confidence:
          numberFlag('confidence', flags.confidence, 0.5, 0.999999) ??
          config.autoPromoteConfidence ??
          DEFAULT_COMPARE_CONFIDENCE,
        minOutcomes: intFlag('min-outcomes', flags.minOutcomes, 1) ?? config.promoteMinOutcomes,
      };
      const { report, promoted } = await withRegistryDb(config, async (registry, db) => {
        const r = await compareModel(db, registry, name, options);
        const win = flags.promote === true && r.running && r.comparison.verdict === 'challenger-wins';
        if (win) await registry.promote(name, r.challengerVersion);
        return { report: win ? { ...r, running: false } : r, promoted: win };
      });
      if (flags.json) return printJson({ ...report, promoted });
      printCompare(report, promoted);
    });
  models
    .command('rollback')
    .description('go back to the version that was live before the current one')
    .option('--name <name>', 'model name', RECO_MODEL_NAME)
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(async (flags: Flags) => {
      const v = await withRegistry(configWith(flags), (r) => r.rollback(flags.name));
      if (flags.json) return printJson(v);
      print(`rolled back: ${v.name} v${v.version} is live`);
    });
}
