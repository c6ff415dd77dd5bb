/**
 * Category encoders: one-hot (one 0/1 column per category seen in fit; an unseen category
 * sets none) and ordinal (categories in sorted order → 0, 1, …; unseen → −1). Missing values
 * are replaced first, either by the most frequent category or by the category '(missing)'.
 */
import { AppError } from '../../errors.js';

export type CategoryEncoding = 'onehot' | 'ordinal';
export type CategoryMissing = 'mode' | 'category';
export const MISSING_CATEGORY = '(missing)';

export interface CategoryEncoderJSON {
  kind: 'category-encoder';
  version: 1;
  encoding: CategoryEncoding;
  missing: CategoryMissing;
  categories: string[];
  mode: string;
}

/** Encodes one categorical column. */
export class CategoryEncoder {
  readonly encoding: CategoryEncoding;
  readonly missing: CategoryMissing;
  private state: { categories: string[]; index: Map<string, number>; mode: string } | null = null;

  constructor(options: { encoding: CategoryEncoding; missing?: CategoryMissing }) {
    this.encoding = options.encoding;
    this.missing = options.missing ?? 'category';
  }

  fit(values: readonly (string | null)[]): this {
    const counts = new Map<string, number>();
    for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    let mode = MISSING_CATEGORY;
    let best = -1;
    for (const [c, n] of counts) if (n > best || (n === best && c < mode)) [mode, best] = [c, n];
    const cats = new Set(counts.keys());
    if (this.missing === 'category' && values.some((v) => v === null)) cats.add(MISSING_CATEGORY);
    const categories = [...cats].sort();
    this.state = { categories, index: new Map(categories.map((c, i) => [c, i])), mode };
    return this;
  }

  private s() {
    if (!this.state) throw new AppError('NOT_FITTED', 'CategoryEncoder: call fit() first');
    return this.state;
  }

  get categories(): readonly string[] {
    return this.s().categories;
  }

  /** Output width: categories for one-hot, 1 for ordinal. */
  get width(): number {
    return this.encoding === 'onehot' ? this.s().categories.length : 1;
  }

  /** The category a value stands for after missing-value replacement. */
  resolve(value: string | null): string {
    if (value !== null) return value;
    return this.missing === 'mode' ? this.s().mode : MISSING_CATEGORY;
  }

  /** Writes the encoding of `value` at `out[offset…offset+width)`. */
  encodeInto(value: string | null, out: Float32Array | Float64Array, offset: number): void {
    const s = this.s();
    const code = s.index.get(this.resolve(value));
    if (this.encoding === 'ordinal') {
      out[offset] = code ?? -1;
      return;
    }
    for (let j = 0; j < s.categories.length; j++) out[offset + j] = 0;
    if (code !== undefined) out[offset + code] = 1;
  }

  toJSON(): CategoryEncoderJSON {
    const s = this.s();
    return {
      kind: 'category-encoder',
      version: 1,
      encoding: this.encoding,
      missing: this.missing,
      categories: s.categories,
      mode: s.mode,
    };
  }

  static fromJSON(json: CategoryEncoderJSON): CategoryEncoder {
    if (json?.kind !== 'category-encoder' || json.version !== 1)
      throw new AppError('ARGUMENT_INVALID', `not a version-1 category encoder (kind ${String(json?.kind)})`);
    const e = new CategoryEncoder({ encoding: json.encoding, missing: json.missing });
    e.state = {
      categories: json.categories,
      index: new Map(json.categories.map((c, i) => [c, i])),
      mode: json.mode,
    };
    return e;
  }
}
