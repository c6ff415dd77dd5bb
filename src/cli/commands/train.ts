import type { Command } from 'commander';
import type { Config } from '../../config.js';
import type { FitOptions } from '../../reco/fit.js';
import type { ModelVersion } from '../../store/registry.js';
import { recoDriftReference } from '../../learn/reco-drift.js';
import { closeDuck, openDuck } from '../../data/duckdb.js';
import { attachDataset } from '../../data/dataset-view.js';
import { RECO_MODEL_NAME, recommenderToBytes } from '../../reco/artifact.js';
import { trainRecommender } from '../../reco/train.js';
import { openArtifactStore } from '../../store/artifacts.js';
import { ModelRegistry } from '../../store/registry.js';
import { configWith, print, printJson, withDatabase, type CommonFlags } from '../context.js';
import { addFitFlags, fitOptionsFromFlags, type FitFlags } from '../reco-flags.js';
import { recoProgress } from '../reco-progress.js';
import { numericMetrics, openRuns, tracked } from '../tracking.js';

export { RECO_MODEL_NAME } from '../../reco/artifact.js';

interface Flags extends CommonFlags, FitFlags {
  promote?: boolean;
  quiet?: boolean;
}

export function registerTrain(program: Command): void {
  const cmd = program
    .command('train')
    .description(
      'train the recommendation model on the dataset (holdout metrics on the last month) and register a version',
    )
    .option('--promote', 'promote the new version (default: only when no version is promoted yet)')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print the registered version as JSON')
    .option('--quiet', 'no progress on stderr');
  addFitFlags(cmd);
  cmd.action(async (flags: Flags) => {
    const config = configWith(flags);
    const options = fitOptionsFromFlags(flags);
    const progress = recoProgress('train', flags.quiet);
    const value = await trainAndRegister(config, options, {
      promote: flags.promote ? true : undefined,
      onProgress: progress.onProgress,
    });
    progress.done();
    if (flags.json) return printJson(value);
    const v = value.version;
    print(
      `registered ${v.name} v${v.version}${v.promoted ? ' (promoted)' : ''}: ${value.clients} clients through ${value.lastMonth}; ` +
        `holdout map7 ${v.metrics.map7?.toFixed(4) ?? 'n/a'}`,
    );
  });
}

export interface TrainedVersion {
  version: ModelVersion;
  clients: number;
  lastMonth: string;
}

/**
 * Trains the recommender on the data directory's dataset, registers the version (promoted when
 * asked, or when none is promoted yet) with its holdout metrics and drift reference
 * (`params.drift`), and records the run.
 */
export async function trainAndRegister(
  config: Config,
  options: FitOptions,
  hooks: { promote?: boolean; onProgress?: (note: string, done?: number, total?: number) => void } = {},
): Promise<TrainedVersion> {
  const duck = await openDuck({ threads: config.threads, memoryLimit: config.memoryLimit });
  try {
    const manifest = await attachDataset(duck.conn, config.dataDir, 'santander', 'santander');
    return await withDatabase(config, async (db) => {
      const runs = openRuns(db, config);
      const store = openArtifactStore(config);
      try {
        const registry = new ModelRegistry(db, store);
        const { value } = await tracked(
          runs,
          {
            kind: 'train',
            name: RECO_MODEL_NAME,
            params: { ...options },
            dataFingerprint: `${manifest.version}:${manifest.sources.map((s) => s.sha256.slice(0, 16)).join('+')}`,
          },
          async (run) => {
            const result = await trainRecommender(duck.conn, 'santander', options, {
              onProgress: hooks.onProgress,
            });
            const metrics = result.holdout ? numericMetrics(result.holdout) : {};
            const version = await registry.register(RECO_MODEL_NAME, {
              artifact: recommenderToBytes(result.recommender),
              metrics,
              params: {
                ...options,
                lastMonth: result.lastMonth,
                dataset: manifest.version,
                drift: recoDriftReference(result.recommender),
              },
              runId: run.id,
              promote: hooks.promote,
            });
            return {
              value: { version, clients: result.recommender.clientCount, lastMonth: result.lastMonth },
              end: { metrics, timings: result.timings, artifacts: [version.artifactKey] },
            };
          },
        );
        return value;
      } finally {
        await store.close();
      }
    });
  } finally {
    closeDuck(duck);
  }
}
