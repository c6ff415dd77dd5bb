/**
 * Test support for the randomized decisioning test: random clients and random policies (as plain
 * objects, written to YAML for the code under test), and a naive checker that interprets the same
 * objects directly — its own selector resolution, rule evaluation and in-memory contact log —
 * sharing no code with `src/decision`.
 */
import type { Rng } from '../ml/random.js';
import type { Catalog } from '../offers/catalog.js';
import { PRODUCTS, PRODUCT_CODES } from '../reco/products.js';

export interface RandomClient {
  id: number;
  age?: number;
  codProv?: number;
  nomprov?: string;
  consent: Record<string, boolean>;
  holdings: string[];
}

type Sel = string[];
export interface RawPolicy {
  format: 'nextoffer-policy';
  version: string;
  groups: Record<string, Sel>;
  eligibility: {
    age: { products: Sel; min: number; max: number }[];
    holdings: { products: Sel; holds: Sel }[];
    regions: ({ products: Sel; allow: (number | string)[] } | { products: Sel; deny: (number | string)[] })[];
    consent?: { channels: Sel | 'catalog' };
  };
  contacts: {
    limits: { channels: Sel; max: number; days: number }[];
    suppression: { products: Sel; failures: number; days: number }[];
  };
  arbitration: { levers: { products: Sel; weight: number }[] };
}

/** A contact in the checker's own log: days old when the run started, and its latest outcome. */
export interface NaiveContact {
  client: number;
  product: string;
  channel: string;
  ageDays: number;
  failed: boolean;
}

const PROVINCES: [number, string][] = [
  [28, 'MADRID'],
  [8, 'BARCELONA'],
  [51, 'CEUTA'],
  [52, 'MELILLA'],
  [29, 'MALAGA'],
];

const choose = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];
const some = <T>(rng: Rng, xs: readonly T[], max: number): T[] =>
  rng.shuffle([...xs]).slice(0, 1 + rng.int(Math.min(max, xs.length)));

export function randomClient(rng: Rng, id: number, catalog: Catalog): RandomClient {
  const province = rng.bernoulli(0.85) ? choose(rng, PROVINCES) : null;
  const products = [...catalog.products.map((p) => p.code), ...PRODUCTS];
  return {
    id,
    age: rng.bernoulli(0.9) ? 12 + rng.int(80) : undefined,
    codProv: province && rng.bernoulli(0.8) ? province[0] : undefined,
    nomprov: province && rng.bernoulli(0.5) ? province[1] : undefined,
    consent: Object.fromEntries(catalog.channels.map((c) => [c.code, rng.bernoulli(0.6)])),
    holdings: rng.bernoulli(0.8) ? some(rng, products, 6) : [],
  };
}

/** The request features of a client (one of the shapes the service accepts for each fact). */
export function featuresOf(c: RandomClient): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (c.age !== undefined) f.age = c.id % 2 === 0 ? c.age : String(c.age);
  if (c.codProv !== undefined) f.cod_prov = c.codProv;
  if (c.nomprov !== undefined) f.nomprov = c.nomprov;
  for (const [ch, yes] of Object.entries(c.consent)) f[`consent_${ch.toLowerCase()}`] = yes ? 1 : 0;
  const santander = c.holdings.filter((h) => h.startsWith('ind_'));
  santander.forEach((h) => (f[h] = 1));
  f.holdings = c.holdings.filter((h) => !h.startsWith('ind_')).join(',');
  return f;
}

export function randomPolicy(rng: Rng, catalog: Catalog, n: number): RawPolicy {
  const codes = catalog.products.map((p) => p.code);
  const kinds = [...new Set(catalog.products.map((p) => p.kind))];
  const channels = catalog.channels.map((c) => c.code);
  const selector = (): Sel => {
    const r = rng.next();
    if (r < 0.08) return ['*'];
    if (r < 0.16) return ['credit'];
    if (r < 0.28) return [`kind:${choose(rng, kinds)}`];
    if (r < 0.36) return ['group:g1'];
    return some(rng, [...codes, ...PRODUCT_CODES.slice(0, 8), ...PRODUCTS.slice(8)], 6);
  };
  const many = <T>(max: number, make: () => T): T[] => Array.from({ length: rng.int(max + 1) }, make);
  const channelSel = (): Sel => (rng.bernoulli(0.3) ? ['*'] : some(rng, channels, 3));
  const values = () =>
    some(rng, [...PROVINCES.map((p) => p[0]), ...PROVINCES.map((p) => p[1].toLowerCase())], 3);
  return {
    format: 'nextoffer-policy',
    version: `random-${n}`,
    groups: { g1: some(rng, codes, 5) },
    eligibility: {
      age: many(3, () => {
        const min = rng.int(40);
        return { products: selector(), min, max: min + rng.int(70) };
      }),
      holdings: many(2, () => ({ products: selector(), holds: rng.bernoulli(0.5) ? ['self'] : selector() })),
      regions: many(2, () =>
        rng.bernoulli(0.5)
          ? { products: selector(), allow: values() }
          : { products: selector(), deny: values() },
      ),
      consent: rng.bernoulli(0.8) ? { channels: rng.bernoulli(0.4) ? 'catalog' : channelSel() } : undefined,
    },
    contacts: {
      limits: many(3, () => ({ channels: channelSel(), max: rng.int(5), days: 1 + rng.int(30) })),
      suppression: many(2, () => ({ products: selector(), failures: 1 + rng.int(3), days: 1 + rng.int(40) })),
    },
    arbitration: {
      levers: [
        ...many(3, () => ({ products: selector(), weight: rng.bernoulli(0.2) ? 0 : 0.5 + rng.next() * 2 })),
        // Every other policy switches one catalog product off.
        ...(n % 2 === 0 ? [{ products: [choose(rng, codes)], weight: 0 }] : []),
      ],
    },
  };
}

/** The naive checker: rule codes that exclude an offer, evaluated from the raw policy. */
export class NaiveChecker {
  readonly #contacts = new Map<number, NaiveContact[]>();
  readonly #catalog: Catalog;
  readonly #p: RawPolicy;

  constructor(policy: RawPolicy, catalog: Catalog) {
    this.#p = policy;
    this.#catalog = catalog;
  }

  #has(sel: Sel, product: string): boolean {
    return sel.some((s) => {
      if (s === '*') return true;
      if (s === 'credit') return this.#catalog.products.some((p) => p.code === product && p.credit);
      if (s.startsWith('kind:'))
        return this.#catalog.products.some((p) => p.code === product && p.kind === s.slice(5));
      if (s.startsWith('group:')) return this.#has(this.#p.groups[s.slice(6)], product);
      const i = PRODUCT_CODES.indexOf(s);
      return (i >= 0 ? PRODUCTS[i] : s) === product;
    });
  }

  /** Logs a contact (the object stays shared: marking it failed later counts). */
  add(contact: NaiveContact): void {
    const list = this.#contacts.get(contact.client);
    if (list) list.push(contact);
    else this.#contacts.set(contact.client, [contact]);
  }

  #of(client: number): NaiveContact[] {
    return this.#contacts.get(client) ?? [];
  }

  /** Rules excluding `product` for `c` on any channel (`history`: the client is known by id). */
  productRules(c: RandomClient, product: string, history = true): string[] {
    const out: string[] = [];
    const e = this.#p.eligibility;
    for (const r of e.age)
      if (this.#has(r.products, product)) {
        if (c.age === undefined) out.push('AGE_UNKNOWN');
        else if (c.age < r.min || c.age > r.max) out.push('AGE_OUT_OF_RANGE');
      }
    for (const r of e.holdings)
      if (
        this.#has(r.products, product) &&
        c.holdings.some(
          (h) =>
            (r.holds.includes('self') && h === product) ||
            this.#has(
              r.holds.filter((x) => x !== 'self'),
              h,
            ),
        )
      )
        out.push('HOLDS_PRODUCT');
    for (const r of e.regions) {
      if (!this.#has(r.products, product)) continue;
      const list = 'allow' in r ? r.allow : r.deny;
      const hit = list.some(
        (v) => v === c.codProv || (typeof v === 'string' && v === c.nomprov?.toLowerCase()),
      );
      if ('allow' in r && c.codProv === undefined && c.nomprov === undefined) out.push('REGION_UNKNOWN');
      else if ('allow' in r && !hit) out.push('REGION_NOT_ALLOWED');
      else if ('deny' in r && hit) out.push('REGION_DENIED');
    }
    for (const r of this.#p.contacts.suppression) {
      if (!history || !this.#has(r.products, product)) continue;
      const failed = this.#of(c.id).filter(
        (x) => x.client === c.id && x.product === product && x.failed && x.ageDays < r.days,
      );
      if (failed.length >= r.failures) out.push('FAILURE_SUPPRESSED');
    }
    if (this.#p.arbitration.levers.some((l) => l.weight === 0 && this.#has(l.products, product)))
      out.push('LEVER_ZERO');
    return out;
  }

  /** Rules excluding an offer of `product` on `channel`, given the contacts logged so far. */
  offerRules(c: RandomClient, product: string, channel: string): string[] {
    const out = this.productRules(c, product);
    const consent = this.#p.eligibility.consent;
    if (consent) {
      const chans =
        consent.channels === 'catalog'
          ? this.#catalog.channels.filter((x) => x.consentRequired).map((x) => x.code)
          : consent.channels;
      if ((chans.includes('*') || chans.includes(channel)) && !c.consent[channel])
        out.push('CONSENT_MISSING');
    }
    for (const l of this.#p.contacts.limits) {
      if (!l.channels.includes('*') && !l.channels.includes(channel)) continue;
      const n = this.#of(c.id).filter(
        (x) => x.client === c.id && x.channel === channel && x.ageDays < l.days,
      ).length;
      if (n >= l.max) out.push('CONTACT_LIMIT');
    }
    return out;
  }

  /** Value × lever of a product (its final score is propensity × this). */
  multiplier(product: string, margins: ReadonlyMap<string, number>): number {
    const value = this.#catalog.products.find((p) => p.code === product)?.margin ?? margins.get(product) ?? 1;
    return this.#p.arbitration.levers.reduce(
      (m, l) => (this.#has(l.products, product) ? m * l.weight : m),
      value,
    );
  }
}
