import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { writeSantanderCsv } from '../../data/generate/write.js';
import { datasetDir, readManifest } from '../../data/ingest/dataset.js';
import { formatReport } from '../../data/ingest/report.js';
import { configWith, print, printJson, type CommonFlags } from '../context.js';
import { createProgress } from '../progress.js';
import { runIngest } from './ingest.js';

/**
 * The main job on embedded defaults: generate the demo data set (once per size and seed),
 * ingest it into the data directory and print the quality report.
 */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('demo on embedded defaults: generate synthetic data, ingest it, print the quality report')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print the quality report as JSON on stdout')
    .action(async (flags: CommonFlags) => {
      const config = configWith(flags);
      const { demoCustomers: customers, demoMonths: months, demoSeed: seed } = config;
      const demoDir = path.join(config.dataDir, 'demo');
      await mkdir(demoDir, { recursive: true });
      const file = path.join(demoDir, `train_ver2-demo-c${customers}-m${months}-s${seed}.csv`);
      const log = (s: string) => (flags.json ? process.stderr.write(`${s}\n`) : print(s));
      log(`nextoffer: data directory ${config.dataDir}`);
      if (existsSync(file)) {
        log(`demo data: ${file} (already generated)`);
      } else {
        const progress = createProgress('generate demo data', {
          enabled: !flags.json && process.stderr.isTTY,
        });
        const summary = await writeSantanderCsv(
          file,
          { customers, months, seed },
          { onProgress: (done, total) => progress.update(done, total) },
        );
        progress.done();
        log(
          `demo data: ${file}: ${summary.rows.toLocaleString('en-US')} rows, ${customers} clients, ${months} months`,
        );
      }
      // The demo file owns the demo months: a different size or seed replaces them.
      const report = await runIngest(config, file, {}, !flags.json);
      if (flags.json) {
        printJson(report);
        return;
      }
      if (report.status === 'skipped' && report.months.length) {
        const manifestIngest = await lastQualityText(config.dataDir, report.dataset, report.version);
        print(manifestIngest ?? formatReport(report));
      } else {
        print(formatReport(report));
      }
      print(
        `\nDataset ${report.dataset} version ${report.version} is ready in ${datasetDir(config.dataDir, report.dataset)}`,
      );
    });
}

/** The stored report of the ingest that produced a version, when re-running on the same data. */
async function lastQualityText(dataDir: string, dataset: string, version: string): Promise<string | null> {
  const dir = datasetDir(dataDir, dataset);
  try {
    const manifest = await readManifest(dir, version);
    const last = manifest.sources.at(-1);
    return last ? await readFile(path.join(dir, 'ingests', last.ingestId, 'quality.txt'), 'utf8') : null;
  } catch {
    return null;
  }
}
