/** Pieces of the ingest that are not the pipeline itself: the data-dir lock and result shapes. */
import { open, readFile, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AppError, errorMessage, isAppError } from '../../errors.js';
import type { Manifest } from './dataset.js';
import type { QualityReport } from './report.js';
import type { ScanResult } from './scan.js';
import type { Source } from './source.js';

export interface IngestCtx {
  root: string;
  staging: string;
  ingestId: string;
  started: number;
}

/** A per-data-dir lock so two ingests never publish over each other. */
export async function lock(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, '.ingest.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(file, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(await readFile(file, 'utf8').catch(() => '0'));
      let alive = false;
      try {
        alive = pid > 0 && process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (alive)
        throw new AppError('INGEST_FAILED', `another ingest (pid ${pid}) is running on ${dir}`, {
          status: 409,
        });
      await rm(file, { force: true }); // left by a killed ingest
    }
  }
  throw new AppError('INGEST_FAILED', `cannot take the ingest lock ${file}`);
}

export function sourceInfo(source: Source, scan: ScanResult): QualityReport['source'] {
  return {
    path: path.resolve(source.path),
    format: source.format,
    layout: source.layout,
    bytes: scan.bytes,
    sha256: scan.sha256,
    encoding: source.latin1 ? 'latin-1' : 'utf-8',
  };
}

export function skipped(
  ctx: IngestCtx,
  source: Source,
  scan: ScanResult,
  previous: Manifest,
  name: string,
): QualityReport {
  const months = previous.months.filter((m) => m.sourceSha256 === scan.sha256);
  return {
    ingestId: ctx.ingestId,
    dataset: name,
    status: 'skipped',
    version: previous.version,
    source: sourceInfo(source, scan),
    linesRead: Math.max(0, scan.lines - 1),
    rowsIngested: 0,
    rowsQuarantined: 0,
    duplicateKeyRows: 0,
    replacedMonths: [],
    fixes: [],
    quarantine: [],
    firstQuarantined: [],
    quarantineFile: null,
    missing: {},
    droppedColumns: [],
    months: months.map((m) => ({ month: m.month, rows: m.rows, clients: m.clients })),
    renta: { ...previous.renta, aboveCap: 0 },
    seconds: (performance.now() - ctx.started) / 1000,
  };
}

/** Turns a reader failure (truncated gzip, garbage) into a one-line error naming the file. */
export function readError(file: string, e: unknown): AppError {
  if (isAppError(e)) return e;
  const msg = errorMessage(e).split('\n')[0];
  if (/unexpected end of file|incorrect header check|gzip|invalid (block|distance|stored)/i.test(msg))
    return new AppError(
      'INPUT_CORRUPT',
      `${file}: corrupt or truncated gzip data (${msg}); the dataset is unchanged`,
      { cause: e },
    );
  return new AppError('INPUT_CORRUPT', `${file}: cannot be read (${msg}); the dataset is unchanged`, {
    cause: e,
  });
}
