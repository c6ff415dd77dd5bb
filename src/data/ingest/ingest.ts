/**
 * `ingest`: reads a Santander file (train_ver2 or test_ver2 layout; .csv, .csv.gz or .zip),
 * cleans it in one DuckDB scan while a byte scanner checksums and counts its lines, accounts
 * for every line (ingested or quarantined), and publishes a new dataset version atomically.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError, errorMessage, isAppError } from '../../errors.js';
import { closeDuck, openDuck, rows, sqlString } from '../duckdb.js';
import {
  alreadyIngested,
  carryMonth,
  currentManifest,
  datasetDir,
  monthDir,
  newId,
  publishVersion,
  removeStaleStaging,
  versionDir,
  type Manifest,
} from './dataset.js';
import { account, writeQuarantine, type DuckReject } from './quarantine.js';
import { formatReport, outputStats, quarantineSummary, rentaStats, type QualityReport } from './report.js';
import { writeWithoutLines } from './sanitize.js';
import { scanFile, type ScanResult } from './scan.js';
import { DEFAULT_LIMITS, openSource, type IngestLimits } from './source.js';
import { lock, readError, skipped, sourceInfo, type IngestCtx } from './ingest-support.js';
import { cleanQuerySql, outputColumnNames, readCsvSql } from './sql.js';

export interface IngestOptions {
  dataDir: string;
  /** DuckDB threads; 0 or absent: one per core. */
  threads?: number;
  memoryLimit?: string;
  /** Ingest even if this exact file (same SHA-256) is already in the dataset. */
  force?: boolean;
  /**
   * Months of this file already in the dataset from another file: replaced (default: the latest
   * delivery of a month wins, and the report lists what it replaced), or, when false, refused
   * with a DATASET_CONFLICT error.
   */
  replace?: boolean;
  /** Fail instead of quarantining when more than this share of lines is bad (default 0.5). */
  maxQuarantineShare?: number;
  /** Zip expansion and line length limits (default DEFAULT_LIMITS, as the config's defaults). */
  limits?: Partial<IngestLimits>;
}

export interface IngestRun {
  onProgress?: (fraction: number, note: string) => void;
  signal?: AbortSignal;
}

export const DATASET_BY_LAYOUT = { train: 'santander', test: 'santander_test' } as const;

export async function ingest(
  file: string,
  options: IngestOptions,
  run: IngestRun = {},
): Promise<QualityReport> {
  const started = performance.now();
  const root = path.join(options.dataDir, 'datasets');
  const release = await lock(root);
  const ingestId = newId('i');
  const staging = path.join(root, `.staging-${ingestId}`);
  try {
    await removeStaleStaging(root);
    await mkdir(staging, { recursive: true });
    return await ingestInto(file, options, run, { root, staging, ingestId, started });
  } catch (e) {
    if (isAppError(e)) throw e;
    throw new AppError('INGEST_FAILED', `${file}: ${errorMessage(e)}`, { cause: e });
  } finally {
    await rm(staging, { recursive: true, force: true });
    await release();
  }
}

async function ingestInto(
  file: string,
  options: IngestOptions,
  run: IngestRun,
  ctx: IngestCtx,
): Promise<QualityReport> {
  if (run.signal?.aborted)
    throw new AppError('INGEST_FAILED', `${file}: cancelled; the dataset is unchanged`);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const source = await openSource(file, ctx.staging, limits);
  const name = DATASET_BY_LAYOUT[source.layout];
  const dir = datasetDir(options.dataDir, name);
  const previous = await currentManifest(options.dataDir, name);
  const outDir = path.join(ctx.staging, 'version');
  const duck = await openDuck({
    threads: options.threads,
    memoryLimit: options.memoryLimit,
    tempDir: path.join(ctx.staging, 'tmp'),
  });
  let scanned: ScanResult | null = null;
  let duplicate = false;
  // The one-pass read is 95 % of the work; DuckDB's own percentage drives the bar until it ends.
  let shown = 0;
  const timer = setInterval(() => {
    const p = duck.conn.progress.percentage;
    shown = Math.max(shown, p >= 0 ? (0.95 * p) / 100 : 0);
    run.onProgress?.(shown, scanned ? 'cleaning' : 'reading');
  }, 200);
  try {
    const scanP = scanFile(source.csvPath, {
      gzip: source.gzip,
      latin1: source.latin1,
      maxLineBytes: limits.maxLineBytes,
      // The CSV reader must not read those lines: it is stopped and rerun on a copy without them.
      onProblem: () => duck.conn.interrupt(),
      signal: run.signal,
    }).then((s) => {
      scanned = s;
      duplicate = !options.force && alreadyIngested(previous, s.sha256);
      if (duplicate) duck.conn.interrupt();
      return s;
    });
    const abort = () => duck.conn.interrupt();
    run.signal?.addEventListener('abort', abort);
    const copySql = (csv: string, gzip: boolean) =>
      `COPY (${cleanQuerySql(readCsvSql(csv, source.header, { latin1: source.latin1, gzip }), source.layout)}) ` +
      `TO ${sqlString(outDir)} (FORMAT parquet, PARTITION_BY (fecha_dato), WRITE_PARTITION_COLUMNS true, PARQUET_VERSION v2)`;
    const copyP = duck.conn.run(copySql(source.csvPath, source.gzip)).then((r) => r.rowsChanged);
    const settled = await Promise.allSettled([scanP, copyP]);
    const scanR = settled[0];
    let copyR = settled[1];
    if (
      scanR.status === 'fulfilled' &&
      scanR.value.problems.length > 0 &&
      !duplicate &&
      !run.signal?.aborted
    ) {
      // Rerun the reader on a copy where the problem lines are empty (same line numbers).
      const clean = path.join(ctx.staging, 'sanitized.csv');
      await writeWithoutLines(
        source.csvPath,
        source.gzip,
        new Set(scanR.value.problems.map((p) => p.line)),
        clean,
        run.signal,
      );
      await rm(outDir, { recursive: true, force: true });
      await duck.conn.run('DROP TABLE IF EXISTS rejects; DROP TABLE IF EXISTS reject_scans');
      [copyR] = await Promise.allSettled([duck.conn.run(copySql(clean, false)).then((r) => r.rowsChanged)]);
    }
    clearInterval(timer);
    run.signal?.removeEventListener('abort', abort);
    if (run.signal?.aborted)
      throw new AppError('INGEST_FAILED', `${file}: cancelled; the dataset is unchanged`);
    if (scanR.status === 'rejected') throw readError(file, scanR.reason);
    const scan = scanR.value;
    if (duplicate && previous) return skipped(ctx, source, scan, previous, name);
    if (copyR.status === 'rejected') throw readError(file, copyR.reason);
    const written = copyR.value;
    const tRead = performance.now();

    const rejects = await rows<DuckReject>(
      duck.conn,
      `SELECT line, error_type, csv_line, error_message FROM rejects ORDER BY line, column_idx`,
    );
    const nullDir = path.join(outDir, 'fecha_dato=__HIVE_DEFAULT_PARTITION__'); // rows whose key failed
    let keyInvalid = 0;
    if (existsSync(nullDir)) {
      const [r] = await rows<{ n: string }>(
        duck.conn,
        `SELECT count(*) AS n FROM read_parquet(${sqlString(path.join(nullDir, '*.parquet'))})`,
      );
      keyInvalid = Number(r.n);
      await rm(nullDir, { recursive: true });
    }
    const acc = account(
      scan,
      rejects.map((r) => ({ ...r, line: Number(r.line) })),
      written,
      keyInvalid,
    );
    const maxShare = options.maxQuarantineShare ?? 0.5;
    if (acc.rowsIngested === 0 || acc.quarantined.length > maxShare * acc.linesRead) {
      const first = acc.quarantined
        .slice(0, 3)
        .map((q) => `line ${q.line}: ${q.rule} (${q.message})`)
        .join('; ');
      throw new AppError(
        'INPUT_CORRUPT',
        `${file}: ${acc.quarantined.length} of ${acc.linesRead} lines cannot be read (limit ${(maxShare * 100).toFixed(0)}%)` +
          `${first ? `: ${first}` : ''}; the dataset is unchanged`,
      );
    }

    run.onProgress?.(0.95, 'publishing');
    const newMonths = (await readdir(outDir))
      .filter((d) => d.startsWith('fecha_dato='))
      .map((d) => d.slice(11))
      .sort();
    const clash = (previous?.months ?? []).filter(
      (m) => newMonths.includes(m.month) && m.sourceSha256 !== scan.sha256,
    );
    if (clash.length && options.replace === false) {
      const from = previous!.sources.find((s) => s.sha256 === clash[0].sourceSha256);
      throw new AppError(
        'DATASET_CONFLICT',
        `${file}: month${clash.length > 1 ? 's' : ''} ${clash.map((m) => m.month).join(', ')} already in dataset ${name} ` +
          `from ${from?.path ?? clash[0].sourceSha256} (ingest ${clash[0].ingestId}) and replacing was turned off. The dataset is unchanged`,
      );
    }
    const newMonthFiles = new Map(newMonths.map((m) => [m, path.join(monthDir(outDir, m), '*.parquet')]));
    const newFiles = [...newMonthFiles.values()];
    const paddedQuarantined = acc.quarantined.filter((q) => scan.isPadded(q.line)).length;
    const tAccount = performance.now();
    const stats = await outputStats(
      duck.conn,
      newMonthFiles,
      source.layout,
      scan.paddedLines - paddedQuarantined,
    );
    const carried = (previous?.months ?? []).filter((m) => !newMonths.includes(m.month));
    for (const m of carried) await carryMonth(versionDir(dir, previous!.version), outDir, m.month);
    const allFiles = [...newMonths, ...carried.map((m) => m.month)].map((m) =>
      path.join(monthDir(outDir, m), '*.parquet'),
    );
    const renta = await rentaStats(duck.conn, allFiles, newFiles);

    const ingestDir = path.join(dir, 'ingests', ctx.ingestId);
    await mkdir(ingestDir, { recursive: true });
    const quarantineFile = acc.quarantined.length ? path.join(ingestDir, 'quarantine.csv') : null;
    if (quarantineFile) await writeQuarantine(quarantineFile, acc.quarantined);

    const version = newId('v');
    const months = [
      ...carried,
      ...stats.months.map((m) => ({ ...m, ingestId: ctx.ingestId, sourceSha256: scan.sha256 })),
    ].sort((a, b) => a.month.localeCompare(b.month));
    const liveShas = new Set(months.map((m) => m.sourceSha256));
    const manifest: Manifest = {
      kind: 'nextoffer.dataset',
      format: 1,
      name,
      version,
      createdAt: new Date().toISOString(),
      layout: source.layout,
      columns: outputColumnNames(source.layout),
      months,
      rows: months.reduce((s, m) => s + m.rows, 0),
      clients: renta.clients,
      sources: [
        ...(previous?.sources ?? []).filter((s) => liveShas.has(s.sha256) && s.sha256 !== scan.sha256),
        {
          ingestId: ctx.ingestId,
          path: path.resolve(file),
          sha256: scan.sha256,
          bytes: scan.bytes,
          ingestedAt: new Date().toISOString(),
          months: newMonths,
        },
      ],
      renta: renta.renta,
    };
    const report: QualityReport = {
      ingestId: ctx.ingestId,
      dataset: name,
      status: 'succeeded',
      version,
      source: sourceInfo(source, scan),
      linesRead: acc.linesRead,
      rowsIngested: acc.rowsIngested,
      rowsQuarantined: acc.quarantined.length,
      duplicateKeyRows: stats.months.reduce((n, m) => n + m.rows - m.clients, 0),
      replacedMonths: clash.map((m) => ({
        month: m.month,
        rows: m.rows,
        source: previous?.sources.find((s) => s.sha256 === m.sourceSha256)?.path ?? m.sourceSha256,
      })),
      fixes: stats.fixes,
      quarantine: quarantineSummary(acc.byRule),
      firstQuarantined: acc.quarantined.slice(0, 10),
      quarantineFile,
      missing: stats.missing,
      droppedColumns: ['tipodom'],
      months: stats.months,
      renta: { ...renta.renta, aboveCap: renta.aboveCap },
      seconds: (performance.now() - ctx.started) / 1000,
      phases: {
        readClean: (tRead - ctx.started) / 1000,
        account: (tAccount - tRead) / 1000,
        stats: (performance.now() - tAccount) / 1000,
      },
    };
    await writeFile(path.join(ingestDir, 'quality.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(path.join(ingestDir, 'quality.txt'), `${formatReport(report)}\n`);
    await publishVersion(dir, outDir, manifest);
    return report;
  } finally {
    clearInterval(timer);
    closeDuck(duck);
  }
}
