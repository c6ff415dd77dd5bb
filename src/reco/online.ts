/**
 * Encoding a client described in a request (raw Santander-style fields) into the numeric
 * attributes the models use — the same codes as the SQL in `history.ts`.
 */
import { AppError } from '../errors.js';
import { ATTRIBUTES, CHANNELS } from './history.js';
import { PRODUCTS, PRODUCT_CODES, monthIndex } from './products.js';

export type RawValue = string | number | null | undefined;

/** A client unknown to the model: raw attributes and, when known, owned products by month. */
export interface OnlineClient {
  attributes?: Record<string, RawValue>;
  /**
   * Products owned, most recent month first (`history[0]` = this month); product names
   * (`ind_cco_fin_ult1`) or codes (`CTA_CTE`). Empty or absent: no history (cold start).
   */
  history?: readonly (readonly string[])[];
}

const CODES: Record<string, readonly string[]> = {
  sexo: ['H', 'V'],
  tiprel_1mes: ['I', 'A', 'P', 'R', 'N'],
  ind_empleado: ['N', 'A', 'B', 'F', 'S'],
  indresi: ['N', 'S'],
  indext: ['N', 'S'],
};

function num(field: string, v: RawValue): number {
  if (v === null || v === undefined || v === '') return Number.NaN;
  const x = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isFinite(x))
    throw new AppError('ARGUMENT_INVALID', `attributes.${field}: ${JSON.stringify(v)} is not a number`);
  return x;
}

function coded(field: string, v: RawValue, values: readonly string[]): number {
  if (v === null || v === undefined || v === '') return Number.NaN;
  const i = values.indexOf(String(v).trim());
  if (i < 0)
    throw new AppError(
      'ARGUMENT_INVALID',
      `attributes.${field}: ${JSON.stringify(v)} is not one of ${values.join(', ')}`,
    );
  return i;
}

/** Numeric attributes (ATTRIBUTES order) of a raw client at month `asOf` (`YYYY-MM-DD`). */
export function encodeAttributes(raw: Record<string, RawValue>, asOf: string): Float32Array {
  const known = new Set<string>([...ATTRIBUTES, 'pais_residencia', 'fecha_alta']);
  for (const k of Object.keys(raw))
    if (!known.has(k)) throw new AppError('ARGUMENT_INVALID', `attributes.${k}: unknown field`);
  const out = new Float32Array(ATTRIBUTES.length);
  ATTRIBUTES.forEach((a, i) => {
    const v = raw[a];
    switch (a) {
      case 'segmento': {
        const s = v === null || v === undefined ? '' : String(v).slice(0, 2);
        out[i] = s === '01' ? 1 : s === '02' ? 2 : s === '03' ? 3 : Number.NaN;
        break;
      }
      case 'indrel_1mes':
        out[i] = v === 'P' ? 5 : num(a, v);
        break;
      case 'canal_entrada': {
        const c = v === null || v === undefined || v === '' ? null : String(v);
        out[i] = c === null ? Number.NaN : CHANNELS.indexOf(c) >= 0 ? CHANNELS.indexOf(c) : CHANNELS.length;
        break;
      }
      case 'foreigner': {
        const p = raw.pais_residencia;
        out[i] = p === null || p === undefined || p === '' ? num(a, v) : p === 'ES' ? 0 : 1;
        break;
      }
      case 'months_since_alta': {
        const f = raw.fecha_alta;
        out[i] =
          typeof f === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(f)
            ? monthIndex(asOf) - monthIndex(f)
            : num(a, v);
        break;
      }
      default:
        out[i] = a in CODES ? coded(a, v, CODES[a]) : num(a, v);
    }
  });
  return out;
}

/** Ownership mask of a list of product names or codes. */
export function productMask(products: readonly string[], where = 'history'): number {
  let mask = 0;
  for (const p of products) {
    let i = PRODUCTS.indexOf(p as (typeof PRODUCTS)[number]);
    if (i < 0) i = PRODUCT_CODES.indexOf(p);
    if (i < 0) throw new AppError('ARGUMENT_INVALID', `${where}: unknown product ${JSON.stringify(p)}`);
    mask |= 1 << i;
  }
  return mask;
}
