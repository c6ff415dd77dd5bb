/** The quality report of one ingest: what was read, fixed, quarantined and written. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { rows, sqlString } from '../duckdb.js';
import type { Manifest } from './dataset.js';
import type { QuarantinedLine } from './quarantine.js';
import { FIX_RULES, QUARANTINE_RULES, type QuarantineRule } from './rules.js';
import { outputColumnNames, type Layout } from './sql.js';

export interface QualityReport {
  ingestId: string;
  dataset: string;
  status: 'succeeded' | 'skipped';
  /** Dataset version the ingest produced (or found, when skipped). */
  version: string;
  source: { path: string; format: string; layout: Layout; bytes: number; sha256: string; encoding: string };
  linesRead: number;
  rowsIngested: number;
  rowsQuarantined: number;
  /** Ingested rows whose (fecha_dato, ncodpers) repeats an earlier row of the same month: kept, and flagged here. */
  duplicateKeyRows: number;
  /** Months this ingest took over from another source file, with the rows they had. */
  replacedMonths: { month: string; rows: number; source: string }[];
  fixes: { rule: string; description: string; rows: number }[];
  quarantine: { rule: QuarantineRule; description: string; lines: number }[];
  firstQuarantined: QuarantinedLine[];
  quarantineFile: string | null;
  /** Nulls per output column after cleaning, over the ingested rows. */
  missing: Record<string, number>;
  droppedColumns: string[];
  months: { month: string; rows: number; clients: number }[];
  renta: Manifest['renta'] & { aboveCap: number };
  seconds: number;
  /** Seconds per phase: the one-pass read and clean (with the checksum scan beside it), line accounting, output statistics. */
  phases?: { readClean: number; account: number; stats: number };
}

const list = (files: string[]) => `[${files.map(sqlString).join(', ')}]`;

/**
 * Rule counts and month sizes of freshly written parquet files (one pass), and nulls per column
 * from the Parquet footers' statistics (no pass at all).
 */
export async function outputStats(
  conn: DuckDBConnection,
  monthFiles: Map<string, string>,
  layout: Layout,
  paddedRows: number,
) {
  const files = [...monthFiles.values()];
  const src = `read_parquet(${list(files)})`;
  const rules = FIX_RULES.filter((r) => r.name !== 'trim_padding');
  const fixSql = rules
    .map((r) => `count(*) FILTER (WHERE dq_flags & ${r.bit} <> 0) AS "${r.name}"`)
    .join(', ');
  const months = await rows<Record<string, string>>(
    conn,
    `SELECT strftime(fecha_dato, '%Y-%m-%d') AS month, count(*) AS rows, ${fixSql} FROM ${src} GROUP BY 1 ORDER BY 1`,
  );
  // Distinct clients month by month: small hash tables are about three times faster than one keyed by month.
  const clients = new Map<string, number>();
  for (const [month, glob] of monthFiles) {
    const [r] = await rows<{ n: string }>(
      conn,
      `SELECT count(DISTINCT ncodpers) AS n FROM read_parquet(${sqlString(glob)})`,
    );
    clients.set(month, Number(r.n));
  }
  const cols = outputColumnNames(layout).filter((c) => c !== 'dq_flags');
  const nulls = await rows<{ col: string; n: string }>(
    conn,
    `SELECT path_in_schema AS col, sum(stats_null_count) AS n FROM parquet_metadata(${list(files)}) GROUP BY 1`,
  );
  const nullsBy = new Map(nulls.map((r) => [r.col, Number(r.n)]));
  const total = (name: string) => months.reduce((acc, m) => acc + Number(m[name]), 0);
  return {
    fixes: FIX_RULES.map((r) => ({
      rule: r.name,
      description: r.description,
      rows: r.name === 'trim_padding' ? paddedRows : total(r.name),
    })),
    missing: Object.fromEntries(cols.map((c) => [c, nullsBy.get(c) ?? 0])),
    months: months.map((m) => ({ month: m.month, rows: Number(m.rows), clients: clients.get(m.month) ?? 0 })),
  };
}

/**
 * Income imputation table over a whole version (median by province, overall median, 99.9th
 * percentile cap) and its distinct clients; then the new rows above the cap.
 */
export async function rentaStats(conn: DuckDBConnection, files: string[], newFiles: string[]) {
  const src = `read_parquet(${list(files)})`;
  const groups = await rows<{ nomprov: string | null; med: number | null; cap: number | null }>(
    conn,
    `SELECT nomprov, median(renta) AS med, quantile_cont(renta, 0.999) AS cap
     FROM ${src} GROUP BY GROUPING SETS ((nomprov), ()) ORDER BY nomprov`,
  );
  const [clients] = await rows<{ n: string }>(conn, `SELECT count(DISTINCT ncodpers) AS n FROM ${src}`);
  const all = groups.find((g) => g.nomprov === null) ?? { med: null, cap: null };
  let aboveCap = 0;
  if (all.cap !== null && newFiles.length) {
    const [r] = await rows<{ n: string }>(
      conn,
      `SELECT count(*) AS n FROM read_parquet(${list(newFiles)}) WHERE renta > ${all.cap}`,
    );
    aboveCap = Number(r.n);
  }
  const medianByProvince: Record<string, number> = {};
  for (const p of groups) if (p.nomprov !== null && p.med !== null) medianByProvince[p.nomprov] = p.med;
  return {
    renta: { medianByProvince, median: all.med, cap: all.cap },
    aboveCap,
    clients: Number(clients.n),
  };
}

export function quarantineSummary(
  byRule: Partial<Record<QuarantineRule, number>>,
): QualityReport['quarantine'] {
  return (Object.keys(QUARANTINE_RULES) as QuarantineRule[])
    .filter((r) => (byRule[r] ?? 0) > 0)
    .map((r) => ({ rule: r, description: QUARANTINE_RULES[r], lines: byRule[r] ?? 0 }));
}

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (n: number, d: number) => (d > 0 ? `${((100 * n) / d).toFixed(2)}%` : '-');

/** Human-readable report: summary, fix rules, quarantine rules, months. */
export function formatReport(r: QualityReport): string {
  const out: string[] = [];
  out.push(
    `Ingest ${r.ingestId} of ${r.source.path} (${r.source.format}, ${r.source.layout} layout, ${r.source.encoding})`,
  );
  if (r.status === 'skipped') {
    out.push(
      `Already ingested (sha256 ${r.source.sha256.slice(0, 12)}…): dataset ${r.dataset} version ${r.version} unchanged.`,
    );
    return out.join('\n');
  }
  out.push(
    `Lines read ${fmt(r.linesRead)} = ingested ${fmt(r.rowsIngested)} + quarantined ${fmt(r.rowsQuarantined)}   ` +
      `(${r.seconds.toFixed(1)} s, dataset ${r.dataset} version ${r.version})`,
  );
  for (const m of r.replacedMonths)
    out.push(`replaced month ${m.month} (${fmt(m.rows)} rows from ${m.source})`);
  if (r.duplicateKeyRows > 0)
    out.push(
      `warning: ${fmt(r.duplicateKeyRows)} rows repeat a client already present in the same month (see clients < rows below)`,
    );
  const w = Math.max(...r.fixes.map((f) => f.rule.length), 24);
  out.push('', `${'fix rule'.padEnd(w)}  ${'rows'.padStart(12)}  ${'share'.padStart(8)}  what it does`);
  for (const f of r.fixes)
    out.push(
      `${f.rule.padEnd(w)}  ${fmt(f.rows).padStart(12)}  ${pct(f.rows, r.rowsIngested).padStart(8)}  ${f.description}`,
    );
  out.push(
    `${'renta_outlier_capped'.padEnd(w)}  ${fmt(r.renta.aboveCap).padStart(12)}  ${pct(r.renta.aboveCap, r.rowsIngested).padStart(8)}  renta above the 99.9th percentile (${r.renta.cap?.toFixed(0) ?? '-'}): capped by the dataset view`,
  );
  out.push(
    `${'column_dropped'.padEnd(w)}  ${'-'.padStart(12)}  ${''.padStart(8)}  dropped: ${r.droppedColumns.join(', ')} (constant in this layout)`,
  );
  if (r.quarantine.length) {
    out.push('', `${'quarantine rule'.padEnd(w)}  ${'lines'.padStart(12)}  ${'share'.padStart(8)}  meaning`);
    for (const q of r.quarantine)
      out.push(
        `${q.rule.padEnd(w)}  ${fmt(q.lines).padStart(12)}  ${pct(q.lines, r.linesRead).padStart(8)}  ${q.description}`,
      );
    for (const q of r.firstQuarantined.slice(0, 5)) out.push(`  line ${q.line}: ${q.rule}: ${q.message}`);
    out.push(`Quarantined lines: ${r.quarantineFile ?? '-'}`);
  } else {
    out.push('', 'Quarantine: none');
  }
  out.push('', `${'month'.padEnd(12)}  ${'rows'.padStart(12)}  ${'clients'.padStart(12)}`);
  for (const m of r.months)
    out.push(`${m.month.padEnd(12)}  ${fmt(m.rows).padStart(12)}  ${fmt(m.clients).padStart(12)}`);
  return out.join('\n');
}
