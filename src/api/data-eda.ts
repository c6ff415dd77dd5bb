/**
 * Exploratory analysis of the ingested Santander dataset for the web UI's Data page: product
 * popularity, ownership and additions month by month, and the age, income, segment and channel
 * distributions of the latest month. A client repeated within a month (duplicate keys) counts
 * once, holding the union of its rows' products. Computed in a few DuckDB passes on the reader's
 * connection; the caller caches the answer per dataset version.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { SANTANDER_PRODUCTS } from '../data/santander-schema.js';
import { PRODUCT_CODES } from '../reco/products.js';
import { DatasetReader, VIEW } from './dataset-reader.js';

export interface Bin {
  from: number;
  /** Exclusive upper edge; null for the open last bin. */
  to: number | null;
  clients: number;
}

export interface Eda {
  dataset: { version: string; rows: number; clients: number; months: string[]; created_at: string };
  products: { product: string; code: string }[];
  /** Latest month: clients holding each product and their share of the month's clients. */
  popularity: { product: string; code: string; clients: number; share: number }[];
  /** `held[m][p]`: clients holding product p in month m. */
  ownership: { months: string[]; clients: number[]; held: number[][] };
  /** `added[m][p]`: clients holding p in month m who did not hold it the month before (clients present in both). */
  additions: { months: string[]; clients: number[]; added: number[][]; total: number[] };
  age: { bins: Bin[]; missing: number };
  /** Declared income (`renta`, imputed values left out): quantiles and 20 equal-width bins from p1 to p99, open at both ends. */
  income: { quantiles: { q: number; value: number }[]; bins: Bin[]; imputed: number };
  segments: { value: string | null; clients: number }[];
  channels: { top: { value: string | null; clients: number }[]; other: number };
}

export const AGE_BIN = 5;
export const AGE_TOP = 100;
export const INCOME_BINS = 20;
export const INCOME_QUANTILES = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1];
export const TOP_CHANNELS = 12;

const N = SANTANDER_PRODUCTS.length;
const bits = (expr: string, alias = 'p') =>
  SANTANDER_PRODUCTS.map((_p, i) => `sum((${expr} >> ${i}) & 1)::INTEGER AS ${alias}${i}`).join(', ');
const counts = (r: Record<string, unknown>) => Array.from({ length: N }, (_x, i) => Number(r[`p${i}`]));

export async function computeEda(conn: DuckDBConnection, manifest: DatasetManifestLike): Promise<Eda> {
  const q = <T>(sql: string, params: (string | number)[] = []) => DatasetReader.rows<T>(conn, sql, params);
  const maskExpr = SANTANDER_PRODUCTS.map((p, i) => `(coalesce(${p}, 0)::INTEGER << ${i})`).join(' | ');
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE eda_masks AS SELECT fecha_dato AS month, ncodpers, bit_or(mask) AS mask ` +
      `FROM (SELECT fecha_dato, ncodpers, ${maskExpr} AS mask FROM ${VIEW}) GROUP BY ALL`,
  );
  const latest = manifest.months[manifest.months.length - 1]?.month ?? '1970-01-28';
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE eda_latest AS SELECT age, renta, renta_imputed, segmento, canal_entrada ` +
      `FROM ${VIEW} WHERE fecha_dato = CAST($1 AS DATE) QUALIFY row_number() OVER (PARTITION BY ncodpers) = 1`,
    [latest],
  );
  try {
    const own = await q<Record<string, unknown>>(
      `SELECT CAST(month AS VARCHAR) AS month, count(*)::INTEGER AS clients, ${bits('mask')} ` +
        `FROM eda_masks GROUP BY month ORDER BY month`,
    );
    const add = await q<Record<string, unknown>>(
      `SELECT CAST(c.month AS VARCHAR) AS month, count(*)::INTEGER AS clients, ${bits('(c.mask & ~p.mask)')} ` +
        `FROM eda_masks c JOIN eda_masks p ON p.ncodpers = c.ncodpers ` +
        `AND p.month = CAST(c.month - INTERVAL 1 MONTH AS DATE) GROUP BY c.month ORDER BY c.month`,
    );
    const ownership = {
      months: own.map((r) => String(r.month)),
      clients: own.map((r) => Number(r.clients)),
      held: own.map(counts),
    };
    const added = add.map(counts);
    const lastHeld = ownership.held[ownership.held.length - 1] ?? new Array<number>(N).fill(0);
    const lastClients = ownership.clients[ownership.clients.length - 1] ?? 0;
    return {
      dataset: {
        version: manifest.version,
        rows: manifest.rows,
        clients: manifest.clients,
        months: manifest.months.map((m) => m.month),
        created_at: manifest.createdAt,
      },
      products: SANTANDER_PRODUCTS.map((product, i) => ({ product, code: PRODUCT_CODES[i] })),
      popularity: SANTANDER_PRODUCTS.map((product, i) => ({
        product,
        code: PRODUCT_CODES[i],
        clients: lastHeld[i],
        share: lastClients > 0 ? lastHeld[i] / lastClients : 0,
      })).sort((a, b) => b.clients - a.clients || a.product.localeCompare(b.product)),
      ownership,
      additions: {
        months: add.map((r) => String(r.month)),
        clients: add.map((r) => Number(r.clients)),
        added,
        total: added.map((row) => row.reduce((s, x) => s + x, 0)),
      },
      age: await ageHistogram(q),
      income: await incomeHistogram(q),
      segments: (
        await q<{ value: string | null; n: number }>(
          `SELECT segmento AS value, count(*)::INTEGER AS n FROM eda_latest GROUP BY 1 ORDER BY n DESC, 1`,
        )
      ).map((r) => ({ value: r.value, clients: Number(r.n) })),
      channels: await channels(q),
    };
  } finally {
    await conn.run('DROP TABLE IF EXISTS eda_masks; DROP TABLE IF EXISTS eda_latest;');
  }
}

/** The parts of the manifest the analysis reports. */
export interface DatasetManifestLike {
  version: string;
  rows: number;
  clients: number;
  createdAt: string;
  months: { month: string }[];
}

type Query = <T>(sql: string, params?: (string | number)[]) => Promise<T[]>;

async function ageHistogram(q: Query): Promise<Eda['age']> {
  const rows = await q<{ bin: number | null; n: number }>(
    `SELECT CASE WHEN age IS NULL THEN NULL ELSE least(greatest(age, 0), ${AGE_TOP}) // ${AGE_BIN} * ${AGE_BIN} END AS bin, ` +
      `count(*)::INTEGER AS n FROM eda_latest GROUP BY 1 ORDER BY 1`,
  );
  const present = rows.filter((r) => r.bin !== null).map((r) => ({ bin: Number(r.bin), n: Number(r.n) }));
  const missing = Number(rows.find((r) => r.bin === null)?.n ?? 0);
  if (present.length === 0) return { bins: [], missing };
  const bins: Bin[] = [];
  for (let b = present[0].bin; b <= present[present.length - 1].bin; b += AGE_BIN) {
    bins.push({
      from: b,
      to: b >= AGE_TOP ? null : b + AGE_BIN,
      clients: present.find((r) => r.bin === b)?.n ?? 0,
    });
  }
  return { bins, missing };
}

async function incomeHistogram(q: Query): Promise<Eda['income']> {
  const [stats] = await q<{ qs: number[] | null; imputed: number }>(
    `SELECT quantile_cont(renta, [${INCOME_QUANTILES.join(', ')}]) FILTER (WHERE NOT renta_imputed AND renta IS NOT NULL) AS qs, ` +
      `count(*) FILTER (WHERE renta_imputed OR renta IS NULL)::INTEGER AS imputed FROM eda_latest`,
  );
  const imputed = Number(stats?.imputed ?? 0);
  const qs = stats?.qs;
  if (!qs) return { quantiles: [], bins: [], imputed };
  const quantiles = INCOME_QUANTILES.map((qq, i) => ({ q: qq, value: Number(qs[i]) }));
  const lo = Number(qs[INCOME_QUANTILES.indexOf(0.01)]);
  const hi = Number(qs[INCOME_QUANTILES.indexOf(0.99)]);
  const width = hi > lo ? (hi - lo) / INCOME_BINS : 1;
  const rows = await q<{ b: number; n: number }>(
    `SELECT least(greatest(floor((renta - $1) / $2), 0), ${INCOME_BINS - 1})::INTEGER AS b, count(*)::INTEGER AS n ` +
      `FROM eda_latest WHERE NOT renta_imputed AND renta IS NOT NULL GROUP BY 1 ORDER BY 1`,
    [lo, width],
  );
  const bins: Bin[] = Array.from({ length: INCOME_BINS }, (_x, b) => ({
    from: lo + b * width,
    to: b === INCOME_BINS - 1 ? null : lo + (b + 1) * width,
    clients: Number(rows.find((r) => Number(r.b) === b)?.n ?? 0),
  }));
  return { quantiles, bins, imputed };
}

async function channels(q: Query): Promise<Eda['channels']> {
  const rows = await q<{ value: string | null; n: number }>(
    `SELECT canal_entrada AS value, count(*)::INTEGER AS n FROM eda_latest GROUP BY 1 ORDER BY n DESC, 1`,
  );
  return {
    top: rows.slice(0, TOP_CHANNELS).map((r) => ({ value: r.value, clients: Number(r.n) })),
    other: rows.slice(TOP_CHANNELS).reduce((s, r) => s + Number(r.n), 0),
  };
}
