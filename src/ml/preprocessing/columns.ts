/**
 * Column sets as the preprocessing steps read them: a header and rows of string | number | null
 * (the shape of a `Table` read from CSV or xlsx), plus cell coercion, column selection and
 * type inference. Missing cells (null, empty text) become NaN for numbers and null for categories.
 */
import { AppError } from '../../errors.js';

export type Cell = string | number | null;

export interface ColumnSet {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A cell as a number: NaN when missing; throws (naming column and row) for text that is not a number. */
export function toNumber(value: unknown, column: string, row: number | string): number {
  if (value === null || value === undefined) return NaN;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const t = value.trim();
    if (t === '') return NaN;
    if (NUMERIC.test(t)) return Number(t);
    // Decimal comma, as in European CSV exports.
    if (NUMERIC.test(t.replace(',', '.'))) return Number(t.replace(',', '.'));
  }
  throw new AppError(
    'ARGUMENT_INVALID',
    `column ${column}, row ${row}: ${JSON.stringify(value)} is not a number`,
  );
}

/** A cell as a category: null when missing. */
export function toCategory(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' ? null : t;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Index of each named column; throws naming the first one the set lacks. */
export function columnIndices(set: ColumnSet, names: readonly string[]): number[] {
  const at = new Map(set.columns.map((c, i) => [c, i]));
  return names.map((name) => {
    const i = at.get(name);
    if (i === undefined)
      throw new AppError(
        'ARGUMENT_INVALID',
        `column ${JSON.stringify(name)} not found; columns: ${set.columns.join(', ')}`,
      );
    return i;
  });
}

/** A new column set with only `names`, in that order. */
export function selectColumns(set: ColumnSet, names: readonly string[]): ColumnSet {
  const idx = columnIndices(set, names);
  return { columns: [...names], rows: set.rows.map((r) => idx.map((i) => r[i] ?? null)) };
}

/** One column as numbers (NaN = missing). */
export function numericColumn(set: ColumnSet, name: string): Float64Array {
  const [i] = columnIndices(set, [name]);
  const out = new Float64Array(set.rows.length);
  set.rows.forEach((r, k) => (out[k] = toNumber(r[i], name, k + 1)));
  return out;
}

/** One column as categories (null = missing). */
export function categoryColumn(set: ColumnSet, name: string): (string | null)[] {
  const [i] = columnIndices(set, [name]);
  return set.rows.map((r) => toCategory(r[i]));
}

/**
 * 'numeric' when every present value is a number or numeric text and there are more than
 * `maxCodes` distinct values or the values are not all small integers; 'categorical' otherwise.
 */
export function inferColumnType(set: ColumnSet, name: string, maxCodes = 0): 'numeric' | 'categorical' {
  const [i] = columnIndices(set, [name]);
  const distinct = new Set<number>();
  for (let k = 0; k < set.rows.length; k++) {
    const v = set.rows[k][i];
    if (v === null) continue;
    if (typeof v === 'string') {
      const t = v.trim();
      if (t === '') continue;
      if (!NUMERIC.test(t)) return 'categorical';
      if (distinct.size <= maxCodes) distinct.add(Number(t));
    } else if (distinct.size <= maxCodes) distinct.add(v);
  }
  return distinct.size > 0 && distinct.size <= maxCodes && [...distinct].every(Number.isInteger)
    ? 'categorical'
    : 'numeric';
}
