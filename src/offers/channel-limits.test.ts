import { describe, expect, it } from 'vitest';
import { isGsm7, limitViolations, smsInfo } from './channel-limits.js';

describe('SMS segments', () => {
  it('counts GSM-7 texts: 160 in one segment, 153 per part', () => {
    expect(smsInfo('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 1 });
    expect(smsInfo('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsInfo('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsInfo('a'.repeat(306)).segments).toBe(2);
    expect(smsInfo('a'.repeat(307)).segments).toBe(3);
  });

  it('counts extension characters as two septets and never splits them', () => {
    expect(smsInfo('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsInfo('€'.repeat(81)).segments).toBe(2);
    // 152 plain septets then an escape pair: the pair moves to the second part.
    expect(smsInfo('a'.repeat(152) + '{' + 'a'.repeat(10)).segments).toBe(2);
    expect(smsInfo('a'.repeat(152) + '{' + 'a'.repeat(152)).segments).toBe(3);
    expect(isGsm7('Hello [world] ~ ^')).toBe(true);
  });

  it('switches to UCS-2 on any Cyrillic letter: 70 single, 67 per part', () => {
    expect(isGsm7('Привет')).toBe(false);
    expect(smsInfo('я'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsInfo('я'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(smsInfo('я'.repeat(134)).segments).toBe(2);
    expect(smsInfo('я'.repeat(135)).segments).toBe(3);
    expect(smsInfo('a'.repeat(100) + 'ж').encoding).toBe('UCS-2');
    expect(smsInfo('5\u00a0000 ₽').encoding).toBe('UCS-2');
  });

  it('never splits a surrogate pair', () => {
    expect(smsInfo('я'.repeat(68) + '😀')).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    // 66 letters + a pair = 68 units > 67: the pair opens part 2 (naive ceil(134 / 67) would say 2).
    expect(smsInfo('я'.repeat(66) + '😀' + 'я'.repeat(65)).segments).toBe(2);
    expect(smsInfo('я'.repeat(66) + '😀' + 'я'.repeat(66))).toEqual({
      encoding: 'UCS-2',
      units: 134,
      segments: 3,
    });
  });
});

describe('channel limits', () => {
  it('reports each part over its limit', () => {
    const limits = { maxSegments: 2, titleMax: 10, subjectMax: 5, bodyMax: 200 };
    expect(limitViolations({ text: 'я'.repeat(134), title: 'short' }, limits, 'PUSH')).toEqual([]);
    const v = limitViolations(
      { text: 'я'.repeat(135), title: 'a very long title', subject: 'subject' },
      limits,
      'X',
    );
    expect(v.map((x) => x.part)).toEqual(['text', 'title', 'subject']);
    expect(v[0].message).toMatch(/3 SMS segments \(UCS-2, 135 units\), limit 2/);
    expect(limitViolations({ text: 'x'.repeat(201) }, { bodyMax: 200 }, 'EMAIL')[0].message).toMatch(
      /201 characters/,
    );
  });
});
