/**
 * The compliance checker: interprets the rules of `rules.ts` on one ad (text plus title/subject),
 * returning findings `{code, span, message, severity, citation}`; `assertCompliant` throws on any
 * error. Parts are checked as one document in the order the reader sees them: subject, title, text.
 */
import { AppError } from '../../errors.js';
import type { Channel, Product, Provider } from '../catalog.js';
import { limitViolations } from '../channel-limits.js';
import type { Locale } from '../morphology.js';
import { PATTERNS, escapeRegExp, matchAll, type Match, type PatternKey } from './patterns.js';
import { CONDITION_PATTERNS, RULES, type Rule, type RuleScope, type Severity } from './rules.js';

export type TextPart = 'text' | 'title' | 'subject';

export interface Span {
  part: TextPart;
  start: number;
  end: number;
}

export interface Finding {
  code: string;
  /** Where the offending words are; `null` when something required is missing. */
  span: Span | null;
  message: string;
  severity: Severity;
  citation: string;
}

export interface CheckInput {
  text: string;
  title?: string;
  subject?: string;
  product: Product;
  channel: Channel;
  provider: Provider;
  locale?: Locale;
  /** The client's consent to ads in this channel; `undefined`: not stated. */
  consent?: boolean;
}

interface Doc {
  full: string;
  parts: { part: TextPart; offset: number; length: number }[];
}

function buildDoc(input: CheckInput): Doc {
  const parts: Doc['parts'] = [];
  let full = '';
  for (const part of ['subject', 'title', 'text'] as const) {
    const value = input[part];
    if (value === undefined || value === '') continue;
    if (full !== '') full += '\n';
    parts.push({ part, offset: full.length, length: value.length });
    full += value;
  }
  return { full, parts };
}

function spanOf(doc: Doc, m: Match): Span | null {
  const p = doc.parts.find((x) => m.start >= x.offset && m.start <= x.offset + x.length);
  return p ? { part: p.part, start: m.start - p.offset, end: Math.min(m.end - p.offset, p.length) } : null;
}

function inScope(scope: RuleScope, product: Product): boolean {
  switch (scope) {
    case 'all':
      return true;
    case 'credit':
      return product.credit;
    case 'non_credit':
      return !product.credit;
    case 'returns':
      return !product.credit && ['deposit', 'investment', 'insurance'].includes(product.kind);
  }
}

const providerPatterns = new WeakMap<Provider, RegExp>();
function providerPattern(p: Provider): RegExp {
  let re = providerPatterns.get(p);
  if (!re) {
    re = new RegExp(`(?:${[p.name, p.nameEn].map(escapeRegExp).join('|')})`, 'i');
    providerPatterns.set(p, re);
  }
  return re;
}

const overlaps = (a: Match, b: Match) => a.start < b.end && b.start < a.end;

/** Runs every rule (or `rules`) on one ad. */
export function checkOffer(input: CheckInput, rules: readonly Rule[] = RULES): Finding[] {
  const locale = input.locale ?? 'ru';
  const doc = buildDoc(input);
  const cache = new Map<PatternKey, Match[]>();
  const find = (key: PatternKey): Match[] => {
    let m = cache.get(key);
    if (!m) {
      m = matchAll(PATTERNS[locale][key], doc.full);
      cache.set(key, m);
    }
    return m;
  };
  /** Rates: percents that are not part of a ПСК statement. */
  const rates = () => find('rate').filter((r) => !find('psk').some((p) => overlaps(p, r)));
  const mentioned = (c: keyof typeof CONDITION_PATTERNS): Match[] =>
    c === 'rate' ? rates() : find(CONDITION_PATTERNS[c]);

  const out: Finding[] = [];
  for (const rule of rules) {
    if (!inScope(rule.scope, input.product)) continue;
    const add = (span: Span | null, detail?: string) =>
      out.push({
        code: rule.code,
        span,
        message: detail ? `${rule.message}: ${detail}` : rule.message,
        severity: rule.severity,
        citation: rule.citation,
      });
    const t = rule.test;
    switch (t.type) {
      case 'provider_name':
        if (!providerPattern(input.provider).test(doc.full)) add(null, `«${input.provider.name}» is missing`);
        break;
      case 'require': {
        let needed = t.when !== 'any_condition';
        let trigger: Match | undefined;
        if (!needed) {
          const kinds = input.product.credit
            ? (['rate', 'amount', 'term', 'payment'] as const)
            : input.product.conditions;
          const stated = kinds.map((k) => mentioned(k));
          trigger = stated.find((m) => m.length > 0)?.[0];
          const allStated =
            input.product.conditions.every((c) => mentioned(c).length > 0) &&
            (!input.product.credit || find('psk').length > 0);
          needed = trigger !== undefined && !allStated;
        }
        if (!needed) break;
        const hits = find(t.pattern);
        if (hits.length === 0) {
          add(
            trigger ? spanOf(doc, trigger) : null,
            trigger ? `«${trigger.text}» is stated but the phrase is missing` : 'missing',
          );
        } else if (t.followedBy && !find(t.followedBy).some((s) => s.start >= hits[0].start)) {
          add(spanOf(doc, hits[0]), 'no pointer to the site after it');
        }
        break;
      }
      case 'forbid':
        for (const m of find(t.pattern)) add(spanOf(doc, m), `«${m.text}»`);
        break;
      case 'before': {
        const firsts = find(t.first);
        const thens = t.then === 'rate' ? rates() : find(t.then);
        for (const m of thens)
          if (!firsts.some((f) => f.start < m.start))
            add(spanOf(doc, m), `«${m.text}» comes before any ПСК range`);
        break;
      }
      case 'all_conditions': {
        const stated = input.product.conditions.filter((c) => mentioned(c).length > 0);
        const missing = input.product.conditions.filter((c) => !stated.includes(c));
        if (stated.length > 0 && missing.length > 0)
          add(
            spanOf(doc, mentioned(stated[0])[0]),
            `states ${stated.join(', ')} but not ${missing.join(', ')}`,
          );
        break;
      }
      case 'consent':
        if (!input.channel.consentRequired || input.consent === true) break;
        if (input.consent === false) add(null, `the client has not consented to ${input.channel.code}`);
        else
          out.push({
            code: rule.code,
            span: null,
            message: `${rule.message}: consent for ${input.channel.code} not stated`,
            severity: 'warning',
            citation: rule.citation,
          });
        break;
      case 'channel_limits':
        for (const v of limitViolations(input, input.channel.limits, input.channel.code))
          add({ part: v.part, start: 0, end: (input[v.part] ?? '').length }, v.message);
        break;
    }
  }
  return out;
}

/** True when no finding is an error. */
export function isCompliant(findings: readonly Finding[]): boolean {
  return findings.every((f) => f.severity !== 'error');
}

/** Throws `COMPLIANCE_VIOLATION` listing the rule codes when the ad has any error finding. */
export function assertCompliant(input: CheckInput, rules: readonly Rule[] = RULES): void {
  const errors = checkOffer(input, rules).filter((f) => f.severity === 'error');
  if (errors.length > 0)
    throw new AppError(
      'COMPLIANCE_VIOLATION',
      `${input.product.code}/${input.channel.code}: ${errors.map((f) => `${f.code} (${f.message})`).join('; ')}`,
    );
}
