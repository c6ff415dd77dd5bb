/**
 * What the policy needs to know about a client, from the request features (offers, online
 * recommendations) or from the recommender's client store (known clients by id):
 * - `age`: feature `age` (a number or numeric text; Yakutia ages may be fractional);
 * - region: `cod_prov` (Santander province code) and `nomprov` / `region` (names);
 * - holdings: feature `holdings` (codes separated by commas, semicolons or spaces), Santander flags
 *   `ind_*_ult1 = 1`, and for online recommendations the latest month of `history`;
 * - consent per channel: `consent` / `consent_<channel>` (`consentFromFeatures`).
 * Anything missing is `null`: rules that need it exclude the product (fail closed).
 */
import { consentFromFeatures } from '../offers/clients.js';
import { ATTRIBUTES, findClient } from '../reco/history.js';
import { PRODUCTS } from '../reco/products.js';
import type { Recommender } from '../reco/recommender.js';
import { canonicalProduct } from './products.js';

export interface ClientFacts {
  age: number | null;
  codProv: number | null;
  /** Region names in lower case (`nomprov`, `region`). */
  regions: string[];
  /** Canonical product codes the client holds. */
  holdings: ReadonlySet<string>;
  /** Consent by channel code; null when unknown (no features: recommendation by id). */
  consent: Readonly<Record<string, boolean>> | null;
}

const NULLS = new Set(['', 'null', 'na', 'nan', 'n/a']);

function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && !NULLS.has(v.trim().toLowerCase())) {
    const x = Number(v.trim().replace(',', '.'));
    return Number.isFinite(x) ? x : null;
  }
  return null;
}

function textOf(v: unknown): string | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const t = String(v).trim();
  return NULLS.has(t.toLowerCase()) ? null : t.toLowerCase();
}

const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true' || v === 'yes';

/** Holdings named in features (see the module comment). */
export function holdingsFromFeatures(features: Readonly<Record<string, unknown>>): Set<string> {
  const out = new Set<string>();
  const listed = features.holdings;
  const items = Array.isArray(listed)
    ? listed.map(String)
    : typeof listed === 'string'
      ? listed.split(/[,;\s]+/)
      : [];
  for (const h of items) if (h.trim() !== '') out.add(canonicalProduct(h.trim()));
  for (const p of PRODUCTS) if (truthy(features[p])) out.add(p);
  const history = features.history;
  if (Array.isArray(history) && Array.isArray(history[0]))
    for (const h of history[0] as unknown[]) out.add(canonicalProduct(String(h)));
  return out;
}

export function factsFromFeatures(
  features: Readonly<Record<string, unknown>>,
  channels: readonly string[],
): ClientFacts {
  const regions = [textOf(features.nomprov), textOf(features.region)].filter((x): x is string => x !== null);
  const cod = numberOf(features.cod_prov);
  return {
    age: numberOf(features.age),
    codProv: cod !== null && Number.isInteger(cod) ? cod : null,
    regions,
    holdings: holdingsFromFeatures(features),
    consent: consentFromFeatures(features, channels),
  };
}

const AGE = ATTRIBUTES.indexOf('age');
const COD_PROV = ATTRIBUTES.indexOf('cod_prov');

/** Facts of a client in the recommender's store (its last known month), or null when unknown. */
export function factsFromRecommender(r: Recommender, clientId: number): ClientFacts | null {
  const c = findClient(r.store.clients, clientId);
  if (c < 0) return null;
  const A = ATTRIBUTES.length;
  const L = r.model.parts.features.lags;
  const age = r.store.attributes[c * A + AGE];
  const cod = r.store.attributes[c * A + COD_PROV];
  const mask = r.store.masks[c * L];
  const holdings = new Set<string>();
  if (mask >= 0) PRODUCTS.forEach((p, i) => ((mask >>> i) & 1 ? holdings.add(p) : undefined));
  return {
    age: Number.isFinite(age) ? age : null,
    codProv: Number.isFinite(cod) ? cod : null,
    regions: [],
    holdings,
    consent: null,
  };
}
