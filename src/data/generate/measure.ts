/**
 * Measurements of Santander files in the `train_ver2.csv` layout, real or generated: the same
 * functions produce the figures kept in `marginals.ts` (see `emit-marginals.ts`) and the figures
 * the generator's test compares against them.
 */
import { SANTANDER_PRODUCTS, SANTANDER_TRAIN_HEADER } from '../santander-schema.js';
import { forEachCsvRow } from './csv-read.js';
import { ageBand, canalGroup, rentaZ, segmentIndex, tenureBand, type DemoState } from './features.js';

/** One parsed row. Numbers are NaN when the field is `NA` or empty; strings are trimmed. */
export interface SantanderRecord {
  month: string;
  id: number;
  fields: string[];
  age: number;
  antiguedad: number;
  renta: number;
  /** Bit p set when product p (index in SANTANDER_PRODUCTS) is 1. */
  products: number;
  /** `ind_nomina_ult1` is NA. */
  payrollNA: boolean;
}

const COL = Object.fromEntries(SANTANDER_TRAIN_HEADER.map((c, i) => [c, i])) as Record<string, number>;

/** Column index by name. */
export function col(name: string): number {
  const i = COL[name];
  if (i === undefined) throw new Error(`unknown column ${name}`);
  return i;
}

export function parseRecord(raw: string[]): SantanderRecord {
  const fields = raw.map((f) => f.trim());
  const num = (s: string) => (s === '' || s === 'NA' ? NaN : Number(s));
  let products = 0;
  for (let p = 0; p < 24; p++) if (fields[24 + p] === '1') products |= 1 << p;
  return {
    month: fields[0],
    id: Number(fields[1]),
    fields,
    age: num(fields[col('age')]),
    antiguedad: num(fields[col('antiguedad')]),
    renta: num(fields[col('renta')]),
    products,
    payrollNA: fields[col('ind_nomina_ult1')] === 'NA',
  };
}

/** Reads a file's records, optionally keeping one month only. */
export async function loadRecords(file: string, month?: string): Promise<SantanderRecord[]> {
  const out: SantanderRecord[] = [];
  await forEachCsvRow(file, (f) => {
    if (month === undefined || f[0] === month) out.push(parseRecord(f));
  });
  return out;
}

/** A record's demographic state for the product models, or undefined for a blank-demographics row. */
export function demoStateOf(r: SantanderRecord): DemoState | undefined {
  if (Number.isNaN(r.age)) return undefined;
  const f = r.fields;
  return {
    ageBand: ageBand(r.age),
    segment: segmentIndex(f[col('segmento')]),
    rentaZ: rentaZ(r.renta),
    rentaMissing: Number.isNaN(r.renta),
    active: f[col('ind_actividad_cliente')] === '1',
    male: f[col('sexo')] === 'V',
    canalGroup: canalGroup(f[col('canal_entrada')]),
    tenureBand: tenureBand(Number.isNaN(r.antiguedad) ? 0 : r.antiguedad),
  };
}

/** Share of each value of `column` among `records`, largest first. */
export function shares(records: readonly SantanderRecord[], column: string): Map<string, number> {
  const i = col(column);
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.fields[i], (counts.get(r.fields[i]) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return new Map(sorted.map(([k, v]) => [k, v / Math.max(records.length, 1)]));
}

/** The q-quantile (0..1) of finite values (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v[Math.min(v.length - 1, Math.max(0, Math.round(q * (v.length - 1))))];
}

export interface ClientSummary {
  rows: number;
  ageQuantiles: { p10: number; p25: number; p50: number; p75: number; p90: number };
  rentaMedian: number;
  rentaMissing: number;
  /** Share of rows owning each product, in SANTANDER_PRODUCTS order. */
  ownership: number[];
  /** Share of rows whose client columns are blank (the raw file's missing-demographics rows). */
  blankRows: number;
}

export function summarizeClients(records: readonly SantanderRecord[]): ClientSummary {
  const n = Math.max(records.length, 1);
  const ages = records.map((r) => r.age);
  const rentas = records.map((r) => r.renta);
  return {
    rows: records.length,
    ageQuantiles: {
      p10: quantile(ages, 0.1),
      p25: quantile(ages, 0.25),
      p50: quantile(ages, 0.5),
      p75: quantile(ages, 0.75),
      p90: quantile(ages, 0.9),
    },
    rentaMedian: quantile(rentas, 0.5),
    rentaMissing: rentas.filter((x) => Number.isNaN(x)).length / n,
    ownership: SANTANDER_PRODUCTS.map((_, p) => records.filter((r) => (r.products >> p) & 1).length / n),
    blankRows: records.filter((r) => Number.isNaN(r.age)).length / n,
  };
}

export interface AdditionSummary {
  /** Clients present in both months. */
  clients: number;
  /** Clients adding at least one product. */
  adders: number;
  share: number;
  /** Additions per product / clients present in both months. */
  addRate: number[];
  /** Additions per product / clients not owning it the month before. */
  addRateNonOwners: number[];
  /** Drops per product / owners the month before. */
  dropRateOwners: number[];
  /** Clients of the first month missing from the second. */
  left: number;
}

/** Additions and drops between consecutive months `before` → `after` (records keyed by client id). */
export function summarizeAdditions(
  before: readonly SantanderRecord[],
  after: readonly SantanderRecord[],
): AdditionSummary {
  const next = new Map(after.map((r) => [r.id, r.products]));
  const adds = new Array<number>(24).fill(0);
  const drops = new Array<number>(24).fill(0);
  const owners = new Array<number>(24).fill(0);
  let clients = 0;
  let adders = 0;
  for (const r of before) {
    const now = next.get(r.id);
    if (now === undefined) continue;
    clients++;
    const added = now & ~r.products;
    const dropped = r.products & ~now;
    if (added !== 0) adders++;
    for (let p = 0; p < 24; p++) {
      if ((r.products >> p) & 1) owners[p]++;
      if ((added >> p) & 1) adds[p]++;
      if ((dropped >> p) & 1) drops[p]++;
    }
  }
  const c = Math.max(clients, 1);
  return {
    clients,
    adders,
    share: adders / c,
    addRate: adds.map((a) => a / c),
    addRateNonOwners: adds.map((a, p) => a / Math.max(clients - owners[p], 1)),
    dropRateOwners: drops.map((d, p) => d / Math.max(owners[p], 1)),
    left: before.length - clients,
  };
}

/** Records grouped by month (sorted month keys). */
export function byMonth(records: readonly SantanderRecord[]): Map<string, SantanderRecord[]> {
  const m = new Map<string, SantanderRecord[]>();
  for (const r of records) {
    const list = m.get(r.month);
    if (list) list.push(r);
    else m.set(r.month, [r]);
  }
  return new Map([...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}
