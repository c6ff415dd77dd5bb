/**
 * Client histories read from the dataset view into typed arrays: one 24-bit ownership mask per
 * client and month (−1 when the client has no row that month), and numeric client attributes
 * for a chosen month. Reading streams DuckDB chunks, so memory is the arrays themselves
 * (about 4 bytes per client-month for the masks).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { AppError } from '../errors.js';
import { sqlString } from '../data/duckdb.js';
import { PRODUCTS, monthDate, monthIndex } from './products.js';

export interface History {
  /** Month indices (year·12 + month − 1), ascending and consecutive. */
  readonly months: Int32Array;
  /** Client ids (ncodpers), ascending. */
  readonly clients: Int32Array;
  /** clients × months, row-major; −1 = no row that month. */
  readonly masks: Int32Array;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

function checkView(view: string): void {
  if (!IDENT.test(view))
    throw new AppError('ARGUMENT_INVALID', `view ${JSON.stringify(view)}: not an identifier`);
}

/** SQL of the ownership mask (bit p = product p; a missing flag counts as not owned). */
export function maskSql(): string {
  return PRODUCTS.map((p, i) => `(coalesce(${p}, 0)::INTEGER << ${i})`).join(' | ');
}

/** Streams a query and calls `onRow` with each row's numeric values (null → NaN). */
export async function streamNumbers(
  conn: DuckDBConnection,
  sql: string,
  onRow: (values: Float64Array) => void,
): Promise<void> {
  const result = await conn.stream(sql);
  const width = result.columnCount;
  const values = new Float64Array(width);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const vectors = Array.from({ length: width }, (_, c) => chunk.getColumnVector(c));
    for (let r = 0; r < chunk.rowCount; r++) {
      for (let c = 0; c < width; c++) {
        const v = vectors[c].getItem(r);
        values[c] = v === null ? Number.NaN : Number(v);
      }
      onRow(values);
    }
  }
}

/** Loads every client's masks for the months `from..to` (inclusive, `YYYY-MM-DD`). */
export async function loadHistory(
  conn: DuckDBConnection,
  view: string,
  from: string,
  to: string,
): Promise<History> {
  checkView(view);
  const m0 = monthIndex(from);
  const m1 = monthIndex(to);
  if (m1 < m0) throw new AppError('ARGUMENT_INVALID', `history: ${to} is before ${from}`);
  const range = `fecha_dato BETWEEN ${sqlString(monthDate(m0))}::DATE AND ${sqlString(monthDate(m1))}::DATE`;
  const ids: number[] = [];
  await streamNumbers(conn, `SELECT DISTINCT ncodpers FROM ${view} WHERE ${range} ORDER BY 1`, (v) => {
    ids.push(v[0]);
  });
  const clients = Int32Array.from(ids);
  const nMonths = m1 - m0 + 1;
  const masks = new Int32Array(clients.length * nMonths).fill(-1);
  await streamNumbers(
    conn,
    `SELECT ncodpers, year(fecha_dato) * 12 + month(fecha_dato) - 1 AS m, ${maskSql()} AS mask FROM ${view} WHERE ${range}`,
    (v) => {
      const c = findClient(clients, v[0]);
      masks[c * nMonths + (v[1] - m0)] = v[2];
    },
  );
  const months = new Int32Array(nMonths);
  for (let i = 0; i < nMonths; i++) months[i] = m0 + i;
  return { months, clients, masks };
}

/** Index of client id `id` in the sorted `clients`, or −1. */
export function findClient(clients: Int32Array, id: number): number {
  let lo = 0;
  let hi = clients.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = clients[mid];
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Numeric client attributes, in this order (categorical columns as small integer codes). */
export const ATTRIBUTES = [
  'age',
  'antiguedad',
  'renta',
  'segmento',
  'sexo',
  'ind_actividad_cliente',
  'ind_nuevo',
  'indrel',
  'indrel_1mes',
  'tiprel_1mes',
  'ind_empleado',
  'indresi',
  'indext',
  'foreigner',
  'cod_prov',
  'canal_entrada',
  'months_since_alta',
  'renta_imputed',
] as const;

/** Frequent `canal_entrada` codes; the rest share one code. */
export const CHANNELS = [
  'KHE',
  'KAT',
  'KFC',
  'KHQ',
  'KFA',
  'KHK',
  'KHM',
  'KHD',
  'KHN',
  'KAS',
  'RED',
  'KAG',
  'KAY',
  'KAA',
  'KAB',
  'KAE',
  'KCC',
  'KBZ',
  'KHL',
  'KFD',
  'KAI',
  'KEY',
  'KAW',
  'KAR',
  'KAZ',
  'KAF',
  '007',
  '013',
  'KCI',
  'KAH',
];

const code = (col: string, values: readonly string[]) =>
  `CASE ${col} ${values.map((v, i) => `WHEN ${sqlString(v)} THEN ${i}`).join(' ')} ELSE NULL END`;

export function attributeSql(): string {
  return [
    'age',
    'antiguedad',
    'renta',
    `CASE substr(segmento, 1, 2) WHEN '01' THEN 1 WHEN '02' THEN 2 WHEN '03' THEN 3 ELSE NULL END`,
    code('sexo', ['H', 'V']),
    'ind_actividad_cliente',
    'ind_nuevo',
    'indrel',
    `CASE WHEN indrel_1mes = 'P' THEN 5 ELSE try_cast(indrel_1mes AS DOUBLE) END`,
    code('tiprel_1mes', ['I', 'A', 'P', 'R', 'N']),
    code('ind_empleado', ['N', 'A', 'B', 'F', 'S']),
    code('indresi', ['N', 'S']),
    code('indext', ['N', 'S']),
    `CASE WHEN pais_residencia IS NULL THEN NULL WHEN pais_residencia = 'ES' THEN 0 ELSE 1 END`,
    'cod_prov',
    `CASE WHEN canal_entrada IS NULL THEN NULL ELSE coalesce(${code('canal_entrada', CHANNELS)}, ${CHANNELS.length}) END`,
    `datediff('month', fecha_alta, fecha_dato)`,
    'renta_imputed::INTEGER',
  ].join(', ');
}

/** Attributes at `month` for every client of `clients` (NaN rows for clients absent that month). */
export async function loadAttributes(
  conn: DuckDBConnection,
  view: string,
  month: string,
  clients: Int32Array,
): Promise<Float32Array> {
  checkView(view);
  const a = ATTRIBUTES.length;
  const out = new Float32Array(clients.length * a).fill(Number.NaN);
  await streamNumbers(
    conn,
    `SELECT ncodpers, ${attributeSql()} FROM ${view} WHERE fecha_dato = ${sqlString(month)}::DATE`,
    (v) => {
      const c = findClient(clients, v[0]);
      if (c < 0) return;
      for (let j = 0; j < a; j++) out[c * a + j] = v[j + 1];
    },
  );
  return out;
}
