/**
 * Strict validation of a policy file and its compilation into resolved rules. Unknown fields, wrong
 * types, bad ranges, unknown product/channel codes (against the catalog and the Santander product
 * list) and unknown groups are findings `{path, message}`; the policy is returned only when there
 * are none.
 */
import type { Catalog } from '../offers/catalog.js';
import type {
  AgeRule,
  ChannelSet,
  ConsentRule,
  ContactLimit,
  HoldingRule,
  Lever,
  Policy,
  RegionRule,
  Suppression,
} from './policy.js';
import { canonicalProduct, knownProducts, resolveSelector, type ProductSet } from './products.js';

export interface PolicyFinding {
  path: string;
  message: string;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function compilePolicy(
  raw: unknown,
  catalog: Catalog,
  source: string,
): { policy: Policy | null; findings: PolicyFinding[] } {
  const findings: PolicyFinding[] = [];
  const bad = (path: string, message: string) => findings.push({ path, message });
  const fields = (o: Obj, at: string, allowed: readonly string[]) => {
    for (const k of Object.keys(o))
      if (!allowed.includes(k))
        bad(at === '' ? k : `${at}.${k}`, `unknown field (allowed: ${allowed.join(', ')})`);
  };
  const num = (v: unknown, at: string, min: number, max: number, integer = false): number => {
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      v < min ||
      v > max ||
      (integer && !Number.isInteger(v))
    ) {
      bad(at, `must be ${integer ? 'an integer' : 'a number'} in ${min}..${max}, got ${JSON.stringify(v)}`);
      return Number.NaN;
    }
    return v;
  };
  const strings = (v: unknown, at: string): string[] => {
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string' && x !== '')) {
      bad(at, 'must be a non-empty list of codes');
      return [];
    }
    return v as string[];
  };
  const list = (o: Obj, key: string, at: string): Obj[] => {
    const v = o[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      bad(`${at}.${key}`, 'must be a list of rules');
      return [];
    }
    return v.flatMap((r: unknown, i) => {
      if (isObj(r)) return [r];
      bad(`${at}.${key}[${i}]`, 'must be a mapping');
      return [];
    });
  };
  const section = (o: Obj, key: string, allowed: readonly string[]): Obj => {
    const v = o[key];
    if (v === undefined || v === null) return {};
    if (!isObj(v)) {
      bad(key, 'must be a mapping');
      return {};
    }
    fields(v, key, allowed);
    return v;
  };

  if (!isObj(raw)) return { policy: null, findings: [{ path: '$', message: 'must be a YAML mapping' }] };
  fields(raw, '', ['format', 'version', 'groups', 'eligibility', 'contacts', 'arbitration']);
  if (raw.format !== 'nextoffer-policy') bad('format', 'must be "nextoffer-policy"');
  if (typeof raw.version !== 'string' || raw.version === '') bad('version', 'must be a non-empty string');

  const groups = new Map<string, ProductSet>();
  const rawGroups = raw.groups ?? {};
  if (!isObj(rawGroups)) bad('groups', 'must be a mapping of group name to product list');
  else
    for (const [name, entries] of Object.entries(rawGroups)) {
      const at = `groups.${name}`;
      if (!/^[A-Za-z0-9_-]{1,40}$/.test(name)) bad(at, 'group names are 1-40 letters, digits, _ or -');
      groups.set(
        name,
        resolveSelector(strings(entries, at), catalog, groups, (i, m) => bad(`${at}[${i}]`, m)),
      );
    }
  const products = (r: Obj, at: string): ProductSet =>
    resolveSelector(strings(r.products, `${at}.products`), catalog, groups, (i, m) =>
      bad(`${at}.products[${i}]`, m),
    );
  const channelCodes = new Set(catalog.channels.map((c) => c.code));
  const channels = (v: unknown, at: string): ChannelSet => {
    if (v === 'catalog')
      return {
        all: false,
        codes: new Set(catalog.channels.filter((c) => c.consentRequired).map((c) => c.code)),
      };
    const codes = strings(v, at);
    if (codes.includes('*')) return { all: true };
    codes.forEach((c, i) => {
      if (!channelCodes.has(c))
        bad(`${at}[${i}]`, `unknown channel "${c}" (catalog: ${[...channelCodes].join(', ')})`);
    });
    return { all: false, codes: new Set(codes) };
  };

  const elig = section(raw, 'eligibility', ['age', 'holdings', 'regions', 'consent']);
  const age: AgeRule[] = list(elig, 'age', 'eligibility').map((r, i) => {
    const at = `eligibility.age[${i}]`;
    fields(r, at, ['products', 'min', 'max']);
    const min = num(r.min ?? 0, `${at}.min`, 0, 150, true);
    const max = num(r.max ?? 150, `${at}.max`, 0, 150, true);
    if (min > max) bad(at, `bad age range: min ${min} exceeds max ${max}`);
    return { path: at, products: products(r, at), min, max };
  });
  const holdings: HoldingRule[] = list(elig, 'holdings', 'eligibility').map((r, i) => {
    const at = `eligibility.holdings[${i}]`;
    fields(r, at, ['products', 'holds']);
    const holds = r.holds === undefined ? ['self'] : strings(r.holds, `${at}.holds`);
    const others = holds.filter((h) => h !== 'self');
    const set =
      others.length === 0
        ? null
        : resolveSelector(others, catalog, groups, (j, m) =>
            bad(`${at}.holds[${holds.indexOf(others[j])}]`, m),
          );
    return { path: at, products: products(r, at), self: holds.includes('self'), holds: set };
  });
  const regions: RegionRule[] = list(elig, 'regions', 'eligibility').map((r, i) => {
    const at = `eligibility.regions[${i}]`;
    fields(r, at, ['products', 'allow', 'deny']);
    if ((r.allow === undefined) === (r.deny === undefined)) bad(at, 'needs exactly one of allow, deny');
    const mode = r.allow !== undefined ? 'allow' : 'deny';
    const values = r.allow ?? r.deny;
    const codes = new Set<number>();
    const names = new Set<string>();
    if (!Array.isArray(values) || values.length === 0) bad(`${at}.${mode}`, 'must be a non-empty list');
    else
      values.forEach((v: unknown, j) => {
        if (typeof v === 'number' && Number.isInteger(v) && v >= 0) codes.add(v);
        else if (typeof v === 'string' && v.trim() !== '') names.add(v.trim().toLowerCase());
        else bad(`${at}.${mode}[${j}]`, 'must be a province code (integer) or a region name');
      });
    return { path: at, products: products(r, at), mode, codes, names };
  });
  const consent: ConsentRule[] = [];
  const rawConsent = elig.consent;
  if (rawConsent !== undefined) {
    if (!isObj(rawConsent)) bad('eligibility.consent', 'must be a mapping {channels}');
    else {
      fields(rawConsent, 'eligibility.consent', ['channels']);
      consent.push({
        path: 'eligibility.consent',
        channels: channels(rawConsent.channels, 'eligibility.consent.channels'),
      });
    }
  }

  const contacts = section(raw, 'contacts', ['limits', 'suppression']);
  const limits: ContactLimit[] = list(contacts, 'limits', 'contacts').map((r, i) => {
    const at = `contacts.limits[${i}]`;
    fields(r, at, ['channels', 'max', 'days']);
    return {
      path: at,
      channels: channels(r.channels, `${at}.channels`),
      max: num(r.max, `${at}.max`, 0, 1000, true),
      days: num(r.days, `${at}.days`, 1, 3660, true),
    };
  });
  const suppression: Suppression[] = list(contacts, 'suppression', 'contacts').map((r, i) => {
    const at = `contacts.suppression[${i}]`;
    fields(r, at, ['products', 'failures', 'days']);
    return {
      path: at,
      products: products(r, at),
      failures: num(r.failures, `${at}.failures`, 1, 1000, true),
      days: num(r.days, `${at}.days`, 1, 3660, true),
    };
  });

  const arb = section(raw, 'arbitration', ['levers', 'margins']);
  const levers: Lever[] = list(arb, 'levers', 'arbitration').map((r, i) => {
    const at = `arbitration.levers[${i}]`;
    fields(r, at, ['products', 'weight', 'from', 'to']);
    const date = (key: 'from' | 'to'): string | null => {
      const v = r[key];
      if (v === undefined || v === null) return null;
      const s = v instanceof Date ? v.toISOString().slice(0, 10) : v;
      if (typeof s !== 'string' || !DATE.test(s)) {
        bad(`${at}.${key}`, `must be a date YYYY-MM-DD, got ${JSON.stringify(v)}`);
        return null;
      }
      return s;
    };
    const from = date('from');
    const to = date('to');
    if (from !== null && to !== null && from > to) bad(at, `bad window: from ${from} is after to ${to}`);
    return { path: at, products: products(r, at), weight: num(r.weight, `${at}.weight`, 0, 1000), from, to };
  });
  const margins = new Map<string, number>();
  const rawMargins = arb.margins ?? {};
  if (!isObj(rawMargins)) bad('arbitration.margins', 'must be a mapping of product code to value');
  else {
    const known = knownProducts(catalog);
    const inCatalog = new Set(catalog.products.map((p) => p.code));
    for (const [code, v] of Object.entries(rawMargins)) {
      const at = `arbitration.margins.${code}`;
      const c = canonicalProduct(code);
      if (!known.has(c)) bad(at, `unknown product "${code}"`);
      else if (inCatalog.has(c)) bad(at, 'a catalog product takes its margin from the catalog');
      margins.set(c, num(v, at, 0, 1e9));
    }
  }
  if (findings.length > 0) return { policy: null, findings };
  const version = raw.version as string;
  return {
    policy: { source, version, age, holdings, regions, consent, limits, suppression, levers, margins },
    findings,
  };
}
