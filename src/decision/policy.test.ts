import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.js';
import { catalogWarnings, loadCatalog, parseCatalog } from '../offers/catalog.js';
import { DEFAULT_POLICY_PATH, checkPolicy, loadPolicy, parsePolicyText, policyPathFrom } from './policy.js';
import { inSet } from './products.js';

const catalog = loadCatalog();

/** A minimal valid policy with `extra` YAML appended. */
const yaml = (extra: string) => `format: nextoffer-policy\nversion: t1\n${extra}`;

function problems(text: string): string {
  try {
    parsePolicyText(text, catalog, 'bank.yaml');
  } catch (e) {
    if (isAppError(e) && e.code === 'POLICY_INVALID') return e.message;
    throw e;
  }
  throw new Error('expected POLICY_INVALID');
}

describe('policy file', () => {
  it('ships a valid policy whose rules resolve to catalog and Santander products', () => {
    const p = loadPolicy(DEFAULT_POLICY_PATH, catalog);
    expect(p.version).toBe('demo-1');
    const credit = p.age[0];
    expect([credit.min, credit.max]).toEqual([18, 75]);
    // `credit` = the catalog's credit products; CREDIT_CARD is canonicalised to the Santander name.
    for (const code of ['ПК', 'CC', 'MORTG', 'ind_tjcr_fin_ult1', 'ind_pres_fin_ult1'])
      expect(inSet(credit.products, code)).toBe(true);
    expect(inSet(credit.products, 'DEPOSIT')).toBe(false);
    // `consent: {channels: catalog}` = the channels the catalog marks consentRequired.
    expect(p.consent[0].channels).toEqual({ all: false, codes: new Set(['TMO', 'SMS', 'EMAIL']) });
    expect(p.margins.get('ind_hip_fin_ult1')).toBe(60);
    expect(policyPathFrom({ policyFile: '' })).toBe(DEFAULT_POLICY_PATH);
    expect(policyPathFrom({ policyFile: 'x/p.yaml' })).toBe(path.resolve('x/p.yaml'));
  });

  it('names the file, the rule path and the problem', () => {
    expect(problems(yaml('eligibility:\n  age:\n    - products: [CC]\n      min: 80\n      max: 18\n'))).toBe(
      'policy bank.yaml: eligibility.age[0]: bad age range: min 80 exceeds max 18',
    );
    expect(
      problems(yaml('eligibility:\n  age:\n    - products: [CC]\n      min: 18\n      maximum: 75\n')),
    ).toMatch(/eligibility\.age\[0\]\.maximum: unknown field \(allowed: products, min, max\)/);
    expect(problems(yaml('eligibility:\n  holdings:\n    - products: [CC, NOPE]\n'))).toMatch(
      /eligibility\.holdings\[0\]\.products\[1\]: unknown product "NOPE"/,
    );
    expect(
      problems(yaml('contacts:\n  limits:\n    - channels: [FAX]\n      max: 3\n      days: 7\n')),
    ).toMatch(/contacts\.limits\[0\]\.channels\[0\]: unknown channel "FAX" \(catalog: TMO, SMS/);
    expect(
      problems(yaml('contacts:\n  limits:\n    - channels: [SMS]\n      max: 2.5\n      days: 0\n')),
    ).toMatch(
      /contacts\.limits\[0\]\.max: must be an integer in 0\.\.1000, got 2\.5; contacts\.limits\[0\]\.days: must be an integer in 1\.\.3660, got 0/,
    );
    expect(
      problems(
        yaml('eligibility:\n  regions:\n    - products: [MORTG]\n      allow: [28]\n      deny: [51]\n'),
      ),
    ).toMatch(/eligibility\.regions\[0\]: needs exactly one of allow, deny/);
    expect(problems(yaml('eligibility:\n  age:\n    - products: [group:nope]\n      min: 1\n'))).toMatch(
      /eligibility\.age\[0\]\.products\[0\]: unknown group "nope"/,
    );
    expect(
      problems(
        yaml(
          'arbitration:\n  levers:\n    - products: [CC]\n      weight: 2\n      from: 2026-12-31\n      to: 2026-12-01\n',
        ),
      ),
    ).toMatch(/arbitration\.levers\[0\]: bad window: from 2026-12-31 is after to 2026-12-01/);
    expect(
      problems(
        yaml('arbitration:\n  levers:\n    - products: [CC]\n      weight: -1\n      from: 31.12.2026\n'),
      ),
    ).toMatch(
      /arbitration\.levers\[0\]\.from: must be a date YYYY-MM-DD, got "31\.12\.2026"; arbitration\.levers\[0\]\.weight: must be a number in 0\.\.1000, got -1/,
    );
    expect(problems(yaml('arbitration:\n  margins:\n    CC: 3\n'))).toMatch(
      /arbitration\.margins\.CC: a catalog product takes its margin from the catalog/,
    );
    expect(problems(yaml('eligibility:\n  consent:\n    channels: [SMS]\n    products: [CC]\n'))).toMatch(
      /eligibility\.consent\.products: unknown field/,
    );
    expect(problems('format: other\nrules: []\n')).toMatch(
      /rules: unknown field .*; format: must be "nextoffer-policy"; version: must be a non-empty string/,
    );
    expect(problems('format: [unclosed\n')).toMatch(/^policy bank\.yaml: not valid YAML/);
    expect(problems('format: a\nformat: b\n')).toMatch(/not valid YAML.*[Mm]ap keys must be unique/s);
  });

  it('lists every finding with checkPolicy and reads files, naming a missing one', () => {
    expect(checkPolicy({ format: 'nextoffer-policy', version: 'x' }, catalog)).toEqual([]);
    expect(checkPolicy([], catalog)).toEqual([{ path: '$', message: 'must be a YAML mapping' }]);
    const dir = mkdtempSync(path.join(tmpdir(), 'policy-'));
    const file = path.join(dir, 'p.yaml');
    writeFileSync(file, yaml('eligibility:\n  age:\n    - products: ["*"]\n      min: 200\n'));
    expect(() => loadPolicy(file, catalog)).toThrow(
      `policy ${file}: eligibility.age[0].min: must be an integer in 0..150, got 200`,
    );
    expect(() => loadPolicy(path.join(dir, 'none.yaml'), catalog)).toThrow(/cannot read/);
  });

  it('the shipped catalog gives every product a margin; a missing one is a warning, a negative one an error', () => {
    expect(catalogWarnings(catalog)).toEqual([]);
    const copy = structuredClone(catalog);
    delete copy.products[3].margin;
    expect(catalogWarnings(copy)).toEqual(['product CC: no margin; arbitration values it at 1']);
    copy.products[3].margin = -2;
    expect(() => parseCatalog(copy)).toThrow(/products\[3\] \(CC\)\.margin: must be a number in 0\.\.∞/);
  });
});
