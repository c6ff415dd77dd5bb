import { describe, expect, it } from 'vitest';
import {
  NBSP,
  NNBSP,
  byGender,
  countPhrase,
  formatDecimal,
  formatInteger,
  formatPercent,
  formatPercentRange,
  formatRubles,
  formatTermMonths,
  ruPlural,
  rublesInWords,
} from './morphology.js';

const RUB = ['рубль', 'рубля', 'рублей'] as const;

describe('Russian numeral agreement', () => {
  it.each([
    [0, 'рублей'],
    [1, 'рубль'],
    [2, 'рубля'],
    [4, 'рубля'],
    [5, 'рублей'],
    [11, 'рублей'],
    [12, 'рублей'],
    [14, 'рублей'],
    [21, 'рубль'],
    [22, 'рубля'],
    [25, 'рублей'],
    [101, 'рубль'],
    [111, 'рублей'],
    [1001, 'рубль'],
    [1_000_000, 'рублей'],
  ])('%i → %s', (n, form) => {
    expect(ruPlural(n, RUB)).toBe(form);
  });

  it('writes rubles in words with a no-break space and grouped digits', () => {
    expect(rublesInWords(1, 'ru')).toBe(`1${NBSP}рубль`);
    expect(rublesInWords(2, 'ru')).toBe(`2${NBSP}рубля`);
    expect(rublesInWords(5, 'ru')).toBe(`5${NBSP}рублей`);
    expect(rublesInWords(21_000, 'ru')).toBe(`21${NNBSP}000${NBSP}рублей`);
    expect(rublesInWords(1, 'en')).toBe('1 rouble');
    expect(rublesInWords(1500, 'en')).toBe('1,500 roubles');
  });

  it('agrees months and years', () => {
    expect(formatTermMonths(1, 'ru')).toBe(`1${NBSP}месяц`);
    expect(formatTermMonths(3, 'ru')).toBe(`3${NBSP}месяца`);
    expect(formatTermMonths(11, 'ru')).toBe(`11${NBSP}месяцев`);
    expect(formatTermMonths(12, 'ru')).toBe(`1${NBSP}год`);
    expect(formatTermMonths(24, 'ru')).toBe(`2${NBSP}года`);
    expect(formatTermMonths(60, 'ru')).toBe(`5${NBSP}лет`);
    expect(formatTermMonths(360, 'ru')).toBe(`30${NBSP}лет`);
    expect(formatTermMonths(18, 'en')).toBe('18 months');
    expect(formatTermMonths(12, 'en')).toBe('1 year');
    expect(countPhrase(3, 'ru', ['покупка', 'покупки', 'покупок'], ['purchase', 'purchases'])).toBe(
      `3${NBSP}покупки`,
    );
  });
});

describe('number formatting', () => {
  it('groups digits with narrow no-break spaces in Russian, leaves 4 digits alone', () => {
    expect(formatInteger(1234, 'ru')).toBe('1234');
    expect(formatInteger(12345, 'ru')).toBe(`12${NNBSP}345`);
    expect(formatInteger(5_000_000, 'ru')).toBe(`5${NNBSP}000${NNBSP}000`);
    expect(formatInteger(5_000_000, 'en')).toBe('5,000,000');
  });

  it('formats rubles and percents', () => {
    expect(formatRubles(300_000, 'ru')).toBe(`300${NNBSP}000${NBSP}₽`);
    expect(formatRubles(300_000, 'en')).toBe('RUB 300,000');
    expect(formatPercent(9.9, 'ru')).toBe(`9,9${NBSP}%`);
    expect(formatPercent(18, 'ru')).toBe(`18${NBSP}%`);
    expect(formatPercent(9.9, 'en')).toBe('9.9%');
    expect(formatDecimal(10.25, 'ru', 2)).toBe('10,25');
    expect(formatPercentRange(10.5, 25.3, 'ru')).toBe(`от 10,5${NBSP}% до 25,3${NBSP}%`);
    expect(formatPercentRange(10.5, 25.3, 'en')).toBe('10.5% to 25.3%');
  });

  it('chooses gendered forms', () => {
    const forms = { male: 'постоянный клиент', female: 'постоянная клиентка', neutral: 'наш клиент' };
    expect(byGender('male', forms)).toBe('постоянный клиент');
    expect(byGender('female', forms)).toBe('постоянная клиентка');
    expect(byGender('unknown', forms)).toBe('наш клиент');
  });
});
