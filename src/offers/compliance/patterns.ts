/**
 * The text patterns the compliance rules look for, per locale. `\s` in these expressions also
 * matches the no-break spaces the generator writes (U+00A0, U+202F).
 */
import type { Locale } from '../morphology.js';

export type PatternKey =
  | 'rate'
  | 'psk'
  | 'amount'
  | 'term'
  | 'payment'
  | 'fee'
  | 'termsPointer'
  | 'siteWord'
  | 'riskWarning'
  | 'returnsPromise'
  | 'superlative'
  | 'foreignCurrency';

const NUM = String.raw`(?<![\d.,])\d(?:[\d\s]*\d)?(?:[.,]\d+)?`;

export const PATTERNS: Record<Locale, Record<PatternKey, RegExp>> = {
  ru: {
    rate: new RegExp(`${NUM}\\s?%`, 'g'),
    psk: new RegExp(
      `(?:ПСК|полная стоимость кредита)[^%.!?]{0,30}?${NUM}\\s?%(?:\\s*(?:до|–|—|-)\\s*${NUM}\\s?%)?`,
      'gi',
    ),
    amount: new RegExp(`${NUM}\\s?(?:тыс\\.?\\s?|млн\\.?\\s?)?(?:₽|руб\\.?|рубл[а-я]*)`, 'gi'),
    // «4 месяца назад», «за 3 месяца» describe the client, not a term of the product.
    term: new RegExp(
      `(?<!за\\s)${NUM}\\s?(?:мес(?:\\.|яц[а-я]*)?|год[а-я]*|лет|дн(?:я|ей|\\.)?|день)(?![а-я])(?!\\s+назад)`,
      'gi',
    ),
    payment: /(?:ежемесячн[а-я]*\s+)?плат[её]ж[а-я]*/gi,
    fee: /обслуживани[а-я]*|комисси[а-я]*/gi,
    termsPointer: /Изучите все условия кредита \(займа\)/g,
    siteWord: /на сайте|https?:\/\/|\b[a-z0-9-]+\.(?:ru|рф|example|com)\b/gi,
    riskWarning: /Оценивайте свои финансовые возможности и риски/g,
    returnsPromise:
      /(?<!не\s)гарантир[а-я]*|гаранти[яию]\s+доход[а-я]*|обещаем|точно\s+(?:заработа|получ)[а-я]*|без\s+риск[а-я]*|безрисков[а-я]*|доход\s+обеспечен/gi,
    superlative:
      /(?<![а-яё])(?:лучш[а-яё]*|сам(?:ый|ая|ое|ые|ого|ой|ым|ую|ых)\s+(?:выгодн|низк|высок|лучш|надёжн|надежн|дешёв|дешев)[а-яё]*|наиболее\s+выгодн[а-яё]*|выгоднее\s+всех|№\s?1|номер\s+один)/gi,
    foreignCurrency: new RegExp(`${NUM}\\s?(?:\\$|€|£|USD|EUR|долл[а-я.]*|евро)|(?:\\$|€|£)\\s?${NUM}`, 'gi'),
  },
  en: {
    rate: new RegExp(`${NUM}\\s?%`, 'g'),
    psk: new RegExp(
      `(?:full cost of credit|FCC|PSK)[^%.!?]{0,30}?${NUM}\\s?%(?:\\s*(?:to|–|—|-)\\s*${NUM}\\s?%)?`,
      'gi',
    ),
    amount: new RegExp(`(?:RUB|₽)\\s?${NUM}|${NUM}\\s?(?:roubles?|rubles?|₽)`, 'gi'),
    term: new RegExp(
      `(?<!(?:in|over) (?:the )?(?:last )?)${NUM}\\s?(?:months?|years?|days?)\\b(?!\\s+ago)`,
      'gi',
    ),
    payment: /(?:monthly\s+)?payments?\b/gi,
    fee: /\b(?:fees?|commissions?|maintenance|service charge)\b/gi,
    termsPointer: /Review all the loan terms/gi,
    siteWord: /on the website|https?:\/\/|\b[a-z0-9-]+\.(?:ru|example|com)\b/gi,
    riskWarning: /Assess your financial capacity and risks/gi,
    returnsPromise:
      /(?<!not )\bguarantee[ds]?\b|\bguaranteeing\b|\brisk[- ]free\b|\bsure to (?:earn|make)\b|\bwe promise\b/gi,
    superlative: /\b(?:best|cheapest|lowest|most profitable|number one|no\. ?1)\b|#1\b/gi,
    foreignCurrency: new RegExp(
      `${NUM}\\s?(?:\\$|€|£|USD|EUR|dollars?|euros?)|(?:\\$|€|£|USD\\s|EUR\\s)\\s?${NUM}`,
      'gi',
    ),
  },
};

export interface Match {
  start: number;
  end: number;
  text: string;
}

/** Every match of a global pattern in `text`. */
export function matchAll(re: RegExp, text: string): Match[] {
  const out: Match[] = [];
  re.lastIndex = 0;
  for (const m of text.matchAll(re)) out.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  return out;
}

/** Escapes a literal for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
