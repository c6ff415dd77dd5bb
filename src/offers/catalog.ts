/**
 * The offer catalog: the products a bank offers (with the regulated terms an ad may quote) and its
 * contact channels (structure and length limits). It is a versioned JSON file the bank edits
 * (`catalog/catalog.json` ships demo values; `NEXTOFFER_CATALOG` points to a bank's own file),
 * loaded and validated at start: every error names the product or channel and the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import { AppError, errorMessage } from '../errors.js';
import type { ChannelLimits } from './channel-limits.js';

export const CATALOG_FORMAT = 'nextoffer-catalog';
export const PRODUCT_KINDS = [
  'consumer_credit',
  'mortgage',
  'card',
  'deposit',
  'investment',
  'insurance',
  'service',
] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];
export const CHANNEL_STRUCTURES = ['sms', 'push', 'email', 'banner', 'chat', 'script'] as const;
export type ChannelStructure = (typeof CHANNEL_STRUCTURES)[number];
export const CHANNEL_TONES = ['short', 'friendly', 'formal', 'spoken'] as const;
export type ChannelTone = (typeof CHANNEL_TONES)[number];
/** Conditions an ad may state; for credit they affect the ПСК, otherwise the client's income or cost. */
export const CONDITIONS = ['rate', 'amount', 'term', 'fee'] as const;
export type Condition = (typeof CONDITIONS)[number];

export interface Range {
  min: number;
  max: number;
}

export interface ProductTerms {
  /** Interest (credit: nominal rate; deposit: yield), % per year. */
  rate?: Range;
  /** Full cost of credit (ПСК), % per year; required when `rate` is set on a credit product. */
  psk?: Range;
  /** Amount in rubles. */
  amount?: Range;
  termMonths?: Range;
  /** Service fee in rubles per month (0: free). */
  feeRub?: number;
}

export interface Product {
  code: string;
  /** Full name (the description in Products.xlsx). */
  name: string;
  /** Short name used inside texts, e.g. «кредит наличными». */
  adName: string;
  nameEn: string;
  kind: ProductKind;
  /** Credit (consumer credit law applies): true for loans, mortgages and credit cards. */
  credit: boolean;
  terms: ProductTerms;
  /** Conditions the product's ads may state; for non-credit products stating one requires all. */
  conditions: Condition[];
  /** Page with all the conditions. */
  url: string;
  /** Default recommendation score (0..1) before any feedback: the calibrated prior of confidence. */
  popularity: number;
  /**
   * Value of one sale for arbitration (`src/decision/arbitration.ts`): the expected margin in any
   * unit the bank chooses, the same for every product (the demo uses thousand rubles). Missing: 1.
   */
  margin?: number;
}

export interface Channel {
  code: string;
  name: string;
  structure: ChannelStructure;
  tone: ChannelTone;
  limits: ChannelLimits;
  /** Advertising over telecom networks needs the subscriber's prior consent (38-FZ art. 18). */
  consentRequired: boolean;
}

export interface Provider {
  name: string;
  nameEn: string;
  /** Site named in the mandatory pointer («…на сайте demobank.example»). */
  site: string;
  legalName: string;
}

export interface Catalog {
  format: typeof CATALOG_FORMAT;
  version: string;
  /** True when the terms are illustrative demo values, not a real bank's. */
  demo: boolean;
  provider: Provider;
  products: Product[];
  channels: Channel[];
}

export interface CatalogFinding {
  path: string;
  message: string;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Every problem of a parsed catalog, each naming the product/channel and field (empty: valid). */
export function checkCatalog(raw: unknown): CatalogFinding[] {
  const out: CatalogFinding[] = [];
  const bad = (p: string, message: string) => out.push({ path: p, message });
  if (!isObj(raw)) return [{ path: '$', message: 'must be a JSON object' }];
  if (raw.format !== CATALOG_FORMAT) bad('format', `must be "${CATALOG_FORMAT}"`);
  if (typeof raw.version !== 'string' || raw.version === '') bad('version', 'must be a non-empty string');
  if (typeof raw.demo !== 'boolean') bad('demo', 'must be true or false');
  const str = (o: Obj, key: string, p: string) => {
    const v = o[key];
    if (typeof v !== 'string' || v.trim() === '') bad(`${p}.${key}`, 'must be a non-empty string');
  };
  const num = (v: unknown, p: string, min = 0, max = Infinity) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
      bad(p, `must be a number in ${min}..${max === Infinity ? '∞' : max}`);
  };
  const range = (v: unknown, p: string, max = Infinity) => {
    if (v === undefined) return;
    if (!isObj(v)) return bad(p, 'must be an object {min, max}');
    num(v.min, `${p}.min`, 0, max);
    num(v.max, `${p}.max`, 0, max);
    if (typeof v.min === 'number' && typeof v.max === 'number' && v.min > v.max)
      bad(p, 'min must not exceed max');
  };
  if (!isObj(raw.provider)) bad('provider', 'must be an object');
  else for (const k of ['name', 'nameEn', 'site', 'legalName']) str(raw.provider, k, 'provider');

  const codes = new Set<string>();
  if (!Array.isArray(raw.products) || raw.products.length === 0) bad('products', 'must be a non-empty array');
  else
    raw.products.forEach((pr: unknown, i) => {
      if (!isObj(pr)) return bad(`products[${i}]`, 'must be an object');
      const p = `products[${i}]${typeof pr.code === 'string' ? ` (${pr.code})` : ''}`;
      str(pr, 'code', p);
      if (typeof pr.code === 'string') {
        if (codes.has(pr.code)) bad(`${p}.code`, 'duplicate product code');
        codes.add(pr.code);
      }
      str(pr, 'name', p);
      str(pr, 'adName', p);
      str(pr, 'nameEn', p);
      str(pr, 'url', p);
      if (typeof pr.url === 'string' && !/^https?:\/\//.test(pr.url))
        bad(`${p}.url`, 'must start with http(s)://');
      if (!PRODUCT_KINDS.includes(pr.kind as ProductKind))
        bad(`${p}.kind`, `must be one of ${PRODUCT_KINDS.join(', ')}`);
      if (typeof pr.credit !== 'boolean') bad(`${p}.credit`, 'must be true or false');
      num(pr.popularity, `${p}.popularity`, 0, 1);
      if (pr.margin !== undefined) num(pr.margin, `${p}.margin`);
      if (!isObj(pr.terms)) return bad(`${p}.terms`, 'must be an object');
      const t = pr.terms;
      range(t.rate, `${p}.terms.rate`, 100);
      range(t.psk, `${p}.terms.psk`, 100);
      range(t.amount, `${p}.terms.amount`);
      range(t.termMonths, `${p}.terms.termMonths`, 600);
      if (t.feeRub !== undefined) num(t.feeRub, `${p}.terms.feeRub`);
      if (pr.credit === true && t.rate !== undefined && t.psk === undefined)
        bad(`${p}.terms.psk`, 'a credit product that states a rate must state the ПСК range');
      if (!Array.isArray(pr.conditions)) return bad(`${p}.conditions`, 'must be an array');
      const termKey: Record<Condition, string> = {
        rate: 'rate',
        amount: 'amount',
        term: 'termMonths',
        fee: 'feeRub',
      };
      pr.conditions.forEach((c: unknown, j) => {
        if (!CONDITIONS.includes(c as Condition))
          bad(`${p}.conditions[${j}]`, `must be one of ${CONDITIONS.join(', ')}`);
        else if (t[termKey[c as Condition]] === undefined)
          bad(`${p}.conditions[${j}]`, `"${String(c)}" needs terms.${termKey[c as Condition]}`);
      });
    });

  const chans = new Set<string>();
  if (!Array.isArray(raw.channels) || raw.channels.length === 0) bad('channels', 'must be a non-empty array');
  else
    raw.channels.forEach((ch: unknown, i) => {
      if (!isObj(ch)) return bad(`channels[${i}]`, 'must be an object');
      const p = `channels[${i}]${typeof ch.code === 'string' ? ` (${ch.code})` : ''}`;
      str(ch, 'code', p);
      str(ch, 'name', p);
      if (typeof ch.code === 'string') {
        if (chans.has(ch.code)) bad(`${p}.code`, 'duplicate channel code');
        chans.add(ch.code);
      }
      if (!CHANNEL_STRUCTURES.includes(ch.structure as ChannelStructure))
        bad(`${p}.structure`, `must be one of ${CHANNEL_STRUCTURES.join(', ')}`);
      if (!CHANNEL_TONES.includes(ch.tone as ChannelTone))
        bad(`${p}.tone`, `must be one of ${CHANNEL_TONES.join(', ')}`);
      if (typeof ch.consentRequired !== 'boolean') bad(`${p}.consentRequired`, 'must be true or false');
      if (!isObj(ch.limits)) return bad(`${p}.limits`, 'must be an object');
      const l = ch.limits;
      num(l.bodyMax, `${p}.limits.bodyMax`, 40);
      for (const k of ['maxSegments', 'titleMax', 'subjectMax'])
        if (l[k] !== undefined) num(l[k], `${p}.limits.${k}`, 1);
      if (ch.structure === 'sms' && l.maxSegments === undefined)
        bad(`${p}.limits.maxSegments`, 'required for SMS');
      if (ch.structure === 'push' && l.titleMax === undefined)
        bad(`${p}.limits.titleMax`, 'required for push');
      if (ch.structure === 'email' && l.subjectMax === undefined)
        bad(`${p}.limits.subjectMax`, 'required for e-mail');
    });
  return out;
}

/** Warnings that do not make a catalog invalid: products without a `margin` (arbitration uses 1). */
export function catalogWarnings(catalog: Catalog): string[] {
  return catalog.products
    .filter((p) => p.margin === undefined)
    .map((p) => `product ${p.code}: no margin; arbitration values it at 1`);
}

/** Validates a parsed catalog and returns it typed; throws `CATALOG_INVALID` listing every problem. */
export function parseCatalog(raw: unknown, source = 'catalog'): Catalog {
  const findings = checkCatalog(raw);
  if (findings.length > 0) {
    const list = findings.slice(0, 10).map((f) => `${f.path}: ${f.message}`);
    const more = findings.length > 10 ? `; and ${findings.length - 10} more` : '';
    throw new AppError('CATALOG_INVALID', `${source}: ${list.join('; ')}${more}`);
  }
  return raw as Catalog;
}

/**
 * The catalog shipped with nextoffer (demo values): `catalog/catalog.json` at the project root,
 * found from this module in `src/offers` (tests, tsx) or in `dist/src/offers` (built code).
 */
export const DEFAULT_CATALOG_PATH = ((): string => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.resolve(here, '../../catalog/catalog.json'),
    path.resolve(here, '../../../catalog/catalog.json'),
  ];
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
})();

/** Reads and validates a catalog file (default: the shipped demo catalog). */
export function loadCatalog(file: string = DEFAULT_CATALOG_PATH): Catalog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('INPUT_NOT_FOUND', `catalog ${file}: cannot read (${errorMessage(e)})`, { cause: e });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new AppError('CATALOG_INVALID', `catalog ${file}: not valid JSON (${errorMessage(e)})`, {
      cause: e,
    });
  }
  return parseCatalog(raw, `catalog ${file}`);
}

/** Product by code, or an error listing the codes there are. */
export function productOf(catalog: Catalog, code: string): Product {
  const p = catalog.products.find((x) => x.code === code);
  if (!p)
    throw new AppError(
      'ARGUMENT_INVALID',
      `unknown product "${code}" (catalog ${catalog.version}: ${catalog.products.map((x) => x.code).join(', ')})`,
    );
  return p;
}

/** Channel by code, or an error listing the codes there are. */
export function channelOf(catalog: Catalog, code: string): Channel {
  const c = catalog.channels.find((x) => x.code === code);
  if (!c)
    throw new AppError(
      'ARGUMENT_INVALID',
      `unknown channel "${code}" (catalog ${catalog.version}: ${catalog.channels.map((x) => x.code).join(', ')})`,
    );
  return c;
}

/** The catalog file in effect: `NEXTOFFER_CATALOG` when set, else the shipped demo catalog. */
export function catalogPathFrom(config: Pick<Config, 'catalog'>): string {
  return config.catalog === '' ? DEFAULT_CATALOG_PATH : path.resolve(config.catalog);
}

/** Loads and validates the configured catalog (see `catalogPathFrom`). */
export function loadConfiguredCatalog(config: Pick<Config, 'catalog'>): Catalog {
  return loadCatalog(catalogPathFrom(config));
}
