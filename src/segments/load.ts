/**
 * Reads the segmentation input: a CSV (`,` or `;`) or xlsx feature table, or the ingested
 * Santander dataset (`dataset` or `dataset:NAME`). Santander panels keep each client's latest
 * month for clustering and the month before it for the churn model; `n_products` is derived.
 */
import { AppError } from '../errors.js';
import { attachDataset } from '../data/dataset-view.js';
import { closeDuck, openDuck, rows as duckRows, sqlString } from '../data/duckdb.js';
import { SANTANDER_PRODUCTS } from '../data/santander-schema.js';
import { readTable, type Cell } from '../data/tables.js';
import { columnIndices, type ColumnSet } from '../ml/preprocessing/columns.js';
import { detectFormat, type FormatFlag, type SegmentFormat } from './formats.js';

export interface SegmentInput {
  source: string;
  format: SegmentFormat;
  set: ColumnSet;
  /** Santander: the month before `month`, for churn labels. */
  previous: ColumnSet | null;
  month: string | null;
}

export interface LoadOptions {
  dataDir: string;
  sheet?: string;
}

const SANTANDER_COLUMNS = [
  'ncodpers',
  'fecha_dato',
  'age',
  'antiguedad',
  'renta',
  'ind_actividad_cliente',
  'segmento',
  'sexo',
  ...SANTANDER_PRODUCTS,
];

/** Adds `n_products` (the sum of the product flags) to a Santander column set. */
export function withProductCount(set: ColumnSet): ColumnSet {
  const idx = columnIndices(set, SANTANDER_PRODUCTS);
  return {
    columns: [...set.columns, 'n_products'],
    rows: set.rows.map((r) => [
      ...r,
      idx.reduce((s, i) => s + (typeof r[i] === 'number' ? r[i] : Number(r[i]) || 0), 0),
    ]),
  };
}

/** Splits a Santander panel by `fecha_dato`: the latest month and the one before it (if any). */
export function splitPanel(set: ColumnSet): { latest: ColumnSet; previous: ColumnSet | null; month: string } {
  const [fi] = columnIndices(set, ['fecha_dato']);
  const months = [...new Set(set.rows.map((r) => String(r[fi])))].sort();
  const month = months[months.length - 1];
  const prevMonth = months.length > 1 ? months[months.length - 2] : null;
  const pick = (m: string) => ({ columns: set.columns, rows: set.rows.filter((r) => String(r[fi]) === m) });
  return { latest: pick(month), previous: prevMonth ? pick(prevMonth) : null, month };
}

async function loadDataset(dataDir: string, name: string): Promise<SegmentInput> {
  const duck = await openDuck({ threads: 1 });
  try {
    const manifest = await attachDataset(duck.conn, dataDir, name, 'ds');
    const months = await duckRows<{ m: string }>(
      duck.conn,
      'SELECT DISTINCT CAST(fecha_dato AS VARCHAR) AS m FROM ds ORDER BY m DESC LIMIT 2',
    );
    if (months.length === 0) throw new AppError('DATASET_NOT_FOUND', `dataset ${name} has no rows`);
    const select = async (m: string): Promise<ColumnSet> => {
      const cols = SANTANDER_COLUMNS.map((c) =>
        c === 'fecha_dato' ? 'CAST(fecha_dato AS VARCHAR) AS fecha_dato' : c,
      ).join(', ');
      const got = await duckRows<Record<string, unknown>>(
        duck.conn,
        `SELECT ${cols} FROM ds WHERE CAST(fecha_dato AS VARCHAR) = ${sqlString(m)}`,
      );
      return withProductCount({
        columns: SANTANDER_COLUMNS,
        rows: got.map((r) =>
          SANTANDER_COLUMNS.map((c): Cell => {
            const v = r[c];
            if (v === null || v === undefined) return null;
            if (typeof v === 'number' || typeof v === 'string')
              return typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
            return typeof v === 'boolean' ? Number(v) : JSON.stringify(v);
          }),
        ),
      });
    };
    const set = await select(months[0].m);
    const previous = months.length > 1 ? await select(months[1].m) : null;
    return {
      source: `dataset ${name} ${manifest.version}`,
      format: 'santander',
      set,
      previous,
      month: months[0].m,
    };
  } finally {
    closeDuck(duck);
  }
}

export async function loadSegmentInput(
  input: string,
  format: FormatFlag,
  options: LoadOptions,
): Promise<SegmentInput> {
  const ds = /^dataset(?::([a-z_][a-z0-9_]*))?$/.exec(input);
  if (ds) {
    if (format !== 'auto' && format !== 'santander')
      throw new AppError(
        'ARGUMENT_INVALID',
        `--input ${input} is the Santander dataset; --format ${format} does not apply`,
      );
    return loadDataset(options.dataDir, ds[1] ?? 'santander');
  }
  const table = await readTable(input, options.sheet ? { sheet: options.sheet } : {});
  const detected = format === 'auto' ? detectFormat(table.columns) : format;
  if (detected !== 'santander')
    return { source: table.source, format: detected, set: table, previous: null, month: null };
  const { latest, previous, month } = splitPanel(table);
  return {
    source: table.source,
    format: detected,
    set: withProductCount(latest),
    previous: previous ? withProductCount(previous) : null,
    month,
  };
}
