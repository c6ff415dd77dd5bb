import { describe, expect, it } from 'vitest';
import { nextFire, parseCron } from './cron.js';

const at = (iso: string) => new Date(iso);
const next = (expr: string, iso: string) => nextFire(expr, at(iso)).toISOString();

describe('cron', () => {
  it('parses fields, ranges, steps, lists and names', () => {
    const s = parseCron('*/15 2-4 1,15 jan-mar mon-fri');
    expect([...s.minutes]).toEqual([0, 15, 30, 45]);
    expect([...s.hours]).toEqual([2, 3, 4]);
    expect([...s.days]).toEqual([1, 15]);
    expect([...s.months]).toEqual([1, 2, 3]);
    expect([...s.weekdays]).toEqual([1, 2, 3, 4, 5]);
    expect(s.daysRestricted && s.weekdaysRestricted).toBe(true);
    expect([...parseCron('0 0 * * 7').weekdays]).toEqual([0]);
    expect([...parseCron('5/20 * * * *').minutes]).toEqual([5, 25, 45]);
    expect([...parseCron('10-20/5 * * * *').minutes]).toEqual([10, 15, 20]);
  });

  it('computes the next fire time strictly after the given instant (UTC)', () => {
    expect(next('* * * * *', '2026-03-01T10:00:00Z')).toBe('2026-03-01T10:01:00.000Z');
    expect(next('* * * * *', '2026-03-01T10:00:59.999Z')).toBe('2026-03-01T10:01:00.000Z');
    expect(next('30 2 * * *', '2026-03-01T02:30:00Z')).toBe('2026-03-02T02:30:00.000Z');
    expect(next('30 2 * * *', '2026-03-01T02:29:00Z')).toBe('2026-03-01T02:30:00.000Z');
    expect(next('0 */6 * * *', '2026-03-01T13:10:00Z')).toBe('2026-03-01T18:00:00.000Z');
    // Year and month roll-over.
    expect(next('0 0 1 * *', '2026-12-15T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('15 3 * jun *', '2026-07-01T00:00:00Z')).toBe('2027-06-01T03:15:00.000Z');
    // 2026-03-01 is a Sunday: the next Monday 04:00 is 2026-03-02.
    expect(next('0 4 * * mon', '2026-03-01T05:00:00Z')).toBe('2026-03-02T04:00:00.000Z');
    // Leap day: next 29 February after March 2026 is in 2028.
    expect(next('0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('treats restricted day-of-month and day-of-week as either (Vixie cron)', () => {
    // The 13th or any Friday: after Sunday 2026-03-01, Friday 2026-03-06 comes first.
    expect(next('0 0 13 * fri', '2026-03-01T00:00:00Z')).toBe('2026-03-06T00:00:00.000Z');
    // Only the 13th when day-of-week is *.
    expect(next('0 0 13 * *', '2026-03-01T00:00:00Z')).toBe('2026-03-13T00:00:00.000Z');
  });

  it('rejects bad expressions with the field and rule', () => {
    expect(() => parseCron('* * * *')).toThrow(/needs 5 fields/);
    expect(() => parseCron('')).toThrow(/needs 5 fields/);
    expect(() => parseCron('60 * * * *')).toThrow(/minute "60": 60 is outside 0-59/);
    expect(() => parseCron('* 5-2 * * *')).toThrow(/hour "5-2": range 5-2 is reversed/);
    expect(() => parseCron('*/0 * * * *')).toThrow(/step "0"/);
    expect(() => parseCron('* * * foo *')).toThrow(/month "foo"/);
    expect(() => parseCron('* * 0 * *')).toThrow(/day of month "0"/);
    expect(() => nextFire('0 0 31 2 *', at('2026-01-01T00:00:00Z'))).toThrow(/never fires/);
  });
});
