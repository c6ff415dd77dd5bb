import path from 'node:path';
import type { Command } from 'commander';
import { ingest } from '../../data/ingest/ingest.js';
import { formatReport, type QualityReport } from '../../data/ingest/report.js';
import { IngestRuns } from '../../store/ingest-runs.js';
import type { Config } from '../../config.js';
import {
  configWith,
  intFlag,
  numberFlag,
  print,
  printJson,
  sha256File,
  withDatabase,
  type CommonFlags,
} from '../context.js';
import { createProgress } from '../progress.js';

interface Flags extends CommonFlags {
  force?: boolean;
  replace?: boolean;
  threads?: string;
  maxQuarantineShare?: string;
}

/** Ingests a file and records the run (success, skip or failure) in the database. */
export async function runIngest(
  config: Config,
  file: string,
  flags: Flags,
  showProgress: boolean,
): Promise<QualityReport> {
  const progress = createProgress(`ingest ${path.basename(file)}`, {
    enabled: showProgress && process.stderr.isTTY,
  });
  let report: QualityReport;
  // Ctrl-C cancels cleanly: DuckDB is interrupted, the staging files removed, the dataset untouched.
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    report = await ingest(
      file,
      {
        dataDir: config.dataDir,
        threads: intFlag('threads', flags.threads) ?? config.threads,
        memoryLimit: config.memoryLimit,
        limits: {
          zipMaxBytes: config.ingestZipMaxMib * 1024 * 1024,
          zipMaxRatio: config.ingestZipMaxRatio,
          maxLineBytes: config.ingestMaxLineBytes,
        },
        force: flags.force,
        replace: flags.replace,
        maxQuarantineShare: numberFlag('max-quarantine-share', flags.maxQuarantineShare, 0, 1),
      },
      { onProgress: (f, note) => progress.update(f, 1, note), signal: controller.signal },
    );
  } catch (e) {
    progress.done('failed');
    const sha = await sha256File(file);
    if (sha) {
      await withDatabase(config, async (db) => {
        const runs = new IngestRuns(db);
        const run = await runs.start({ sourcePath: path.resolve(file), sourceSha256: sha });
        await runs.fail(run.id, e);
      }).catch(() => undefined); // the ingest error is the one to report
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  progress.done();
  await withDatabase(config, async (db) => {
    const runs = new IngestRuns(db);
    const run = await runs.start({ sourcePath: report.source.path, sourceSha256: report.source.sha256 });
    await runs.finish(run.id, {
      status: report.status,
      rowsRead: report.linesRead,
      rowsIngested: report.rowsIngested,
      rowsQuarantined: report.rowsQuarantined,
      months: report.months.map((m) => m.month),
      report,
    });
  });
  return report;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('clean a Santander file (.csv, .csv.gz, .zip) into the dataset and print its quality report')
    .argument('<file>', 'train_ver2 or test_ver2 layout')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print the quality report as JSON on stdout')
    .option('--force', 'ingest even if this exact file was ingested before')
    .option('--no-replace', 'refuse (instead of replace) months that another file put in the dataset')
    .option('--threads <n>', 'DuckDB threads (default: NEXTOFFER_THREADS, 0 = all cores)')
    .option('--max-quarantine-share <x>', 'fail when more than this share of lines is bad (default 0.5)')
    .action(async (file: string, flags: Flags) => {
      const config = configWith(flags);
      const report = await runIngest(config, file, flags, !flags.json);
      if (flags.json) printJson(report);
      else print(formatReport(report));
    });
}
