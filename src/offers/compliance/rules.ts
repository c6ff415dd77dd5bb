/**
 * The compliance rules as data: each has a code, a citation, a severity, the products it applies to
 * and a declarative test that `check.ts` interprets. A bank's legal team can read (and review) this
 * table without reading the checker. Citations are to the Russian Federal Law «О рекламе» (38-ФЗ)
 * in force since 23.10.2023 unless stated otherwise.
 */
import type { Condition } from '../catalog.js';
import type { PatternKey } from './patterns.js';

export type Severity = 'error' | 'warning';

/** Which products a rule applies to. `returns`: deposits, investments and insurance. */
export type RuleScope = 'all' | 'credit' | 'non_credit' | 'returns';

export type RuleTest =
  /** The provider's name (catalog `provider.name`/`nameEn`) must appear. */
  | { type: 'provider_name' }
  /** `pattern` must appear (when `when` is set: only if a condition of that kind is mentioned). */
  | { type: 'require'; pattern: PatternKey; when?: 'any_condition' | 'always'; followedBy?: PatternKey }
  /** `pattern` must not appear. */
  | { type: 'forbid'; pattern: PatternKey }
  /** Every match of `then` must have a match of `first` before it. */
  | { type: 'before'; first: PatternKey; then: PatternKey }
  /** Stating one of the product's conditions requires stating all of them. */
  | { type: 'all_conditions' }
  /** The channel needs the client's consent flag. */
  | { type: 'consent' }
  /** The text fits the channel's limits. */
  | { type: 'channel_limits' };

export interface Rule {
  code: string;
  citation: string;
  severity: Severity;
  scope: RuleScope;
  /** What the rule demands, shown in findings and in the README. */
  message: string;
  test: RuleTest;
}

/** Condition kinds and the patterns that reveal them in a text (credit: conditions affecting ПСК). */
export const CONDITION_PATTERNS: Record<Condition | 'payment', PatternKey> = {
  rate: 'rate',
  amount: 'amount',
  term: 'term',
  fee: 'fee',
  payment: 'payment',
};

export const RULES: readonly Rule[] = [
  {
    code: 'PROVIDER_NAME',
    citation: '38-ФЗ ст. 28 ч. 1',
    severity: 'error',
    scope: 'all',
    message: 'an ad of a financial service names the provider',
    test: { type: 'provider_name' },
  },
  {
    code: 'CREDIT_TERMS_POINTER',
    citation: '38-ФЗ ст. 28 ч. 3',
    severity: 'error',
    scope: 'credit',
    message:
      'a condition affecting the ПСК (rate, amount, term, payment) requires «Изучите все условия кредита (займа)» with a pointer to the site',
    test: { type: 'require', pattern: 'termsPointer', when: 'any_condition', followedBy: 'siteWord' },
  },
  {
    code: 'PSK_BEFORE_RATE',
    citation: '38-ФЗ ст. 28 ч. 3; письмо ФАС России от 17.10.2023 № КТ/85530/23',
    severity: 'error',
    scope: 'credit',
    message: 'a rate shown requires the ПСК range stated before it',
    test: { type: 'before', first: 'psk', then: 'rate' },
  },
  {
    code: 'RISK_WARNING',
    citation: '38-ФЗ ст. 28 (ред. с 23.10.2023)',
    severity: 'error',
    scope: 'credit',
    message: 'a consumer-credit ad carries «Оценивайте свои финансовые возможности и риски»',
    test: { type: 'require', pattern: 'riskWarning', when: 'always' },
  },
  {
    code: 'NO_RETURN_PROMISE',
    citation: '38-ФЗ ст. 28 ч. 2 п. 1',
    severity: 'error',
    scope: 'returns',
    message: 'no guarantee or promise of future returns',
    test: { type: 'forbid', pattern: 'returnsPromise' },
  },
  {
    code: 'ALL_CONDITIONS',
    citation: '38-ФЗ ст. 28 ч. 2 п. 2',
    severity: 'error',
    scope: 'non_credit',
    message: 'stating one condition affecting income or cost requires stating the others',
    test: { type: 'all_conditions' },
  },
  {
    code: 'RUBLES_ONLY',
    citation: 'ГК РФ ст. 317 ч. 1; 86-ФЗ ст. 27',
    severity: 'error',
    scope: 'all',
    message: 'amounts are stated in rubles',
    test: { type: 'forbid', pattern: 'foreignCurrency' },
  },
  {
    code: 'UNPROVABLE_SUPERLATIVE',
    citation: '38-ФЗ ст. 5 ч. 3 п. 1',
    severity: 'error',
    scope: 'all',
    message: 'no unprovable superlatives («лучший», «самый выгодный», «№ 1»)',
    test: { type: 'forbid', pattern: 'superlative' },
  },
  {
    code: 'CONSENT_REQUIRED',
    citation: '38-ФЗ ст. 18 ч. 1',
    severity: 'error',
    scope: 'all',
    message: 'SMS, calls and e-mail ads only to clients who consented',
    test: { type: 'consent' },
  },
  {
    code: 'CHANNEL_LIMIT',
    citation: 'catalog channel limits; 3GPP TS 23.038 (SMS alphabets)',
    severity: 'error',
    scope: 'all',
    message: 'the text fits the channel (SMS segments, title, subject, body length)',
    test: { type: 'channel_limits' },
  },
];
