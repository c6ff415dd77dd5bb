/**
 * The calendar of the synthetic file: how many clients are present each month (arrivals and
 * departures), and the seasonal effects that the real sample files cannot show (they hold no June).
 */
import { CLIENT_TABLES } from './marginals.js';
import { PRODUCT_RATES } from './product-rates.js';

/**
 * Rows per month of the real `train_ver2.csv`, 2015-01-28 .. 2016-05-28 (the `fecha_dato` counts
 * published in Kaggle kernels; they add up to the file's 13,647,309 rows). The jump of July 2015 is
 * the real file's: ~200k clients appear then, mostly with an older `fecha_alta`.
 */
export const REAL_MONTH_ROWS = [
  625457, 627394, 629209, 630367, 631957, 632110, 829817, 843201, 865440, 892251, 906109, 912021, 916269,
  920904, 925076, 928274, 931453,
];

/** Monthly share of clients leaving: March-sample clients without an April row (184 of 92,627). */
export const LEAVE_RATE =
  PRODUCT_RATES.additions.left / (PRODUCT_RATES.additions.clients + PRODUCT_RATES.additions.left);

/** Index of 2016-03-28 (the month the sample tables describe) from 2015-01-28. */
export const REFERENCE_MONTH = 14;

/** Before this month index (2015-07-28) the raw file reports `antiguedad` and `ult_fec_cli_1t` as of July 2015. */
export const FROZEN_UNTIL = 6;

/** Arrival weight of month t: clients present at t=0, then new rows net of departures. */
function arrivalWeight(t: number): number {
  if (t === 0) return REAL_MONTH_ROWS[0];
  if (t < REAL_MONTH_ROWS.length) {
    return Math.max(0, REAL_MONTH_ROWS[t] - REAL_MONTH_ROWS[t - 1] * (1 - LEAVE_RATE));
  }
  // Beyond the real horizon: the mean arrivals of its last six months.
  let sum = 0;
  for (let k = REAL_MONTH_ROWS.length - 6; k < REAL_MONTH_ROWS.length; k++) sum += arrivalWeight(k);
  return sum / 6;
}

/** Clients first present in each of `months` months, summing to `customers` (largest remainders). */
export function arrivalCounts(customers: number, months: number): Int32Array {
  const w = Array.from({ length: months }, (_, t) => arrivalWeight(t));
  const total = w.reduce((a, b) => a + b, 0);
  const exact = w.map((x) => (x / total) * customers);
  const out = Int32Array.from(exact, Math.floor);
  let rest = customers - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, t) => [x - Math.floor(x), t]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k = (k + 1) % months, rest--) out[order[k][1]]++;
  return out;
}

/**
 * Share of month-t arrivals who are new clients (`fecha_alta` in month t). Registrations of month t
 * are the sample's clients with antiguedad = 14 − t at 2016-03, scaled to the real rows of that month;
 * the others of the month's arrivals are older clients appearing in the file (as in July 2015).
 */
export function newClientShare(t: number): number {
  if (t === 0) return 0;
  const tenure = CLIENT_TABLES.tenureCounts;
  const scale = REAL_MONTH_ROWS[REFERENCE_MONTH] / CLIENT_TABLES.rows;
  const registrations = (k: number) => (tenure[REFERENCE_MONTH - k] ?? 0) * scale;
  let regs: number;
  if (t <= REFERENCE_MONTH) regs = registrations(t);
  else {
    regs = 0;
    for (let k = REFERENCE_MONTH - 5; k <= REFERENCE_MONTH; k++) regs += registrations(k) / 6;
  }
  return Math.min(1, regs / Math.max(arrivalWeight(t), 1));
}

/**
 * Seasonal odds multipliers of additions and drops by calendar month (0 = January), applied on top
 * of the fitted models. Not measurable from the sample files (no June): the Kaggle competition's
 * public analyses show `reca_fin` additions peaking strongly in June (Spanish tax year-end) and
 * again in December, `cco_fin` likewise but less; the extra holdings are dropped over the following
 * months. These are domain assumptions of the generator, kept here in one place.
 */
export const SEASON_ADD: Partial<Record<number, readonly number[]>> = {
  // reca_fin
  17: [1, 1, 1, 1, 1.3, 12, 1.5, 1, 1, 1, 1.3, 3.5],
  // cco_fin
  2: [1.2, 1, 1, 1, 1, 2.4, 1.2, 1, 1, 1, 1, 1.6],
};
export const SEASON_DROP: Partial<Record<number, readonly number[]>> = {
  17: [2, 1.5, 1, 1, 1, 1, 4, 3, 2, 1, 1, 1],
  2: [1.4, 1, 1, 1, 1, 1, 1.8, 1.4, 1, 1, 1, 1],
};

/** Months of history simulated before the first written month, so that lags and re-additions settle. */
export const BURN_IN_MONTHS = 12;
