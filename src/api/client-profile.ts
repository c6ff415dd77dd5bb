/**
 * One client of the ingested dataset: its latest month's client columns (the profile) and the
 * products it held month by month. One parameterised query, bounded by the number of months.
 */
import { SANTANDER_CLIENT_COLUMNS, SANTANDER_PRODUCTS } from '../data/santander-schema.js';
import { AppError } from '../errors.js';
import { DatasetReader, VIEW } from './dataset-reader.js';

/** The profile's columns: the client columns the ingest keeps (`tipodom` is dropped), and whether `renta` was imputed. */
export const PROFILE_COLUMNS: readonly string[] = [
  ...SANTANDER_CLIENT_COLUMNS.filter((c) => c !== 'tipodom'),
  'renta_imputed',
];

export type ProfileValue = string | number | boolean | null;

export interface ClientTimeline {
  months: string[];
  /** `held[m][p]`: 1 when the client held `SANTANDER_PRODUCTS[p]` in `months[m]`, 0 when not, null when unknown. */
  held: (0 | 1 | null)[][];
}

export interface ClientData {
  clientId: number;
  datasetVersion: string;
  /** The client's latest month in the dataset (its profile's month). */
  month: string;
  profile: Record<string, ProfileValue>;
  /** Products held in the latest month. */
  products: string[];
  timeline: ClientTimeline;
}

/** More rows than months would mean duplicate keys; they are bounded all the same. */
const MAX_ROWS = 1000;

function value(v: unknown): ProfileValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

function flag(v: unknown): 0 | 1 | null {
  if (v === null || v === undefined) return null;
  return Number(v) === 1 ? 1 : 0;
}

/** The client's data, or `NOT_FOUND` when no month of the live dataset has it. */
export async function loadClient(reader: DatasetReader, clientId: number): Promise<ClientData> {
  const cols = [
    'CAST(fecha_dato AS VARCHAR) AS month',
    ...PROFILE_COLUMNS.map((c) =>
      /^(fecha_alta|ult_fec_cli_1t)$/.test(c) ? `CAST(${c} AS VARCHAR) AS ${c}` : c,
    ),
    ...SANTANDER_PRODUCTS,
  ];
  const { rows, version } = await reader.use(async (conn, manifest) => ({
    version: manifest.version,
    rows: await DatasetReader.rows<Record<string, unknown>>(
      conn,
      `SELECT ${cols.join(', ')} FROM ${VIEW} WHERE ncodpers = CAST($1 AS INTEGER) ORDER BY fecha_dato LIMIT ${MAX_ROWS}`,
      [clientId],
    ),
  }));
  if (rows.length === 0)
    throw new AppError('NOT_FOUND', `client ${clientId} is not in the dataset (version ${version})`);
  // A month repeated (duplicate keys, flagged by the ingest report) keeps its last row.
  const byMonth = new Map<string, Record<string, unknown>>();
  for (const r of rows) byMonth.set(String(r.month), r);
  const months = [...byMonth.keys()];
  const held = [...byMonth.values()].map((r) => SANTANDER_PRODUCTS.map((p) => flag(r[p])));
  const last = byMonth.get(months[months.length - 1])!;
  const lastHeld = held[held.length - 1];
  return {
    clientId,
    datasetVersion: version,
    month: months[months.length - 1],
    profile: Object.fromEntries(PROFILE_COLUMNS.map((c) => [c, value(last[c])])),
    products: SANTANDER_PRODUCTS.filter((_p, i) => lastHeld[i] === 1),
    timeline: { months, held },
  };
}

/** Segment-model features of a client: its profile, its product flags and their count. */
export function segmentFeatures(data: ClientData): Record<string, unknown> {
  const lastHeld = data.timeline.held[data.timeline.held.length - 1];
  const flags = Object.fromEntries(SANTANDER_PRODUCTS.map((p, i) => [p, lastHeld[i]]));
  return {
    ...data.profile,
    ...flags,
    n_products: lastHeld.reduce<number>((s, v) => s + (v ?? 0), 0),
  };
}
