/**
 * Synthetic Santander data in the exact `train_ver2.csv` layout: one row per active client per month
 * from 2015-01-28, rows ordered by month then client. Deterministic for a seed.
 *
 *   for await (const chunk of generateSantanderCsv({ customers: 1000, months: 17, seed: 1 })) …
 *   await writeSantanderCsv('demo.csv.gz', { customers: 20_000, months: 17, seed: 1 });
 */
import { SANTANDER_FIRST_MONTH, SANTANDER_PRODUCTS, addMonths } from '../santander-schema.js';
import { AppError } from '../../errors.js';
import { Rng } from '../../ml/random.js';
import { ProductDynamics, type MonthStats } from './dynamics.js';
import { HEADER_LINE, RowFormatter } from './format.js';
import { createPopulation } from './population.js';
import { BURN_IN_MONTHS, REFERENCE_MONTH } from './timeline.js';

export interface GenerateOptions {
  /** Distinct clients over the whole period (arrivals included). */
  customers: number;
  /** Months written, from 2015-01-28. */
  months: number;
  /** Seed of the generator: the same options give a byte-identical file. */
  seed: number;
}

export const DEFAULT_GENERATE_OPTIONS: Readonly<GenerateOptions> = { customers: 20_000, months: 17, seed: 1 };

/** Run settings, kept apart from the options that shape the data. */
export interface GenerateRunOptions {
  /** Work done and total, in client-months (burn-in months included). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface MonthSummary {
  month: string;
  rows: number;
  /** Clients present the month before and adding ≥ 1 product (null for the first month). */
  adders: number | null;
  adderShare: number | null;
  /** Additions per product (null for the first month). */
  additions: Record<string, number> | null;
}

export interface GenerateSummary {
  rows: number;
  customers: number;
  months: number;
  seed: number;
  firstMonth: string;
  lastMonth: string;
  perMonth: MonthSummary[];
}

export interface Finding {
  code: 'OUT_OF_RANGE' | 'NOT_INTEGER';
  path: keyof GenerateOptions;
  message: string;
}

const LIMITS: Record<keyof GenerateOptions, [number, number]> = {
  customers: [1, 5_000_000],
  months: [1, 120],
  seed: [0, Number.MAX_SAFE_INTEGER],
};

/** Problems with `options` (empty when valid). */
export function checkGenerateOptions(options: GenerateOptions): Finding[] {
  const findings: Finding[] = [];
  for (const key of Object.keys(LIMITS) as (keyof GenerateOptions)[]) {
    const v = options[key];
    const [lo, hi] = LIMITS[key];
    if (!Number.isInteger(v))
      findings.push({ code: 'NOT_INTEGER', path: key, message: `${key} must be an integer` });
    else if (v < lo || v > hi) {
      findings.push({
        code: 'OUT_OF_RANGE',
        path: key,
        message: `${key} must be between ${lo} and ${hi}, got ${v}`,
      });
    }
  }
  return findings;
}

export function assertGenerateOptions(options: GenerateOptions): void {
  const findings = checkGenerateOptions(options);
  if (findings.length > 0) throw new AppError('ARGUMENT_INVALID', findings.map((f) => f.message).join('; '));
}

/** Characters per yielded chunk (about 1 MB). */
const CHUNK_CHARS = 1 << 20;

function monthSummary(month: string, rows: number, stats: MonthStats | undefined): MonthSummary {
  if (!stats) return { month, rows, adders: null, adderShare: null, additions: null };
  const additions: Record<string, number> = {};
  SANTANDER_PRODUCTS.forEach((p, i) => (additions[p] = stats.additions[i]));
  return {
    month,
    rows,
    adders: stats.adders,
    adderShare: stats.adders / Math.max(stats.continuing, 1),
    additions,
  };
}

/** The file's text in chunks (header first); returns the summary when done. */
export async function* generateSantanderCsv(
  options: GenerateOptions,
  run: GenerateRunOptions = {},
): AsyncGenerator<string, GenerateSummary, undefined> {
  assertGenerateOptions(options);
  const { customers, months, seed } = options;
  const { signal, onProgress } = run;
  signal?.throwIfAborted();
  const rng = new Rng(seed);
  const pop = createPopulation(customers, months, rng);
  const dynamics = new ProductDynamics(pop, rng);
  const formatter = new RowFormatter(pop, new Rng(seed + 1));
  const { arrival, leave } = pop;

  let initial = 0;
  let total = 0;
  for (let c = 0; c < customers; c++) {
    if (arrival[c] === 0) initial++;
    total += leave[c] - arrival[c];
  }
  total += initial * BURN_IN_MONTHS;
  let done = 0;

  for (let c = 0; c < customers; c++) if (arrival[c] === 0) dynamics.start(c, REFERENCE_MONTH);
  for (let t = 1 - BURN_IN_MONTHS; t <= 0; t++) {
    dynamics.step(t, (c) => arrival[c] === 0);
    done += initial;
    onProgress?.(done, total);
    signal?.throwIfAborted();
    await Promise.resolve();
  }

  yield HEADER_LINE;
  const perMonth: MonthSummary[] = [];
  for (let t = 0; t < months; t++) {
    const stats = t > 0 ? dynamics.step(t, (c) => arrival[c] < t && leave[c] > t) : undefined;
    formatter.setMonth(t);
    let chunk = '';
    let rows = 0;
    for (let c = 0; c < customers; c++) {
      if (arrival[c] > t || leave[c] <= t) continue;
      if (arrival[c] === t && t > 0) dynamics.start(c, t);
      chunk += formatter.row(c, t, dynamics.owned[c]);
      rows++;
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
        signal?.throwIfAborted();
        onProgress?.(done + rows, total);
      }
    }
    if (chunk.length > 0) yield chunk;
    done += rows;
    onProgress?.(done, total);
    perMonth.push(monthSummary(addMonths(SANTANDER_FIRST_MONTH, t), rows, stats));
  }
  return {
    rows: perMonth.reduce((a, m) => a + m.rows, 0),
    customers,
    months,
    seed,
    firstMonth: SANTANDER_FIRST_MONTH,
    lastMonth: addMonths(SANTANDER_FIRST_MONTH, months - 1),
    perMonth,
  };
}
