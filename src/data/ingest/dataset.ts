/**
 * Versioned datasets on disk. A dataset is a directory of immutable versions and a `CURRENT`
 * file naming the live one:
 *
 *   <dataDir>/datasets/<name>/CURRENT                      -> "v20261121-160001-ab12cd"
 *   <dataDir>/datasets/<name>/versions/<id>/manifest.json
 *   <dataDir>/datasets/<name>/versions/<id>/fecha_dato=2015-01-28/*.parquet
 *   <dataDir>/datasets/<name>/ingests/<ingestId>/{quality.json,quarantine.csv}
 *
 * A new version is written aside (`.staging-*`), months it does not replace are hard-linked
 * from the previous version, and `CURRENT` is replaced by an atomic rename: readers see the
 * old version or the new one, never a mix, and a failed ingest leaves the old one untouched.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';

export const MANIFEST_FORMAT = 1;

export interface MonthEntry {
  month: string;
  rows: number;
  clients: number;
  /** Ingest that wrote this month, and its source file checksum. */
  ingestId: string;
  sourceSha256: string;
}

export interface SourceEntry {
  ingestId: string;
  path: string;
  sha256: string;
  bytes: number;
  ingestedAt: string;
  /** Months this file contributed when it was ingested (some may since have been replaced). */
  months: string[];
}

export interface Manifest {
  kind: 'nextoffer.dataset';
  format: number;
  name: string;
  version: string;
  createdAt: string;
  layout: 'train' | 'test';
  columns: string[];
  months: MonthEntry[];
  rows: number;
  clients: number;
  sources: SourceEntry[];
  /** Imputation table applied by the dataset view: renta median by province and the outlier cap. */
  renta: { medianByProvince: Record<string, number>; median: number | null; cap: number | null };
}

export function datasetDir(dataDir: string, name: string): string {
  return path.join(dataDir, 'datasets', name);
}

export function newId(prefix: string): string {
  const ts = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${prefix}${ts}-${randomBytes(3).toString('hex')}`;
}

/** The live version's id, or null when nothing was ingested yet. */
export async function currentVersion(dir: string): Promise<string | null> {
  try {
    const id = (await readFile(path.join(dir, 'CURRENT'), 'utf8')).trim();
    return id === '' ? null : id;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export function versionDir(dir: string, version: string): string {
  return path.join(dir, 'versions', version);
}

export function monthDir(root: string, month: string): string {
  return path.join(root, `fecha_dato=${month}`);
}

export async function readManifest(dir: string, version: string): Promise<Manifest> {
  const file = path.join(versionDir(dir, version), 'manifest.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new AppError('DATASET_NOT_FOUND', `cannot read dataset manifest ${file}`, { cause: e });
  }
  const m = parsed as Partial<Manifest>;
  if (m.kind !== 'nextoffer.dataset' || m.format !== MANIFEST_FORMAT)
    throw new AppError(
      'DATASET_NOT_FOUND',
      `${file}: not a nextoffer dataset manifest of format ${MANIFEST_FORMAT}`,
    );
  return m as Manifest;
}

/** The live manifest of a dataset, or null. */
export async function currentManifest(dataDir: string, name: string): Promise<Manifest | null> {
  const dir = datasetDir(dataDir, name);
  const version = await currentVersion(dir);
  return version ? readManifest(dir, version) : null;
}

/** Was this exact file ingested, with every month it brought still in the dataset? */
export function alreadyIngested(manifest: Manifest | null, sha256: string): boolean {
  const source = manifest?.sources.find((s) => s.sha256 === sha256);
  if (!manifest || !source) return false;
  const owner = new Map(manifest.months.map((m) => [m.month, m.sourceSha256]));
  return source.months.every((m) => owner.get(m) === sha256);
}

/** Hard-links (or copies across devices) every file of a month directory into a staging version. */
export async function carryMonth(fromVersionDir: string, toVersionDir: string, month: string): Promise<void> {
  const from = monthDir(fromVersionDir, month);
  const to = monthDir(toVersionDir, month);
  await mkdir(to, { recursive: true });
  for (const f of await readdir(from)) await link(path.join(from, f), path.join(to, f));
}

/**
 * Publishes a staged version: moves it under versions/, points CURRENT at it atomically and
 * removes versions older than the previous one (kept so a reader that opened it can finish).
 */
export async function publishVersion(dir: string, stagingDir: string, manifest: Manifest): Promise<void> {
  await writeFile(path.join(stagingDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await mkdir(path.join(dir, 'versions'), { recursive: true });
  const previous = await currentVersion(dir);
  await rename(stagingDir, versionDir(dir, manifest.version));
  const tmp = path.join(dir, `CURRENT.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(tmp, `${manifest.version}\n`);
  await rename(tmp, path.join(dir, 'CURRENT'));
  const keep = new Set([manifest.version, previous]);
  for (const v of await readdir(path.join(dir, 'versions'))) {
    if (!keep.has(v)) await rm(path.join(dir, 'versions', v), { recursive: true, force: true });
  }
}

/** Removes staging directories left by an ingest that was killed. */
export async function removeStaleStaging(dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  for (const entry of await readdir(dir)) {
    if (entry.startsWith('.staging-')) await rm(path.join(dir, entry), { recursive: true, force: true });
  }
}

/** Glob of the parquet files of a version, for DuckDB's read_parquet. */
export function parquetGlob(root: string): string {
  return path.join(root, 'fecha_dato=*', '*.parquet');
}
