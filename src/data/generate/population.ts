/**
 * The synthetic clients: static attributes drawn once from the measured tables, kept in typed arrays
 * (one slot per client, clients ordered by `fecha_alta` like the real `ncodpers`).
 */
import { Rng, cumulativeWeights } from '../../ml/random.js';
import { RENTA_LOG_MEAN, SEGMENTS, TENURE_BANDS, ageBand, canalGroup, tenureBand } from './features.js';
import { CLIENT_TABLES as T, RAW_QUIRKS } from './marginals.js';
import { COUNTRIES, PROVINCES } from './marginals-geo.js';
import { FROZEN_UNTIL, LEAVE_RATE, REFERENCE_MONTH, arrivalCounts, newClientShare } from './timeline.js';

/** Bits of `Population.flags`. */
export const FLAG = {
  indextS: 1,
  indresiN: 2,
  conyuempN: 4,
  indfallS: 8,
  /** Client columns blank (the raw file's missing-demographics rows) before FROZEN_UNTIL. */
  blank: 16,
  /** On blank rows, payroll flags are `NA` and no product is shown. */
  blankPayrollNA: 32,
  /** `ind_nuevo` is 1 when the reported antiguedad is exactly 6. */
  nuevoAtSix: 64,
  /** `indrel` is 99 (with `ult_fec_cli_1t`) in the last month before leaving. */
  leavesAs99: 128,
} as const;

/** Code of a missing `indrel_1mes` in `Population.indrelMes`. */
export const INDREL_MES_MISSING = 255;
/** Foreign clients and missing channels have index -1. */
export const NONE = -1;

export interface Population {
  size: number;
  months: number;
  /** First month present, first month absent (`months` when never leaving). */
  arrival: Int16Array;
  leave: Int16Array;
  ncodpers: Int32Array;
  /** fecha_alta as a month index from 2015-01 (negative before) and a day 1..28. */
  altaMonth: Int16Array;
  altaDay: Uint8Array;
  /** Age at REFERENCE_MONTH (2016-03) and calendar month (0..11) of the birthday. */
  ageRef: Uint8Array;
  birthMonth: Uint8Array;
  segment: Uint8Array;
  male: Uint8Array;
  /** ind_actividad_cliente; changes over time (see dynamics). */
  active: Uint8Array;
  canal: Int16Array;
  province: Int8Array;
  country: Int16Array;
  /** renta in cents; NaN when missing. */
  rentaCents: Float64Array;
  employee: Uint8Array;
  indrelMes: Uint8Array;
  /** Uniform draw fixing tiprel_1mes given activity. */
  tiprelDraw: Float32Array;
  flags: Uint8Array;
}

const CANAL_GROUP_BY_INDEX = Uint8Array.from(T.canals, (c) => canalGroup(c.code));

/** Channel group (features.ts) of a channel index (NONE: missing). */
export function canalGroupOf(canal: number): number {
  return canal === NONE ? canalGroup('') : CANAL_GROUP_BY_INDEX[canal];
}

/** Age of client c at month t (the birthday moves it up in its calendar month). */
export function ageAt(pop: Population, c: number, t: number): number {
  const b = pop.birthMonth[c];
  const k = (m: number) => Math.floor((m - b + 1200) / 12);
  return Math.max(0, pop.ageRef[c] + k(t) - k(REFERENCE_MONTH));
}

const cum = (w: readonly number[]) => cumulativeWeights(w);
/** Ages of established clients (all rows less those with tenure ≤ 6 months) and of new clients. */
const AGE_CUM = cum(T.ageCounts.map((n, a) => Math.max(0, n - (T.newAgeCounts[a] ?? 0))));
const NEW_AGE_CUM = cum(T.newAgeCounts);
/** Tenure years at 2016-03 of clients registered by 2015-01 (≥ 14 months), by age band. */
const TENURE_YEAR_CUM = T.establishedTenureByAge.map(cum);
/** Tenure months within each tenure year (months ≥ 14 only; year 0 is never drawn). */
const TENURE_MONTH_CUM = Array.from({ length: Math.ceil(T.tenureCounts.length / 12) }, (_, y) => {
  const w = Array.from({ length: 12 }, (_m, k) =>
    12 * y + k >= REFERENCE_MONTH ? (T.tenureCounts[12 * y + k] ?? 0) : 0,
  );
  return w.some((x) => x > 0) ? cum(w) : cum([1]);
});
const SEGMENT_CUM = T.segmentByAge.map(cum);
/** Channel weights by tenure band and segment; sparse cells fall back to the band's segment 02. */
const CANAL_CUM = TENURE_BANDS.map((_, band) =>
  SEGMENTS.map((_s, seg) => {
    const cell = (g: number) => T.canals.map((c) => c.counts[band * SEGMENTS.length + g]);
    return cell(seg).reduce((a, b) => a + b, 0) >= 20 ? cum(cell(seg)) : cum(cell(1));
  }),
);
const PROVINCE_CUM = cum(PROVINCES.map((p) => p.rows));
const COUNTRY_CUM = cum(COUNTRIES.map(([, n]) => n));
const EMPLOYEE_CUM = cum(T.employee.map(([, n]) => n));
const INDREL_MES_CUM = cum(T.indrelMesCodes.map(([, n]) => n));
const FOREIGN_SHARE = T.foreignCount / T.rows;
const INDREL99_GIVEN_LEAVE = Math.min(1, T.indrel99 / LEAVE_RATE);

function allocate(size: number, months: number): Population {
  return {
    size,
    months,
    arrival: new Int16Array(size),
    leave: new Int16Array(size),
    ncodpers: new Int32Array(size),
    altaMonth: new Int16Array(size),
    altaDay: new Uint8Array(size),
    ageRef: new Uint8Array(size),
    birthMonth: new Uint8Array(size),
    segment: new Uint8Array(size),
    male: new Uint8Array(size),
    active: new Uint8Array(size),
    canal: new Int16Array(size),
    province: new Int8Array(size),
    country: new Int16Array(size),
    rentaCents: new Float64Array(size),
    employee: new Uint8Array(size),
    indrelMes: new Uint8Array(size),
    tiprelDraw: new Float32Array(size),
    flags: new Uint8Array(size),
  };
}

/**
 * Arrival, departure, age and fecha_alta of every client, in `fecha_alta` order (counting sort).
 * Established clients' tenure is drawn given their age band, new clients register on arrival.
 */
function drawTimeline(pop: Population, rng: Rng): void {
  const { size, months } = pop;
  const arrival = new Int16Array(size);
  const alta = new Int16Array(size);
  const day = new Uint8Array(size);
  const fresh = new Uint8Array(size);
  const age = new Uint8Array(size);
  const counts = arrivalCounts(size, months);
  let i = 0;
  for (let t = 0; t < months; t++) {
    const share = newClientShare(t);
    for (let k = 0; k < counts[t]; k++, i++) {
      arrival[i] = t;
      fresh[i] = rng.next() < share ? 1 : 0;
      if (fresh[i]) {
        // New clients' ages are their ages on arrival; move them to the reference month.
        age[i] = Math.max(0, Math.min(255, rng.pick(NEW_AGE_CUM) + Math.round((REFERENCE_MONTH - t) / 12)));
        alta[i] = t;
      } else {
        age[i] = rng.pick(AGE_CUM);
        const years = rng.pick(TENURE_YEAR_CUM[ageBand(age[i])]);
        alta[i] = REFERENCE_MONTH - (12 * years + rng.pick(TENURE_MONTH_CUM[years]));
      }
      day[i] = 1 + rng.int(28);
    }
  }
  let minAlta = 0;
  for (let c = 0; c < size; c++) minAlta = Math.min(minAlta, alta[c]);
  const bucket = (c: number) => (alta[c] - minAlta) * 28 + day[c] - 1;
  const start = new Int32Array((months - minAlta + 1) * 28 + 1);
  for (let c = 0; c < size; c++) start[bucket(c) + 1]++;
  for (let b = 1; b < start.length; b++) start[b] += start[b - 1];
  let id = 15889;
  const order = new Int32Array(size);
  for (let c = 0; c < size; c++) order[start[bucket(c)]++] = c;
  for (let j = 0; j < size; j++) {
    const c = order[j];
    pop.arrival[j] = arrival[c];
    pop.altaMonth[j] = alta[c];
    pop.altaDay[j] = day[c];
    pop.ageRef[j] = age[c];
    id += 1 + rng.int(2);
    pop.ncodpers[j] = id;
  }
  const stay = Math.log(1 - LEAVE_RATE);
  for (let c = 0; c < size; c++) {
    const life = 1 + Math.floor(Math.log(1 - rng.next()) / stay);
    pop.leave[c] = Math.min(months, pop.arrival[c] + life);
  }
}

/** Demographics of client c beyond age and tenure. */
function drawClient(pop: Population, c: number, rng: Rng): void {
  pop.birthMonth[c] = rng.int(12);
  const band = ageBand(pop.ageRef[c]);
  const seg = rng.pick(SEGMENT_CUM[band]);
  pop.segment[c] = seg;
  pop.male[c] = rng.next() < T.maleBySegment[seg] ? 1 : 0;
  pop.active[c] = rng.next() < T.activeBySegmentAge[seg][band] ? 1 : 0;
  let flags = 0;
  let canalMissing = false;
  let indrelMissing = false;
  if (seg === 3 && rng.next() < T.segmentMissingCanal) {
    canalMissing = true;
    indrelMissing = rng.next() < T.canalMissingIndrel;
  }
  const tenure = tenureBand(REFERENCE_MONTH - pop.altaMonth[c]);
  pop.canal[c] = canalMissing ? NONE : rng.pick(CANAL_CUM[tenure][seg]);
  pop.indrelMes[c] = indrelMissing ? INDREL_MES_MISSING : rng.pick(INDREL_MES_CUM);
  pop.tiprelDraw[c] = rng.next();
  if (rng.next() < FOREIGN_SHARE) {
    pop.country[c] = rng.pick(COUNTRY_CUM);
    pop.province[c] = NONE;
    pop.rentaCents[c] = NaN;
    if (rng.next() < T.foreignIndresiN) flags |= FLAG.indresiN;
    if (rng.next() < T.indextForeign) flags |= FLAG.indextS;
  } else {
    const p = rng.pick(PROVINCE_CUM);
    const prov = PROVINCES[p];
    pop.country[c] = NONE;
    pop.province[c] = p;
    const missing =
      prov.rentaMissing > 0.95
        ? prov.rentaMissing
        : Math.min(0.99, prov.rentaMissing * T.rentaSegmentMissingRatio[seg]);
    const ln =
      (prov.rentaLogMedian ?? RENTA_LOG_MEAN) + T.rentaSegmentShift[seg] + T.rentaResidualSd * rng.normal();
    pop.rentaCents[c] = rng.next() < missing ? NaN : Math.max(100000, Math.round(Math.exp(ln) * 100));
    if (rng.next() < T.indextResident) flags |= FLAG.indextS;
  }
  pop.employee[c] = rng.pick(EMPLOYEE_CUM);
  if (rng.next() < T.conyuempN) flags |= FLAG.conyuempN;
  if (rng.next() < T.indfallS) flags |= FLAG.indfallS;
  if (rng.next() < T.nuevoAtSix) flags |= FLAG.nuevoAtSix;
  if (pop.leave[c] < pop.months && rng.next() < INDREL99_GIVEN_LEAVE) flags |= FLAG.leavesAs99;
  if (pop.arrival[c] < FROZEN_UNTIL && rng.next() < RAW_QUIRKS.blankRows) {
    flags |= FLAG.blank;
    if (rng.next() < RAW_QUIRKS.blankPayrollNA) flags |= FLAG.blankPayrollNA;
  }
  pop.flags[c] = flags;
}

/** Draws `size` clients over `months` months. */
export function createPopulation(size: number, months: number, rng: Rng): Population {
  const pop = allocate(size, months);
  drawTimeline(pop, rng);
  for (let c = 0; c < size; c++) drawClient(pop, c, rng);
  return pop;
}
