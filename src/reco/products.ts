/** The 24 Santander products with readable codes (used in reason codes and API answers). */
import { SANTANDER_PRODUCTS, type SantanderProduct } from '../data/santander-schema.js';

export const PRODUCTS: readonly SantanderProduct[] = SANTANDER_PRODUCTS;
export const N_PRODUCTS = PRODUCTS.length;

/** Short upper-case code per product, in `PRODUCTS` order. */
export const PRODUCT_CODES: readonly string[] = [
  'SAVINGS',
  'GUARANTEES',
  'CTA_CTE',
  'DERIVATIVES',
  'CTA_NOMINA',
  'CTA_JOVEN',
  'CTA_MAS',
  'CTA_PARTICULAR',
  'CTA_PART_PLUS',
  'DEPO_SHORT',
  'DEPO_MEDIUM',
  'DEPO_LONG',
  'E_ACCOUNT',
  'FUNDS',
  'MORTGAGE',
  'PENSION_PLAN',
  'LOANS',
  'TAXES',
  'CREDIT_CARD',
  'SECURITIES',
  'HOME_ACCOUNT',
  'PAYROLL',
  'PENSIONS',
  'DIRECT_DEBIT',
];

export const MONTH_NAMES = [
  'JANUARY',
  'FEBRUARY',
  'MARCH',
  'APRIL',
  'MAY',
  'JUNE',
  'JULY',
  'AUGUST',
  'SEPTEMBER',
  'OCTOBER',
  'NOVEMBER',
  'DECEMBER',
] as const;

/** Bits set in an ownership mask (bit p = product p). */
export function maskItems(mask: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < N_PRODUCTS; p++) if ((mask >>> p) & 1) out.push(p);
  return out;
}

export function bitCount(mask: number): number {
  let m = mask >>> 0;
  let n = 0;
  while (m) {
    m &= m - 1;
    n++;
  }
  return n;
}

/** Month index (year·12 + month − 1) of a `YYYY-MM-DD` date. */
export function monthIndex(date: string): number {
  const [y, m] = date.split('-').map(Number);
  return y * 12 + m - 1;
}

export function monthDate(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-28`;
}
