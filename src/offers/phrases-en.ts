/** English phrase book (second locale): the same elements as Russian, same ids where they match. */
import type { Product } from './catalog.js';
import type { Benefit, Hook, Phrase, Phrasebook } from './phrasebook.js';
import {
  countPhrase,
  formatPercent,
  formatPercentRange,
  formatRubles,
  formatTermMonths,
} from './morphology.js';

const c = (n: number, one: string, other: string) => countPhrase(n, 'en', ['', '', ''], [one, other]);
const pos = (x: number | null): x is number => x !== null && x >= 1;
const hook = (id: string, short: boolean, affinity: readonly string[], render: Hook['render']): Hook => ({
  id,
  short,
  affinity,
  render,
});
const SALARY = ['ПК', 'CC', 'TOPUP', 'REFIN', 'IZP', 'PREMIUM', 'DEPOSIT', 'SAVE_ACC'];
const SAVINGS = ['DEPOSIT', 'SAVE_ACC', 'INVEST', 'TRUST', 'OMS', 'ISG', 'NSG'];

const HOOKS: Hook[] = [
  hook('hook.salary.1', false, SALARY, ({ profile: p }) =>
    pos(p.salaryMonths)
      ? `Over the year, ${c(p.salaryMonths, 'salary payment', 'salary payments')} reached your account with us.`
      : null,
  ),
  hook('hook.salary.2', true, SALARY, ({ profile: p }) =>
    pos(p.salaryMonths)
      ? `${c(p.salaryMonths, 'salary payment', 'salary payments')} with us this year.`
      : null,
  ),
  hook('hook.fuel.1', true, ['CC', 'DC', 'AUTO', 'AUTO_SCR', 'INS_PROPERTY'], ({ profile: p }) =>
    pos(p.txFuel) ? `You paid at filling stations ${c(p.txFuel, 'time', 'times')} in 3 months.` : null,
  ),
  hook('hook.purchases.1', true, ['CC', 'DC', 'PREMIUM'], ({ profile: p }) =>
    pos(p.txPurchases) ? `${c(p.txPurchases, 'card purchase', 'card purchases')} in 3 months.` : null,
  ),
  hook('hook.deposits.1', false, SAVINGS, ({ profile: p }) =>
    pos(p.deposits) ? `You hold ${c(p.deposits, 'deposit', 'deposits')} with us.` : null,
  ),
  hook('hook.vehicle.1', true, ['AUTO', 'AUTO_SCR', 'INS_PROPERTY', 'CC'], ({ profile: p }) =>
    p.vehicle === true ? 'You own a car.' : null,
  ),
  hook('hook.recency.1', false, [], ({ profile: p }) => {
    const m = p.monthsSinceVisit;
    if (m === null) return null;
    if (m === 0) return 'Thank you for visiting us this month.';
    return `You visited us ${c(m, 'month', 'months')} ago - we have something new for you.`;
  }),
  hook('hook.segment.loyal', true, SALARY, ({ profile: p }) =>
    p.segment === 'super_salary' || p.segment === 'salary_indebted' || p.segment === 'salary_no_bki_consent'
      ? 'Thank you for being with us.'
      : null,
  ),
];

const b = (
  id: string,
  conditions: Benefit['conditions'],
  render: (p: Product) => string | null,
): Benefit => ({
  id,
  conditions,
  render: ({ product }) => render(product),
});

function benefits(p: Product): Benefit[] {
  const t = p.terms;
  const ad = p.nameEn;
  if (p.credit) {
    const out = [
      b('benefit.credit.online', 'none', () => `${ad} - apply online in minutes`),
      b('benefit.credit.app', 'none', () => `${ad} without visiting an office - apply in the app`),
    ];
    if (t.amount)
      out.push(b('benefit.credit.amount', 'some', () => `${ad} up to ${formatRubles(t.amount!.max, 'en')}`));
    if (t.rate && t.psk)
      out.push(
        b(
          'benefit.credit.rate',
          'some',
          () =>
            `${ad} - full cost of credit ${formatPercentRange(t.psk!.min, t.psk!.max, 'en')}, rate from ${formatPercent(t.rate!.min, 'en')} a year`,
        ),
      );
    return out;
  }
  const out = [b('benefit.generic.1', 'none', () => `${ad} - open it online in minutes`)];
  if (p.conditions.length > 0) {
    const parts = p.conditions.map((cond) => {
      switch (cond) {
        case 'rate':
          return `rate up to ${formatPercent(t.rate!.max, 'en')} a year`;
        case 'amount':
          return `from ${formatRubles(t.amount!.min, 'en')}`;
        case 'term':
          return `term ${formatTermMonths(t.termMonths!.min, 'en')} to ${formatTermMonths(t.termMonths!.max, 'en')}`;
        case 'fee':
          return `maintenance fee ${formatRubles(t.feeRub!, 'en')} a month`;
      }
    });
    out.push(b('benefit.all_conditions', 'all', () => `${ad} - ${parts.join(', ')}`));
  }
  return out;
}

const fixed = (id: string, text: string): Phrase => ({ id, render: () => text });
const phrase = (id: string, render: Phrase['render']): Phrase => ({ id, render });

export const EN: Phrasebook = {
  greetings: {
    short: [],
    friendly: [fixed('greet.friendly.1', 'Hello!')],
    formal: [fixed('greet.formal.dear', 'Dear client,'), fixed('greet.formal.day', 'Good afternoon!')],
    spoken: [fixed('greet.spoken.1', 'Good afternoon!')],
  },
  hooks: HOOKS,
  benefits,
  ctas: {
    short: [fixed('cta.short.1', 'Apply in the app.'), fixed('cta.short.2', 'Details in the app.')],
    friendly: [
      fixed('cta.friendly.1', 'You can apply right in the app.'),
      fixed('cta.friendly.2', 'Shall we tell you more?'),
    ],
    formal: [fixed('cta.formal.1', 'Apply in the app, on the website or at any office.')],
    spoken: [fixed('cta.spoken.1', 'May I tell you more - is now a good time?')],
  },
  titles: [
    phrase('title.product', ({ provider, product }) => `${provider.nameEn}: ${product.nameEn}`),
    phrase('title.short', ({ provider }) => `${provider.nameEn} for you`),
  ],
  subjects: [
    phrase('subject.product', ({ provider, product }) => `${provider.nameEn}: ${product.nameEn}`),
    phrase('subject.personal', ({ provider }) => `${provider.nameEn}: a personal offer`),
  ],
  legal: {
    pointer: (site) => `Review all the loan terms at ${site}.`,
    risk: 'Assess your financial capacity and risks.',
    noGuarantee: 'Returns are not guaranteed.',
    conditionsOnSite: (site) => `Full terms at ${site}.`,
  },
  script: {
    greeting: 'Greeting',
    reason: 'Reason',
    offer: 'Offer',
    question: 'Question',
    mandatory: 'Must say',
    itIs: (provider) => `This is ${provider}.`,
  },
  signature: (provider) => `Kind regards,\n${provider}`,
  fallback: (ctx) => `${ctx.provider.nameEn}: ${ctx.product.nameEn}`,
  providerName: (p) => p.nameEn,
};
