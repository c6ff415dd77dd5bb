import type { Command } from 'commander';
import { currentManifest } from '../../data/ingest/dataset.js';
import { DATASET_BY_LAYOUT } from '../../data/ingest/ingest.js';
import { AppError } from '../../errors.js';
import { configWith, print, printJson, type CommonFlags } from '../context.js';

interface Flags extends CommonFlags {
  name: string;
}

export function registerDataset(program: Command): void {
  program
    .command('dataset')
    .description('show the live version of a dataset: months, rows, clients, sources')
    .option(
      '--name <name>',
      `dataset (${Object.values(DATASET_BY_LAYOUT).join(' | ')})`,
      DATASET_BY_LAYOUT.train,
    )
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print the manifest as JSON')
    .action(async (flags: Flags) => {
      const config = configWith(flags);
      const manifest = await currentManifest(config.dataDir, flags.name);
      if (!manifest)
        throw new AppError(
          'DATASET_NOT_FOUND',
          `no dataset ${flags.name} in ${config.dataDir}; run \`nextoffer ingest FILE\` first`,
        );
      if (flags.json) return printJson(manifest);
      const n = (x: number) => x.toLocaleString('en-US');
      print(
        `dataset ${manifest.name} version ${manifest.version} (${manifest.layout} layout, created ${manifest.createdAt})`,
      );
      print(`${n(manifest.rows)} rows, ${n(manifest.clients)} clients, ${manifest.months.length} months`);
      for (const m of manifest.months)
        print(
          `  ${m.month}  ${n(m.rows).padStart(12)} rows  ${n(m.clients).padStart(10)} clients  ingest ${m.ingestId}`,
        );
      for (const s of manifest.sources)
        print(`source ${s.path} sha256 ${s.sha256.slice(0, 16)}… (${s.ingestId})`);
    });
}
