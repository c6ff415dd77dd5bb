/**
 * Reason codes: the features that pushed a product's score up the most for one client (tree path
 * contributions), turned into stable readable codes such as `LAG1_OWNS_CTA_CTE`, `SEASON_JUNE`,
 * `ALS_SIMILAR_CLIENTS` or `POPULAR_IN_SEGMENT`.
 */
import { MONTH_NAMES } from './products.js';

/** The code for feature `name` having value `value` in the client's row. */
export function reasonCode(name: string, value: number): string {
  if (name === 'month_of_year') return Number.isFinite(value) ? `SEASON_${MONTH_NAMES[value - 1]}` : 'SEASON';
  if (name.startsWith('attr_')) return `PROFILE_${name.slice(5).toUpperCase()}`;
  if (name.startsWith('als_')) return 'ALS_SIMILAR_CLIENTS';
  if (name.startsWith('n_products')) return 'PRODUCT_COUNT';
  if (name === 'months_known') return Number.isFinite(value) && value <= 1 ? 'NEW_CLIENT' : 'CLIENT_HISTORY';
  if (name === 'adds_total' || name === 'drops_total') return 'RECENT_ACTIVITY';
  const lag = /^lag(\d+)_(.+)$/.exec(name);
  if (lag) {
    if (!Number.isFinite(value)) return 'NEW_CLIENT';
    return `LAG${lag[1]}_${value === 1 ? 'OWNS' : 'NO'}_${lag[2]}`;
  }
  const prefixed: [string, (code: string) => string][] = [
    ['since_add_', (c) => `RECENT_ADD_${c}`],
    ['since_drop_', (c) => `RECENT_DROP_${c}`],
    ['adds_', (c) => `ADDED_${c}_BEFORE`],
    ['drops_', (c) => `DROPPED_${c}`],
  ];
  for (const [prefix, fn] of prefixed) if (name.startsWith(prefix)) return fn(name.slice(prefix.length));
  return name.toUpperCase();
}

/**
 * Up to `n` distinct codes from the largest positive contributions (`contrib` has one value per
 * feature, then the bias, which is ignored).
 */
export function topReasons(
  contrib: ArrayLike<number>,
  names: readonly string[],
  row: ArrayLike<number>,
  n = 3,
): string[] {
  const order: number[] = [];
  for (let j = 0; j < names.length; j++) if (contrib[j] > 0) order.push(j);
  order.sort((a, b) => contrib[b] - contrib[a]);
  const out: string[] = [];
  for (const j of order) {
    const code = reasonCode(names[j], row[j]);
    if (!out.includes(code)) out.push(code);
    if (out.length === n) break;
  }
  return out;
}
