/**
 * The quality report behind the live dataset version: the report of the ingest run that published
 * it (`ingest_runs`, recorded by `nextoffer ingest`), else the `quality.json` the ingest wrote next
 * to the data. Trimmed to what the Data page shows: no quarantined lines (they may hold personal
 * data) and no per-province income table.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { datasetDir, type Manifest } from '../data/ingest/dataset.js';
import type { QualityReport } from '../data/ingest/report.js';
import type { Database } from '../store/db.js';
import { DATASET_NAME } from './dataset-reader.js';

export interface QualitySummary {
  ingest_id: string;
  /** `ingest_runs` when the run was recorded, `file` when read from the ingest's quality.json. */
  origin: 'ingest_runs' | 'file';
  source: { path: string; format: string; bytes: number; sha256: string };
  lines_read: number;
  rows_ingested: number;
  rows_quarantined: number;
  duplicate_key_rows: number;
  fixes: { rule: string; description: string; rows: number }[];
  quarantine: { rule: string; description: string; lines: number }[];
  missing: { column: string; nulls: number }[];
  months: { month: string; rows: number; clients: number }[];
  renta: { median: number | null; cap: number | null; above_cap: number };
  seconds: number;
}

export const QUALITY_SCHEMA = {
  type: ['object', 'null'],
  required: [
    'ingest_id',
    'origin',
    'source',
    'lines_read',
    'rows_ingested',
    'rows_quarantined',
    'duplicate_key_rows',
    'fixes',
    'quarantine',
    'missing',
    'months',
    'renta',
    'seconds',
  ],
  additionalProperties: false,
  properties: {
    ingest_id: { type: 'string' },
    origin: { type: 'string', enum: ['ingest_runs', 'file'] },
    source: {
      type: 'object',
      required: ['path', 'format', 'bytes', 'sha256'],
      additionalProperties: false,
      properties: {
        path: { type: 'string' },
        format: { type: 'string' },
        bytes: { type: 'integer' },
        sha256: { type: 'string' },
      },
    },
    lines_read: { type: 'integer' },
    rows_ingested: { type: 'integer' },
    rows_quarantined: { type: 'integer' },
    duplicate_key_rows: { type: 'integer' },
    fixes: rows({ rule: { type: 'string' }, description: { type: 'string' }, rows: { type: 'integer' } }),
    quarantine: rows({
      rule: { type: 'string' },
      description: { type: 'string' },
      lines: { type: 'integer' },
    }),
    missing: rows({ column: { type: 'string' }, nulls: { type: 'integer' } }),
    months: rows({ month: { type: 'string' }, rows: { type: 'integer' }, clients: { type: 'integer' } }),
    renta: {
      type: 'object',
      required: ['median', 'cap', 'above_cap'],
      additionalProperties: false,
      properties: {
        median: { type: ['number', 'null'] },
        cap: { type: ['number', 'null'] },
        above_cap: { type: 'integer' },
      },
    },
    seconds: { type: 'number' },
  },
} as const;

function rows<P extends Record<string, object>>(properties: P) {
  return {
    type: 'array',
    items: { type: 'object', required: Object.keys(properties), additionalProperties: false, properties },
  } as const;
}

export function summarise(r: QualityReport, origin: QualitySummary['origin']): QualitySummary {
  return {
    ingest_id: r.ingestId,
    origin,
    source: { path: r.source.path, format: r.source.format, bytes: r.source.bytes, sha256: r.source.sha256 },
    lines_read: r.linesRead,
    rows_ingested: r.rowsIngested,
    rows_quarantined: r.rowsQuarantined,
    duplicate_key_rows: r.duplicateKeyRows,
    fixes: r.fixes.map((f) => ({ rule: f.rule, description: f.description, rows: f.rows })),
    quarantine: r.quarantine.map((x) => ({ rule: x.rule, description: x.description, lines: x.lines })),
    missing: Object.entries(r.missing).map(([column, nulls]) => ({ column, nulls })),
    months: r.months.map((m) => ({ month: m.month, rows: m.rows, clients: m.clients })),
    renta: { median: r.renta.median, cap: r.renta.cap, above_cap: r.renta.aboveCap },
    seconds: r.seconds,
  };
}

/** The report of the ingest that published `manifest`'s version, or null when none is found. */
export async function qualityOf(
  db: Database,
  dataDir: string,
  manifest: Manifest,
): Promise<QualitySummary | null> {
  const recorded = await db.query<{ report: QualityReport }>(
    `select report from ingest_runs where status = 'succeeded' and report->>'version' = $1 order by id desc limit 1`,
    [manifest.version],
  );
  if (recorded.length > 0) return summarise(recorded[0].report, 'ingest_runs');
  const source = manifest.sources[manifest.sources.length - 1];
  if (!source) return null;
  const file = path.join(datasetDir(dataDir, DATASET_NAME), 'ingests', source.ingestId, 'quality.json');
  try {
    const report = JSON.parse(await readFile(file, 'utf8')) as QualityReport;
    return report.version === manifest.version ? summarise(report, 'file') : null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
