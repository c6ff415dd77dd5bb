/** Russian phrase book: hooks from client features with numeral and gender agreement. */
import type { Product } from './catalog.js';
import type { Benefit, Hook, Phrase, PhraseContext, Phrasebook } from './phrasebook.js';
import {
  byGender,
  countPhrase,
  formatPercent,
  formatPercentRange,
  formatRubles,
  ruPlural,
  ruPluralIndex,
  type RuForms,
} from './morphology.js';

const c = (n: number, forms: RuForms) => countPhrase(n, 'ru', forms, ['', '']);
const pos = (x: number | null): x is number => x !== null && x >= 1;

/** «до 2 лет», «от 3 месяцев», «до 1 года»: the genitive after от/до. */
export function termGenitive(months: number): string {
  const years = months >= 12 && months % 12 === 0;
  const n = years ? months / 12 : months;
  const one = ruPluralIndex(n) === 0;
  const word = years ? (one ? 'года' : 'лет') : one ? 'месяца' : 'месяцев';
  return `${n}\u00a0${word}`;
}

const VISIT: Record<string, string> = {
  DCARD: 'дебетовой картой',
  DEPOSIT: 'вкладом',
  CCARD: 'кредитной картой',
  POTREB: 'кредитом',
  CREDIT: 'кредитом',
  INVEST: 'инвестициями',
  TRANS: 'переводом',
  PAY: 'платежом',
  MVNO: 'сим-картой',
  SDB: 'банковской ячейкой',
  EXTRACT: 'выпиской',
};

const SALARY = ['ПК', 'CC', 'TOPUP', 'REFIN', 'IZP', 'PREMIUM', 'DEPOSIT', 'SAVE_ACC'];
const SAVINGS = ['DEPOSIT', 'SAVE_ACC', 'INVEST', 'TRUST', 'OMS', 'ISG', 'NSG'];
const hook = (id: string, short: boolean, affinity: readonly string[], render: Hook['render']): Hook => ({
  id,
  short,
  affinity,
  render,
});

const HOOKS: Hook[] = [
  // cnt_zp_12m counts salary inflows, which can exceed 12 a year: «зарплаты» reads right up to 12.
  hook('hook.salary.1', false, SALARY, ({ profile: p }) =>
    pos(p.salaryMonths) && p.salaryMonths <= 12
      ? `За год на ваш счёт ${ruPlural(p.salaryMonths, ['пришла', 'пришли', 'пришло'])} ${c(p.salaryMonths, ['зарплата', 'зарплаты', 'зарплат'])}.`
      : null,
  ),
  hook('hook.salary.2', true, SALARY, ({ profile: p }) =>
    pos(p.salaryMonths)
      ? `${c(p.salaryMonths, ['поступление', 'поступления', 'поступлений'])} зарплаты за год у нас.`
      : null,
  ),
  hook('hook.fuel.1', true, ['CC', 'DC', 'AUTO', 'AUTO_SCR', 'INS_PROPERTY'], ({ profile: p }) =>
    pos(p.txFuel) ? `За 3 месяца вы ${c(p.txFuel, ['раз', 'раза', 'раз'])} платили картой на АЗС.` : null,
  ),
  hook('hook.mobile.1', false, ['DC', 'PREMIUM', 'CC'], ({ profile: p }) =>
    pos(p.txMobile)
      ? `За 3 месяца — ${c(p.txMobile, ['оплата', 'оплаты', 'оплат'])} мобильной связи с вашей карты.`
      : null,
  ),
  hook('hook.cash.1', false, ['CC', 'DC', 'ПК'], ({ profile: p }) =>
    pos(p.txCash) ? `За 3 месяца вы ${c(p.txCash, ['раз', 'раза', 'раз'])} снимали наличные.` : null,
  ),
  hook('hook.purchases.1', true, ['CC', 'DC', 'PREMIUM'], ({ profile: p }) =>
    pos(p.txPurchases)
      ? `${c(p.txPurchases, ['покупка', 'покупки', 'покупок'])} по карте за 3 месяца.`
      : null,
  ),
  hook('hook.deposits.1', false, SAVINGS, ({ profile: p }) =>
    pos(p.deposits)
      ? `У вас ${c(p.deposits, ['открытый вклад', 'открытых вклада', 'открытых вкладов'])} в нашем банке.`
      : null,
  ),
  hook('hook.vehicle.1', true, ['AUTO', 'AUTO_SCR', 'INS_PROPERTY', 'CC'], ({ profile: p }) =>
    p.vehicle === true
      ? byGender(p.gender, {
          male: 'Вы — владелец автомобиля.',
          female: 'Вы — владелица автомобиля.',
          neutral: 'У вас есть автомобиль.',
        })
      : null,
  ),
  hook('hook.position.1', false, ['PREMIUM', 'INVEST', 'TRUST', 'CC'], ({ profile: p }) =>
    p.position !== null && /руковод/i.test(p.position) ? 'Вы руководитель — ценим ваше время.' : null,
  ),
  hook('hook.visit.1', false, [], ({ profile: p }) =>
    p.visitPurpose !== null && VISIT[p.visitPurpose]
      ? `В прошлый раз вы приходили к нам за ${VISIT[p.visitPurpose]}.`
      : null,
  ),
  hook('hook.recency.1', false, [], ({ profile: p }) => {
    const m = p.monthsSinceVisit;
    if (m === null) return null;
    if (m === 0) return 'Спасибо, что заглянули к нам в этом месяце.';
    return `Вы были у нас ${c(m, ['месяц', 'месяца', 'месяцев'])} назад — у нас есть новое для вас.`;
  }),
  hook('hook.segment.loyal', true, SALARY, ({ profile: p }) =>
    p.segment === 'super_salary' || p.segment === 'salary_indebted' || p.segment === 'salary_no_bki_consent'
      ? byGender(p.gender, {
          male: 'Вы — наш постоянный клиент.',
          female: 'Вы — наша постоянная клиентка.',
          neutral: 'Спасибо, что вы с нами.',
        })
      : null,
  ),
  hook('hook.segment.welcome', true, [], ({ profile: p }) => {
    switch (p.segment) {
      case 'former_salary':
        return 'Рады снова предложить вам наши продукты.';
      case 'current_borrower':
      case 'former_borrower':
        return 'Спасибо, что выбираете нас.';
      case 'super_affluent':
      case 'super_deposits':
        return 'Ценим ваше доверие.';
      case 'deposits_outflow':
        return 'У нас есть предложение для ваших сбережений.';
      case 'new_card_holder':
        return 'Вы недавно с нами — рады знакомству!';
      case 'no_product':
        return 'Давайте познакомимся поближе.';
      default:
        return null;
    }
  }),
];

const ad = (p: Product) => p.adName;
const b = (
  id: string,
  conditions: Benefit['conditions'],
  render: (p: Product) => string | null,
): Benefit => ({
  id,
  conditions,
  render: ({ product }) => render(product),
});

/** All of a non-credit product's conditions in one phrase, or null when it has none. */
function allConditions(p: Product): string | null {
  if (p.conditions.length === 0) return null;
  const t = p.terms;
  const parts = p.conditions.map((cond) => {
    switch (cond) {
      case 'rate':
        return `ставка до ${formatPercent(t.rate!.max, 'ru')} годовых`;
      case 'amount':
        return `сумма от ${formatRubles(t.amount!.min, 'ru')}`;
      case 'term':
        return `срок от ${termGenitive(t.termMonths!.min)} до ${termGenitive(t.termMonths!.max)}`;
      case 'fee':
        return t.feeRub === 0
          ? `обслуживание 0\u00a0₽`
          : `обслуживание ${formatRubles(t.feeRub!, 'ru')} в месяц`;
    }
  });
  return `${ad(p)} — ${parts.join(', ')}`;
}

function benefits(p: Product): Benefit[] {
  const t = p.terms;
  const out: Benefit[] = [];
  if (p.credit) {
    out.push(
      b('benefit.credit.online', 'none', (x) => `${ad(x)} — заявка онлайн за несколько минут`),
      b('benefit.credit.decision', 'none', (x) => `${ad(x)} — решение по заявке в день обращения`),
      b('benefit.credit.app', 'none', (x) => `${ad(x)} без визита в офис — оформление в приложении`),
    );
    if (t.amount)
      out.push(
        b('benefit.credit.amount', 'some', (x) =>
          x.kind === 'card'
            ? `${ad(x)} с лимитом до ${formatRubles(t.amount!.max, 'ru')}`
            : `${ad(x)} до ${formatRubles(t.amount!.max, 'ru')}`,
        ),
      );
    if (t.rate && t.psk)
      out.push(
        b(
          'benefit.credit.rate',
          'some',
          (x) =>
            `${ad(x)} — ПСК ${formatPercentRange(t.psk!.min, t.psk!.max, 'ru')}, ставка от ${formatPercent(t.rate!.min, 'ru')} годовых`,
        ),
      );
    if (t.termMonths)
      out.push(
        b('benefit.credit.term', 'some', (x) => `${ad(x)} на срок до ${termGenitive(t.termMonths!.max)}`),
      );
    return out;
  }
  const generic: Record<Product['kind'], [string, string]> = {
    deposit: ['откройте онлайн за пару минут', 'копите на свои цели'],
    card: ['для ежедневных покупок', 'оформление онлайн, доставка курьером'],
    investment: ['откройте онлайн и управляйте в приложении', 'инвестиции в пару касаний'],
    insurance: ['защита для вас и ваших близких', 'оформление онлайн без визита в офис'],
    service: ['всё в приложении, без визита в офис', 'подключение за один визит'],
    consumer_credit: ['', ''],
    mortgage: ['', ''],
  };
  /** Products whose kind's generic lines do not fit. */
  const byCode: Record<string, [string, string]> = {
    CURR_EXC: ['в приложении круглосуточно', 'по курсу банка без визита в офис'],
    IZP: ['подключение за один визит', 'зарплата на карту нашего банка'],
    INS_PROPERTY: ['защита квартиры, дома и вещей', 'оформление онлайн без визита в офис'],
    OMS: ['золото и серебро на счёте, без хранения слитков', 'откройте онлайн и управляйте в приложении'],
  };
  const [g1, g2] = byCode[p.code] ?? generic[p.kind];
  out.push(
    b('benefit.generic.1', 'none', (x) => `${ad(x)} — ${g1}`),
    b('benefit.generic.2', 'none', (x) => `${ad(x)} — ${g2}`),
  );
  if (p.conditions.length > 0) out.push(b('benefit.all_conditions', 'all', allConditions));
  return out;
}

const phrase = (id: string, render: Phrase['render']): Phrase => ({ id, render });
const fixed = (id: string, text: string): Phrase => phrase(id, () => text);

export const RU: Phrasebook = {
  greetings: {
    short: [],
    friendly: [fixed('greet.friendly.1', 'Здравствуйте!'), fixed('greet.friendly.2', 'Добрый день!')],
    formal: [
      phrase('greet.formal.dear', ({ profile }) =>
        byGender(profile.gender, {
          male: 'Уважаемый клиент!',
          female: 'Уважаемая клиентка!',
          neutral: 'Здравствуйте!',
        }),
      ),
      fixed('greet.formal.day', 'Добрый день!'),
    ],
    spoken: [fixed('greet.spoken.1', 'Добрый день!'), fixed('greet.spoken.2', 'Здравствуйте!')],
  },
  hooks: HOOKS,
  benefits,
  ctas: {
    short: [
      fixed('cta.short.1', 'Оформите в приложении.'),
      fixed('cta.short.2', 'Подробнее — в приложении.'),
      fixed('cta.short.3', 'Заявка — в приложении.'),
    ],
    friendly: [
      fixed('cta.friendly.1', 'Оформить можно прямо в приложении.'),
      fixed('cta.friendly.2', 'Хотите, расскажем подробнее?'),
      fixed('cta.friendly.3', 'Нажмите «Подробнее», чтобы узнать условия.'),
    ],
    formal: [
      fixed('cta.formal.1', 'Оформить можно в приложении, на сайте или в любом офисе.'),
      fixed('cta.formal.2', 'Будем рады помочь с оформлением в офисе или в приложении.'),
    ],
    spoken: [
      fixed('cta.spoken.1', 'Могу рассказать подробнее — вам удобно сейчас?'),
      fixed('cta.spoken.2', 'Оформим заявку прямо сейчас?'),
    ],
  },
  titles: [
    phrase('title.product', ({ provider, product }) => `${provider.name}: ${product.adName}`),
    phrase('title.for_you', ({ provider }) => `${provider.name}: предложение для вас`),
    phrase('title.short', ({ provider }) => `${provider.name} для вас`),
  ],
  subjects: [
    phrase('subject.product', ({ provider, product }) => `${provider.name}: ${product.adName}`),
    phrase('subject.personal', ({ provider }) => `${provider.name}: персональное предложение`),
  ],
  legal: {
    pointer: (site) => `Изучите все условия кредита (займа) на сайте ${site}.`,
    risk: 'Оценивайте свои финансовые возможности и риски.',
    noGuarantee: 'Доходность не гарантирована.',
    conditionsOnSite: (site) => `Подробные условия — на сайте ${site}.`,
  },
  script: {
    greeting: 'Приветствие',
    reason: 'Повод',
    offer: 'Предложение',
    question: 'Вопрос',
    mandatory: 'Обязательно сообщить',
    itIs: (provider) => `Это ${provider}.`,
  },
  signature: (provider) => `С уважением,\n${provider}`,
  fallback: (ctx: PhraseContext) => `${ctx.provider.name}: ${ctx.product.adName}`,
  providerName: (p) => p.name,
};
