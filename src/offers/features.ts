/**
 * Client features → a normalised profile the generator turns into personal hooks. Accepts the
 * Gazprombank `Dataset_Yakutia.xlsx` schema (literal `NULL`, numbers as text, fractional ages,
 * `super_clust` like «a. Супер-ЗП (6,15)»), a Santander client row (`sexo`, `age`, `segmento`), or any
 * JSON object using those names. A value of the wrong type is an error naming the feature.
 *
 * Gender: in the Yakutia data `gender = 1` is female and `0` male. The file has no labels; the data
 * show it: 47 % of gender-0 clients with card activity paid at fuel stations against 19 % of
 * gender-1 clients, and the only «Военнослужащий» is gender 0. Santander `sexo`: `V` male, `H` female.
 */
import { AppError } from '../errors.js';
import type { Gender } from './morphology.js';

/** Segment letters of `super_clust` (a…k) and what they mean. */
export const SEGMENTS: Record<string, string> = {
  a: 'super_salary',
  b: 'current_borrower',
  c: 'salary_indebted',
  d: 'salary_no_bki_consent',
  e: 'super_affluent',
  f: 'super_deposits',
  g: 'new_card_holder',
  h: 'former_salary',
  i: 'former_borrower',
  j: 'deposits_outflow',
  k: 'no_product',
};
export type Segment = (typeof SEGMENTS)[keyof typeof SEGMENTS];

export interface ClientProfile {
  gender: Gender;
  age: number | null;
  /** Salary inflows in the last 12 months (`cnt_zp_12m`). */
  salaryMonths: number | null;
  /** Transaction counts over 3 months. */
  txAll: number | null;
  txFuel: number | null;
  txMobile: number | null;
  txCash: number | null;
  txPurchases: number | null;
  /** Active deposits (`cnt_dep_act`) and their current sum. */
  deposits: number | null;
  depositSum: number | null;
  vehicle: boolean | null;
  /** Job position text (`app_position_type_nm`), null when blank or a bare code. */
  position: string | null;
  /** Purpose of the last office visit (`visit_purposes`: DCARD, DEPOSIT, POTREB…). */
  visitPurpose: string | null;
  monthsSinceVisit: number | null;
  segment: Segment | null;
}

const NULL_TEXT = new Set(['', 'NULL', 'NA', 'NaN', 'null', 'N/A']);

function num(features: Record<string, unknown>, key: string): number | null {
  const v = features[key];
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    return v;
  }
  if (typeof v === 'string') {
    const t = v.trim();
    if (NULL_TEXT.has(t)) return null;
    const x = Number(t.replace(',', '.'));
    if (Number.isFinite(x)) return x;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new AppError('ARGUMENT_INVALID', `feature "${key}": ${JSON.stringify(v)} is not a number`);
}

function text(features: Record<string, unknown>, key: string): string | null {
  const v = features[key];
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string')
    throw new AppError('ARGUMENT_INVALID', `feature "${key}": ${JSON.stringify(v)} is not text`);
  const t = v.trim();
  return NULL_TEXT.has(t) ? null : t;
}

export function parseGender(features: Record<string, unknown>): Gender {
  const raw = features.gender ?? features.sexo;
  if (raw === undefined || raw === null) return 'unknown';
  if (typeof raw !== 'string' && typeof raw !== 'number')
    throw new AppError(
      'ARGUMENT_INVALID',
      `feature "gender": ${JSON.stringify(raw)} is not 0/1, female/male or NULL`,
    );
  const t = String(raw).trim().toLowerCase();
  if (['1', 'f', 'female', 'ж', 'жен', 'h'].includes(t)) return 'female';
  if (['0', 'm', 'male', 'м', 'муж', 'v'].includes(t)) return 'male';
  if (NULL_TEXT.has(String(raw).trim()) || t === 'unknown') return 'unknown';
  throw new AppError(
    'ARGUMENT_INVALID',
    `feature "gender": ${JSON.stringify(raw)} is not 0/1, female/male or NULL`,
  );
}

function segmentOf(features: Record<string, unknown>): Segment | null {
  const s = text(features, 'super_clust') ?? text(features, 'segment');
  if (s !== null) {
    const m = /^([a-k])\./i.exec(s);
    if (m) return SEGMENTS[m[1].toLowerCase()];
    if (Object.values(SEGMENTS).includes(s)) return s;
    return null;
  }
  const seg = text(features, 'segmento');
  if (seg?.startsWith('01')) return 'super_affluent';
  return null;
}

/** The profile of one client from any supported feature object. */
export function clientProfile(features: Record<string, unknown>): ClientProfile {
  const position = text(features, 'app_position_type_nm');
  const vehicle = num(features, 'app_vehicle_ind');
  const count = (k: string) => {
    const v = num(features, k);
    if (v !== null && v < 0) throw new AppError('ARGUMENT_INVALID', `feature "${k}": ${v} is negative`);
    return v;
  };
  return {
    gender: parseGender(features),
    age: num(features, 'age'),
    salaryMonths: count('cnt_zp_12m'),
    txAll: count('cnt_tr_all_3m'),
    txFuel: count('cnt_tr_oil_3m'),
    txMobile: count('cnt_tr_mobile_3m'),
    txCash: count('cnt_tr_cash_3m'),
    txPurchases: count('cnt_tr_buy_3m'),
    deposits: count('cnt_dep_act'),
    depositSum: num(features, 'sum_dep_now'),
    vehicle: vehicle === null ? null : vehicle > 0,
    position: position !== null && /[а-яa-z]/i.test(position) ? position : null,
    visitPurpose: text(features, 'visit_purposes'),
    monthsSinceVisit: count('qnt_months_from_last_visit'),
    segment: segmentOf(features),
  };
}
