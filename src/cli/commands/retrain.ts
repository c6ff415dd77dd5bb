import type { Command } from 'commander';
import { parseWhat, retrain, type RetrainResult } from '../../learn/retrain.js';
import { loadCatalog } from '../../offers/catalog.js';
import { openArtifactStore } from '../../store/artifacts.js';
import { configWith, intFlag, print, printJson, withDatabase, type CommonFlags } from '../context.js';
import { recoProgress } from '../reco-progress.js';
import { openRuns } from '../tracking.js';
import { catalogPath } from './catalog.js';

interface Flags extends CommonFlags {
  what: string;
  seed: string;
  quiet?: boolean;
}

function line(r: RetrainResult): string {
  if (r.status === 'skipped') return `${r.model}: skipped — ${r.reason ?? ''}`;
  const m = Object.entries(r.metrics ?? {})
    .filter(([k]) => ['map7', 'brier', 'roc_auc', 'rows'].includes(k))
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(4)}`)
    .join(' ');
  return `${r.model}: registered challenger v${r.version} (run ${r.runId ?? '-'}) ${m}`;
}

export function registerRetrain(program: Command): void {
  program
    .command('retrain')
    .description(
      'retrain on marked outcomes (confidence) and newly ingested months (reco); each new version is a challenger',
    )
    .option('--what <model>', 'confidence | reco | all', 'all')
    .option('--seed <n>', 'seed of the confidence model hold-out split', '1')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print JSON')
    .option('--quiet', 'no progress on stderr')
    .action(async (flags: Flags) => {
      const what = parseWhat(flags.what);
      const config = configWith(flags);
      const progress = recoProgress('retrain', flags.quiet || flags.json);
      const artifacts = openArtifactStore(config);
      try {
        const results = await withDatabase(config, (db) =>
          retrain(
            {
              db,
              artifacts,
              config,
              runs: openRuns(db, config),
              catalog: loadCatalog(catalogPath()),
              seed: intFlag('seed', flags.seed) ?? 1,
              onProgress: progress.onProgress,
            },
            what,
          ),
        );
        progress.done();
        if (flags.json) printJson(results);
        else results.forEach((r) => print(line(r)));
      } finally {
        await artifacts.close();
      }
    });
}
