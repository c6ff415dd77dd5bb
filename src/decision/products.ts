/**
 * The products a policy may name: the catalog's codes (offers, e.g. `CC`, `ПК`) and the 24 Santander
 * products the recommender ranks (`ind_tjcr_fin_ult1`, or its short code `CREDIT_CARD`). Short codes
 * are canonicalised to the `ind_*_ult1` names the recommendation answers use.
 *
 * A product selector is a list of entries, each a product code, `group:<name>` (a group of the
 * policy file), `kind:<catalog kind>` (every catalog product of that kind), `credit` (every catalog
 * product with `credit: true`) or `*` (every product, including ones added later).
 */
import type { Catalog } from '../offers/catalog.js';
import { PRODUCTS, PRODUCT_CODES } from '../reco/products.js';

/** A resolved selector: every product, or a fixed set of canonical codes. */
export type ProductSet = { all: true } | { all: false; codes: ReadonlySet<string> };

export const ALL_PRODUCTS: ProductSet = { all: true };

export function inSet(set: ProductSet, product: string): boolean {
  return set.all || set.codes.has(product);
}

/** Canonical code: Santander short codes become `ind_*_ult1`; other codes are returned as given. */
export function canonicalProduct(code: string): string {
  const i = PRODUCT_CODES.indexOf(code);
  return i >= 0 ? PRODUCTS[i] : code;
}

/** Every product code a policy may name (canonical form). */
export function knownProducts(catalog: Catalog): Set<string> {
  return new Set<string>([...catalog.products.map((p) => p.code), ...PRODUCTS]);
}

/**
 * Resolves one selector list; `problem(message)` is called for each entry that names nothing known.
 * `groups` are the policy's own groups, already resolved.
 */
export function resolveSelector(
  entries: readonly string[],
  catalog: Catalog,
  groups: ReadonlyMap<string, ProductSet>,
  problem: (index: number, message: string) => void,
): ProductSet {
  const known = knownProducts(catalog);
  const codes = new Set<string>();
  let all = false;
  entries.forEach((entry, i) => {
    if (entry === '*') all = true;
    else if (entry === 'credit') catalog.products.filter((p) => p.credit).forEach((p) => codes.add(p.code));
    else if (entry.startsWith('kind:')) {
      const kind = entry.slice(5);
      const of = catalog.products.filter((p) => p.kind === kind);
      if (of.length === 0) problem(i, `no catalog product has kind "${kind}"`);
      of.forEach((p) => codes.add(p.code));
    } else if (entry.startsWith('group:')) {
      const g = groups.get(entry.slice(6));
      if (g === undefined) problem(i, `unknown group "${entry.slice(6)}" (define it under groups)`);
      else if (g.all) all = true;
      else g.codes.forEach((c) => codes.add(c));
    } else {
      const c = canonicalProduct(entry);
      if (!known.has(c))
        problem(i, `unknown product "${entry}" (not in catalog ${catalog.version} nor a Santander product)`);
      codes.add(c);
    }
  });
  return all ? ALL_PRODUCTS : { all: false, codes };
}

/** A readable form of a set for summaries. */
export function describeSet(set: ProductSet): string {
  return set.all ? 'every product' : [...set.codes].join(', ');
}
