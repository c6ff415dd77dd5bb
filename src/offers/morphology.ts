/**
 * Russian and English morphology for offer texts: numeral agreement («1 рубль / 2 рубля / 5 рублей»),
 * gender agreement, and number formatting (ruble amounts, percents) with the typographic spaces
 * Russian uses: a narrow no-break space (U+202F) between digit groups and a no-break space (U+00A0)
 * before ₽ and %, so that an amount never breaks across lines.
 */

export type Locale = 'ru' | 'en';
/** Grammatical gender of the addressee; `unknown` selects gender-neutral wording. */
export type Gender = 'female' | 'male' | 'unknown';

export const NBSP = '\u00a0';
export const NNBSP = '\u202f';

/** Russian plural forms: [one (1, 21, 101…), few (2–4, 22–24…), many (0, 5–20, 11–14…)]. */
export type RuForms = readonly [one: string, few: string, many: string];

/** Index of the Russian plural form for an integer count (the CLDR rule for `ru`). */
export function ruPluralIndex(n: number): 0 | 1 | 2 {
  const abs = Math.abs(Math.trunc(n));
  const mod10 = abs % 10;
  const mod100 = abs % 100;
  if (mod10 === 1 && mod100 !== 11) return 0;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return 1;
  return 2;
}

/** The agreed noun form for `n`: `ruPlural(5, ['рубль','рубля','рублей'])` → `рублей`. Fractions take the genitive singular (`few`). */
export function ruPlural(n: number, forms: RuForms): string {
  if (!Number.isInteger(n)) return forms[1];
  return forms[ruPluralIndex(n)];
}

/** English: singular for exactly 1, plural otherwise. */
export function enPlural(n: number, one: string, other: string): string {
  return n === 1 ? one : other;
}

/** `count` followed by its agreed noun, joined by a no-break space (ru) or a space (en). */
export function countPhrase(n: number, locale: Locale, ru: RuForms, en: readonly [string, string]): string {
  return locale === 'ru'
    ? `${formatInteger(n, 'ru')}${NBSP}${ruPlural(n, ru)}`
    : `${formatInteger(n, 'en')} ${enPlural(n, en[0], en[1])}`;
}

/** Integer with digit groups: `1 234 567` (ru, narrow no-break spaces; 4-digit numbers ungrouped) or `1,234,567` (en). */
export function formatInteger(n: number, locale: Locale): string {
  const s = String(Math.round(Math.abs(n)));
  const sign = n < 0 ? '−' : '';
  if (locale === 'ru' && s.length <= 4) return sign + s;
  const sep = locale === 'ru' ? NNBSP : ',';
  return sign + s.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** A decimal with at most `digits` fraction digits, trailing zeros dropped; comma decimal mark in ru. */
export function formatDecimal(x: number, locale: Locale, digits = 1): string {
  const fixed = x.toFixed(digits).replace(/\.?0+$/, '');
  const [int, frac] = fixed.split('.');
  const head = formatInteger(Number(int), locale);
  return frac === undefined ? head : `${head}${locale === 'ru' ? ',' : '.'}${frac}`;
}

/** A ruble amount: `5 000 000 ₽` (ru) or `RUB 5,000,000` (en). Amounts are whole rubles. */
export function formatRubles(amount: number, locale: Locale): string {
  return locale === 'ru' ? `${formatInteger(amount, 'ru')}${NBSP}₽` : `RUB ${formatInteger(amount, 'en')}`;
}

/** A ruble amount with the agreed word: «1 рубль», «2 рубля», «5 рублей» (en: `1 rouble`, `5 roubles`). */
export function rublesInWords(amount: number, locale: Locale): string {
  return countPhrase(amount, locale, ['рубль', 'рубля', 'рублей'], ['rouble', 'roubles']);
}

/** A percent: `9,9 %` (ru, no-break space) or `9.9%` (en). */
export function formatPercent(x: number, locale: Locale): string {
  return locale === 'ru' ? `${formatDecimal(x, 'ru')}${NBSP}%` : `${formatDecimal(x, 'en')}%`;
}

/** A range of percents: `от 10,5 % до 25,3 %` / `10.5% to 25.3%` (GSM-7 safe). */
export function formatPercentRange(min: number, max: number, locale: Locale): string {
  if (min === max) return formatPercent(min, locale);
  return locale === 'ru'
    ? `от ${formatPercent(min, 'ru')} до ${formatPercent(max, 'ru')}`
    : `${formatPercent(min, 'en')} to ${formatPercent(max, 'en')}`;
}

/** A term in months, in years when whole: «12 месяцев», «5 лет», «1 год». */
export function formatTermMonths(months: number, locale: Locale): string {
  if (months >= 12 && months % 12 === 0) {
    return countPhrase(months / 12, locale, ['год', 'года', 'лет'], ['year', 'years']);
  }
  return countPhrase(months, locale, ['месяц', 'месяца', 'месяцев'], ['month', 'months']);
}

/** Gendered word choice: `byGender(g, {male, female, neutral})`. */
export function byGender(gender: Gender, forms: { male: string; female: string; neutral: string }): string {
  return gender === 'male' ? forms.male : gender === 'female' ? forms.female : forms.neutral;
}

/** Upper-cases the first letter. */
export function capitalize(s: string): string {
  return s.length === 0 ? s : s[0].toUpperCase() + s.slice(1);
}
