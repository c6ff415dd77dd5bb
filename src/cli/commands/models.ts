import type { Command } from 'commander';
import { AppError } from '../../errors.js';
import { openArtifactStore } from '../../store/artifacts.js';
import { ModelRegistry, type ModelVersion } from '../../store/registry.js';
import type { Config } from '../../config.js';
import { configWith, intFlag, print, printJson, withDatabase, type CommonFlags } from '../context.js';
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

function line(v: ModelVersion): string {
  const m = Object.entries(v.metrics)
    .filter(([k]) => ['map7', 'ndcg3', 'roc_auc'].includes(k))
    .map(([k, x]) => `${k}=${x.toFixed(4)}`)
    .join(' ');
  return `${v.promoted ? '*' : ' '} ${v.name} v${v.version}  ${v.createdAt.toISOString()}  run ${v.runId ?? '-'}  ${m}`;
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
