import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { channelOf, loadCatalog, productOf } from '../catalog.js';
import type { Locale } from '../morphology.js';
import { assertCompliant, checkOffer, isCompliant } from './check.js';
import { RULES } from './rules.js';

interface Fixture {
  id: string;
  product: string;
  channel: string;
  text: string;
  title?: string;
  subject?: string;
  locale?: Locale;
  consent?: boolean;
  expected: string[];
  compliant?: boolean;
}

const fixtures = JSON.parse(
  readFileSync(path.join(import.meta.dirname, 'fixtures.json'), 'utf8'),
) as Fixture[];
const catalog = loadCatalog();
const input = (f: Fixture) => ({
  text: f.text,
  title: f.title,
  subject: f.subject,
  locale: f.locale,
  consent: f.consent,
  product: productOf(catalog, f.product),
  channel: channelOf(catalog, f.channel),
  provider: catalog.provider,
});

describe('compliance checker on hand-written texts', () => {
  it('has at least 40 fixtures, compliant and violating, covering every rule', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    expect(fixtures.filter((f) => f.expected.length === 0).length).toBeGreaterThanOrEqual(10);
    const covered = new Set(fixtures.flatMap((f) => f.expected));
    for (const rule of RULES) expect(covered, rule.code).toContain(rule.code);
  });

  it.each(fixtures.map((f) => [f.id, f] as const))('%s', (_id, f) => {
    const findings = checkOffer(input(f));
    expect([...new Set(findings.map((x) => x.code))].sort()).toEqual([...f.expected].sort());
    expect(isCompliant(findings)).toBe(f.compliant ?? f.expected.length === 0);
    for (const x of findings) {
      expect(x.citation).not.toBe('');
      if (x.span) expect(x.span.end).toBeGreaterThan(x.span.start);
    }
  });

  it('points the span at the offending words', () => {
    const f = fixtures.find((x) => x.id === 'best-card')!;
    const [finding] = checkOffer(input(f));
    expect(finding.span).toEqual({ part: 'text', start: 0, end: 'Лучшая'.length });
    const r = fixtures.find((x) => x.id === 'rate-before-psk')!;
    const psk = checkOffer(input(r)).find((x) => x.code === 'PSK_BEFORE_RATE')!;
    expect(r.text.slice(psk.span!.start, psk.span!.end)).toBe('9,9 %');
  });

  it('assert throws on violations and passes compliant texts', () => {
    expect(() => assertCompliant(input(fixtures[0]))).not.toThrow();
    const bad = fixtures.find((x) => x.id === 'everything-wrong')!;
    expect(() => assertCompliant(input(bad))).toThrow(AppError);
    expect(() => assertCompliant(input(bad))).toThrow(/PROVIDER_NAME/);
  });
});
