import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../offers/catalog.js';
import { factsFromFeatures, holdingsFromFeatures, type ClientFacts } from './client.js';
import { EMPTY_HISTORY } from './contacts.js';
import {
  channelExclusions,
  contactExclusions,
  productExclusions,
  suppressionExclusions,
  type ContactHistory,
} from './eligibility.js';
import { parsePolicyText } from './policy.js';

const catalog = loadCatalog();
const CHANNELS = catalog.channels.map((c) => c.code);
const policyOf = (body: string) =>
  parsePolicyText(`format: nextoffer-policy\nversion: t\n${body}`, catalog, 'test.yaml');
const facts = (features: Record<string, unknown>): ClientFacts => factsFromFeatures(features, CHANNELS);
const rules = (xs: { rule: string }[]) => xs.map((x) => x.rule);

describe('eligibility rules', () => {
  it('age: bounds are inclusive; unknown age excludes; other products are untouched', () => {
    const p = policyOf('eligibility:\n  age:\n    - products: [credit]\n      min: 18\n      max: 75\n');
    expect(rules(productExclusions(p, facts({ age: 17 }), 'ПК'))).toEqual(['AGE_OUT_OF_RANGE']);
    expect(productExclusions(p, facts({ age: 18 }), 'ПК')).toEqual([]);
    expect(productExclusions(p, facts({ age: '75' }), 'CC')).toEqual([]);
    expect(productExclusions(p, facts({ age: 75.5 }), 'CC')).toEqual([
      { product: 'CC', rule: 'AGE_OUT_OF_RANGE', reason: 'age 75.5 outside 18..75 (eligibility.age[0])' },
    ]);
    expect(rules(productExclusions(p, facts({ age: 'NULL' }), 'MORTG'))).toEqual(['AGE_UNKNOWN']);
    expect(productExclusions(p, facts({ age: 12 }), 'DEPOSIT')).toEqual([]);
  });

  it('holdings: the product itself by default, or the listed products; from codes, flags and history', () => {
    const p = policyOf(
      'eligibility:\n  holdings:\n    - products: [kind:card, CREDIT_CARD]\n    - products: [MORTG_REFIN]\n      holds: [MORTG]\n',
    );
    expect(rules(productExclusions(p, facts({ holdings: 'DC, CC' }), 'CC'))).toEqual(['HOLDS_PRODUCT']);
    expect(productExclusions(p, facts({ holdings: 'DC' }), 'CC')).toEqual([]);
    expect(productExclusions(p, facts({ ind_tjcr_fin_ult1: 1 }), 'ind_tjcr_fin_ult1')).toEqual([
      {
        product: 'ind_tjcr_fin_ult1',
        rule: 'HOLDS_PRODUCT',
        reason: 'client holds ind_tjcr_fin_ult1 (eligibility.holdings[0])',
      },
    ]);
    expect(rules(productExclusions(p, facts({ holdings: 'MORTG' }), 'MORTG_REFIN'))).toEqual([
      'HOLDS_PRODUCT',
    ]);
    expect(productExclusions(p, facts({ holdings: 'MORTG_REFIN' }), 'MORTG_REFIN')).toEqual([]);
    expect([...holdingsFromFeatures({ history: [['CREDIT_CARD', 'ind_cco_fin_ult1'], ['LOANS']] })]).toEqual([
      'ind_tjcr_fin_ult1',
      'ind_cco_fin_ult1',
    ]);
  });

  it('regions: allow and deny lists by province code or name, unknown region only fails an allow list', () => {
    const p = policyOf(
      'eligibility:\n  regions:\n    - products: [AUTO]\n      allow: [28, Barcelona]\n    - products: [MORTG]\n      deny: [51, melilla]\n',
    );
    expect(productExclusions(p, facts({ cod_prov: 28 }), 'AUTO')).toEqual([]);
    expect(productExclusions(p, facts({ nomprov: 'BARCELONA' }), 'AUTO')).toEqual([]);
    expect(rules(productExclusions(p, facts({ cod_prov: '29', nomprov: 'MALAGA' }), 'AUTO'))).toEqual([
      'REGION_NOT_ALLOWED',
    ]);
    expect(rules(productExclusions(p, facts({}), 'AUTO'))).toEqual(['REGION_UNKNOWN']);
    expect(productExclusions(p, facts({ cod_prov: 51 }), 'MORTG')).toEqual([
      {
        product: 'MORTG',
        rule: 'REGION_DENIED',
        reason: 'region cod_prov 51 is in the deny list (eligibility.regions[1])',
      },
    ]);
    expect(rules(productExclusions(p, facts({ region: 'Melilla' }), 'MORTG'))).toEqual(['REGION_DENIED']);
    expect(productExclusions(p, facts({}), 'MORTG')).toEqual([]);
  });

  it('consent: required channels need consent_<channel> or consent; other channels pass', () => {
    const p = policyOf('eligibility:\n  consent:\n    channels: [SMS, EMAIL]\n');
    expect(channelExclusions(p, facts({ consent_sms: 1 }), 'CC', 'SMS')).toEqual([]);
    expect(channelExclusions(p, facts({ consent_sms: 0, consent: 1 }), 'CC', 'SMS')).toEqual([
      {
        product: 'CC',
        channel: 'SMS',
        rule: 'CONSENT_MISSING',
        reason: 'no consent for SMS (eligibility.consent)',
      },
    ]);
    expect(channelExclusions(p, facts({ consent: 'yes' }), 'CC', 'EMAIL')).toEqual([]);
    expect(channelExclusions(p, facts({}), 'CC', 'PUSH')).toEqual([]);
    expect(rules(channelExclusions(p, facts({}), 'CC', 'EMAIL'))).toEqual(['CONSENT_MISSING']);
  });

  it('contact limits and failure suppression count the offer log within each window', () => {
    const p = policyOf(
      'contacts:\n  limits:\n    - channels: ["*"]\n      max: 3\n      days: 7\n    - channels: [TMO]\n      max: 1\n      days: 14\n  suppression:\n    - products: [CC]\n      failures: 2\n      days: 30\n',
    );
    // Contacts 1, 3 and 10 days ago on SMS, 10 days ago on TMO; CC failed 5 and 40 days ago.
    const log = [
      { channel: 'SMS', product: 'CC', age: 1, failed: false },
      { channel: 'SMS', product: 'CC', age: 3, failed: false },
      { channel: 'SMS', product: 'DC', age: 10, failed: false },
      { channel: 'TMO', product: 'CC', age: 10, failed: true },
      { channel: 'SMS', product: 'CC', age: 40, failed: true },
    ];
    const history: ContactHistory = {
      contacts: (c, d) => log.filter((x) => x.channel === c && x.age < d).length,
      failures: (pr, d) => log.filter((x) => x.product === pr && x.failed && x.age < d).length,
    };
    expect(contactExclusions(p, history, 'CC', 'SMS')).toEqual([]);
    expect(contactExclusions(p, history, 'CC', 'SMS', 1)).toEqual([
      {
        product: 'CC',
        channel: 'SMS',
        rule: 'CONTACT_LIMIT',
        reason: '3 contacts on SMS in 7 days; limit 3 (contacts.limits[0])',
      },
    ]);
    expect(rules(contactExclusions(p, history, 'CC', 'TMO'))).toEqual(['CONTACT_LIMIT']);
    expect(contactExclusions(p, history, 'CC', 'PUSH', 2)).toEqual([]);
    expect(suppressionExclusions(p, history, 'CC')).toEqual([]);
    log.push({ channel: 'PUSH', product: 'CC', age: 29, failed: true });
    expect(suppressionExclusions(p, history, 'CC')).toEqual([
      {
        product: 'CC',
        rule: 'FAILURE_SUPPRESSED',
        reason: '2 failed offers of CC in 30 days; limit 2 (contacts.suppression[0])',
      },
    ]);
    expect(suppressionExclusions(p, EMPTY_HISTORY, 'CC')).toEqual([]);
  });

  it('a max of 0 closes a channel entirely', () => {
    const p = policyOf('contacts:\n  limits:\n    - channels: [KND]\n      max: 0\n      days: 1\n');
    expect(rules(contactExclusions(p, EMPTY_HISTORY, 'CC', 'KND'))).toEqual(['CONTACT_LIMIT']);
    expect(contactExclusions(p, EMPTY_HISTORY, 'CC', 'SMS')).toEqual([]);
  });
});
