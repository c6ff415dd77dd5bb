/**
 * Evaluation of the policy's rules for one client: pure functions of the policy, the client's
 * facts and (for the contact policy) counts read from the offer log. Each exclusion carries a
 * stable rule code and a reason naming the rule's place in the policy file.
 */
import type { ClientFacts } from './client.js';
import { inChannels, type Policy } from './policy.js';
import { inSet } from './products.js';

/** Stable rule codes of exclusions (API `excluded[].rule`). */
export const RULE_CODES = [
  'AGE_OUT_OF_RANGE',
  'AGE_UNKNOWN',
  'HOLDS_PRODUCT',
  'REGION_NOT_ALLOWED',
  'REGION_DENIED',
  'REGION_UNKNOWN',
  'CONSENT_MISSING',
  'CONTACT_LIMIT',
  'FAILURE_SUPPRESSED',
  'LEVER_ZERO',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

export interface Exclusion {
  product: string;
  channel?: string;
  rule: RuleCode;
  reason: string;
}

/** Counts from the offer log the contact policy needs, for one client. */
export interface ContactHistory {
  /** Contacts (offers served) on `channel` within the last `days` days. */
  contacts(channel: string, days: number): number;
  /** Offers of `product` whose latest outcome is a failure, within the last `days` days. */
  failures(product: string, days: number): number;
}

/** Exclusions of a product whatever the channel: age, holdings, region. */
export function productExclusions(policy: Policy, facts: ClientFacts, product: string): Exclusion[] {
  const out: Exclusion[] = [];
  const ex = (rule: RuleCode, reason: string) => out.push({ product, rule, reason });
  for (const r of policy.age) {
    if (!inSet(r.products, product)) continue;
    if (facts.age === null)
      ex('AGE_UNKNOWN', `age unknown; ${product} needs age ${r.min}..${r.max} (${r.path})`);
    else if (facts.age < r.min || facts.age > r.max)
      ex('AGE_OUT_OF_RANGE', `age ${facts.age} outside ${r.min}..${r.max} (${r.path})`);
  }
  for (const r of policy.holdings) {
    if (!inSet(r.products, product)) continue;
    const held = [...facts.holdings].filter(
      (h) => (r.self && h === product) || (r.holds !== null && inSet(r.holds, h)),
    );
    if (held.length > 0) ex('HOLDS_PRODUCT', `client holds ${held.join(', ')} (${r.path})`);
  }
  for (const r of policy.regions) {
    if (!inSet(r.products, product)) continue;
    const known = facts.codProv !== null || facts.regions.length > 0;
    const hit =
      (facts.codProv !== null && r.codes.has(facts.codProv)) || facts.regions.some((n) => r.names.has(n));
    const where = [facts.codProv === null ? null : `cod_prov ${facts.codProv}`, ...facts.regions]
      .filter((x) => x !== null)
      .join(', ');
    if (r.mode === 'allow' && !known)
      ex('REGION_UNKNOWN', `region unknown; ${product} is regional (${r.path})`);
    else if (r.mode === 'allow' && !hit)
      ex('REGION_NOT_ALLOWED', `region ${where} not in the allow list (${r.path})`);
    else if (r.mode === 'deny' && hit) ex('REGION_DENIED', `region ${where} is in the deny list (${r.path})`);
  }
  return out;
}

/** Exclusions of a product on one channel: consent. */
export function channelExclusions(
  policy: Policy,
  facts: ClientFacts,
  product: string,
  channel: string,
): Exclusion[] {
  const out: Exclusion[] = [];
  for (const r of policy.consent) {
    if (!inChannels(r.channels, channel)) continue;
    if (facts.consent?.[channel] !== true)
      out.push({
        product,
        channel,
        rule: 'CONSENT_MISSING',
        reason: `no consent for ${channel} (${r.path})`,
      });
  }
  return out;
}

/** Failure suppression of a product (any channel). */
export function suppressionExclusions(policy: Policy, history: ContactHistory, product: string): Exclusion[] {
  const out: Exclusion[] = [];
  for (const r of policy.suppression) {
    if (!inSet(r.products, product)) continue;
    const n = history.failures(product, r.days);
    if (n >= r.failures)
      out.push({
        product,
        rule: 'FAILURE_SUPPRESSED',
        reason: `${n} failed offers of ${product} in ${r.days} days; limit ${r.failures} (${r.path})`,
      });
  }
  return out;
}

/** Contact limits of a channel, as already used by the offer log (`extra` pending contacts added). */
export function contactExclusions(
  policy: Policy,
  history: ContactHistory,
  product: string,
  channel: string,
  extra = 0,
): Exclusion[] {
  const out: Exclusion[] = [];
  for (const r of policy.limits) {
    if (!inChannels(r.channels, channel)) continue;
    const n = history.contacts(channel, r.days) + extra;
    if (n >= r.max)
      out.push({
        product,
        channel,
        rule: 'CONTACT_LIMIT',
        reason: `${n} contacts on ${channel} in ${r.days} days; limit ${r.max} (${r.path})`,
      });
  }
  return out;
}

/** The contact limits that apply to a channel (for reservations). */
export function limitsOf(policy: Policy, channel: string): { max: number; days: number; path: string }[] {
  return policy.limits
    .filter((r) => inChannels(r.channels, channel))
    .map((r) => ({ max: r.max, days: r.days, path: r.path }));
}
