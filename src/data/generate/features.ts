/**
 * The client features the product models are written in, shared by the measurement (fitted on the
 * real files) and the generator (applied to synthetic clients), so both read a client the same way.
 *
 * A model is a dense coefficient vector over `FEATURE_COUNT` slots: demographic dummies (reference
 * levels: age 35–44, segment 02 - PARTICULARES, channel outside the named groups, tenure 25–119
 * months), then one slot per owned main product, then one per main product added in the same month.
 */

export const AGE_BANDS = ['<20', '20-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;
export const SEGMENTS = ['01 - TOP', '02 - PARTICULARES', '03 - UNIVERSITARIO', ''] as const;
export const CANAL_GROUPS = ['KAT', 'KFC', 'KHE', 'KHQ', 'KH*', 'missing', 'other'] as const;
export const TENURE_BANDS = ['<=6', '7-24', '25-119', '>=120'] as const;

/** Indices (into SANTANDER_PRODUCTS) of the products used as features: the 17 that are not rare. */
export const MAIN_PRODUCTS = [2, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 17, 18, 19, 21, 22, 23] as const;

/** Slot of each product's "owned" feature (or -1 when it is not a main product). */
export const OWNED_SLOT = new Int16Array(24).fill(-1);
/** Slot of each product's "added this month" feature (or -1). */
export const ADDED_SLOT = new Int16Array(24).fill(-1);

export const DEMO_FEATURES = [
  'intercept',
  'age<20',
  'age20-24',
  'age25-34',
  'age45-54',
  'age55-64',
  'age65+',
  'segTOP',
  'segUNIV',
  'segMissing',
  'rentaZ',
  'rentaMissing',
  'active',
  'male',
  'canalKAT',
  'canalKFC',
  'canalKHE',
  'canalKHQ',
  'canalKHother',
  'canalMissing',
  'tenure<=6',
  'tenure7-24',
  'tenure>=120',
] as const;
export const DEMO_COUNT = DEMO_FEATURES.length;
export const FEATURE_COUNT = DEMO_COUNT + 2 * MAIN_PRODUCTS.length;
MAIN_PRODUCTS.forEach((p, k) => {
  OWNED_SLOT[p] = DEMO_COUNT + k;
  ADDED_SLOT[p] = DEMO_COUNT + MAIN_PRODUCTS.length + k;
});

/** Demographic slot of each level (-1: reference level, no slot). */
export const AGE_SLOT = [1, 2, 3, -1, 4, 5, 6] as const;
export const SEGMENT_SLOT = [7, -1, 8, 9] as const;
export const CANAL_SLOT = [14, 15, 16, 17, 18, 19, -1] as const;
export const TENURE_SLOT = [20, 21, -1, 22] as const;
export const RENTA_Z_SLOT = 10;
export const RENTA_MISSING_SLOT = 11;
export const ACTIVE_SLOT = 12;
export const MALE_SLOT = 13;

/** Standardisation of log(renta) (mean and sd of ln renta, March 2016 sample). */
export const RENTA_LOG_MEAN = 11.563;
export const RENTA_LOG_SD = 0.634;

export function ageBand(age: number): number {
  if (age < 20) return 0;
  if (age < 25) return 1;
  if (age < 35) return 2;
  if (age < 45) return 3;
  if (age < 55) return 4;
  if (age < 65) return 5;
  return 6;
}

export function segmentIndex(segmento: string): number {
  const i = SEGMENTS.indexOf(segmento as (typeof SEGMENTS)[number]);
  return i < 0 ? 3 : i;
}

export function canalGroup(canal: string): number {
  if (canal === '') return 5;
  const named = CANAL_GROUPS.indexOf(canal as (typeof CANAL_GROUPS)[number]);
  if (named >= 0 && named < 4) return named;
  return canal.startsWith('KH') ? 4 : 6;
}

export function tenureBand(months: number): number {
  if (months <= 6) return 0;
  if (months <= 24) return 1;
  if (months < 120) return 2;
  return 3;
}

/** ln(renta) standardised and clipped to ±4; 0 when missing. */
export function rentaZ(renta: number): number {
  if (!(renta > 0)) return 0;
  const z = (Math.log(renta) - RENTA_LOG_MEAN) / RENTA_LOG_SD;
  return Math.max(-4, Math.min(4, z));
}

/** One client's demographic state, as small codes. */
export interface DemoState {
  ageBand: number;
  segment: number;
  rentaZ: number;
  rentaMissing: boolean;
  active: boolean;
  male: boolean;
  canalGroup: number;
  tenureBand: number;
}

/** Linear score of the demographic part of a model (intercept included). */
export function demoScore(coef: ArrayLike<number>, s: DemoState): number {
  let z = coef[0];
  const a = AGE_SLOT[s.ageBand];
  if (a >= 0) z += coef[a];
  const g = SEGMENT_SLOT[s.segment];
  if (g >= 0) z += coef[g];
  if (s.rentaMissing) z += coef[RENTA_MISSING_SLOT];
  else z += coef[RENTA_Z_SLOT] * s.rentaZ;
  if (s.active) z += coef[ACTIVE_SLOT];
  if (s.male) z += coef[MALE_SLOT];
  const c = CANAL_SLOT[s.canalGroup];
  if (c >= 0) z += coef[c];
  const t = TENURE_SLOT[s.tenureBand];
  if (t >= 0) z += coef[t];
  return z;
}

/** Sparse demographic features (slot, value) of a client, appended to `slots`/`values`. */
export function demoFeatures(s: DemoState, slots: number[], values: number[]): void {
  const push = (slot: number, v: number) => {
    if (slot >= 0) {
      slots.push(slot);
      values.push(v);
    }
  };
  push(0, 1);
  push(AGE_SLOT[s.ageBand], 1);
  push(SEGMENT_SLOT[s.segment], 1);
  if (s.rentaMissing) push(RENTA_MISSING_SLOT, 1);
  else push(RENTA_Z_SLOT, s.rentaZ);
  if (s.active) push(ACTIVE_SLOT, 1);
  if (s.male) push(MALE_SLOT, 1);
  push(CANAL_SLOT[s.canalGroup], 1);
  push(TENURE_SLOT[s.tenureBand], 1);
}

/**
 * Order in which a client's initial products are drawn: each product's ownership model may use the
 * products drawn before it (accounts first, then investments, then payroll and what follows it).
 */
export const OWNERSHIP_ORDER = [
  5, 2, 7, 8, 6, 12, 11, 19, 13, 15, 14, 4, 21, 22, 23, 18, 17, 0, 1, 3, 9, 10, 16, 20,
];

/**
 * Order in which a month's additions are drawn: each product's addition model may use the products
 * added just before it in the same month (payroll brings the pension flag, direct debits, etc.).
 */
export const ADD_ORDER = [
  21, 22, 4, 23, 12, 6, 2, 18, 7, 8, 11, 17, 19, 13, 15, 14, 5, 0, 1, 3, 9, 10, 16, 20,
];
