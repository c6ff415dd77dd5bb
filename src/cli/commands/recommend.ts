import type { Command } from 'commander';
import { AppError } from '../../errors.js';
import { recommenderFromBytes } from '../../reco/artifact.js';
import { openArtifactStore } from '../../store/artifacts.js';
import { ModelRegistry } from '../../store/registry.js';
import { configWith, intFlag, print, printJson, withDatabase, type CommonFlags } from '../context.js';
import { RECO_MODEL_NAME } from './train.js';

interface Flags extends CommonFlags {
  client?: string;
  k: string;
  version?: string;
}

export function registerRecommend(program: Command): void {
  program
    .command('recommend')
    .description('top-k products for a client from the promoted recommendation model')
    .option('--client <id>', 'client id (ncodpers)')
    .option('--k <k>', 'number of products', '7')
    .option('--version <n>', 'model version (default: the promoted one)')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(async (flags: Flags) => {
      const client = intFlag('client', flags.client);
      if (client === undefined) throw new AppError('ARGUMENT_INVALID', '--client ID is required');
      const k = intFlag('k', flags.k, 1) ?? 7;
      const config = configWith(flags);
      const store = openArtifactStore(config);
      try {
        const result = await withDatabase(config, async (db) => {
          const registry = new ModelRegistry(db, store);
          const version =
            intFlag('version', flags.version, 1) ?? (await registry.promoted(RECO_MODEL_NAME))?.version;
          if (version === undefined)
            throw new AppError(
              'MODEL_NOT_FOUND',
              `no promoted ${RECO_MODEL_NAME} model; run \`nextoffer train\``,
            );
          const bytes = await registry.load(RECO_MODEL_NAME, version);
          return recommenderFromBytes(bytes, version).recommend(client, k);
        });
        if (flags.json) return printJson({ client, ...result });
        print(
          [
            `client ${client} (model v${result.modelVersion}, ${result.source})`,
            ...result.items.map(
              (it, i) => `${i + 1}. ${it.product} ${it.score.toFixed(4)} ${it.reasons.join(', ')}`,
            ),
          ].join('\n'),
        );
      } finally {
        await store.close();
      }
    });
}
