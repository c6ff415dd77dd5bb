/**
 * A 5-field cron expression (`minute hour day-of-month month day-of-week`, UTC) and its next fire
 * time. Each field takes `*`, numbers, ranges `a-b`, steps `*\/n` and `a-b/n`, lists `a,b,c`; months
 * and weekdays also take names (`jan`, `mon`); weekday 7 is Sunday like 0. As in Vixie cron, when
 * both day-of-month and day-of-week are restricted, a day matches when either matches.
 */
import { AppError } from '../errors.js';

export interface CronSchedule {
  readonly source: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  /** False when the field was `*` (or an equivalent full range written with a step of 1). */
  readonly daysRestricted: boolean;
  readonly weekdaysRestricted: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Offset of `names[0]`'s value. */
  nameBase?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: WEEKDAYS, nameBase: 0 },
];

function parseField(raw: string, spec: FieldSpec, source: string): { values: Set<number>; all: boolean } {
  const fail = (rule: string): never => {
    throw new AppError('ARGUMENT_INVALID', `cron ${JSON.stringify(source)}: ${spec.name} "${raw}": ${rule}`);
  };
  const value = (s: string): number => {
    const named = spec.names?.indexOf(s.toLowerCase()) ?? -1;
    if (named >= 0) return named + (spec.nameBase ?? 0);
    if (!/^\d+$/.test(s)) fail(`"${s}" is not a number${spec.names ? ' or a name' : ''}`);
    const n = Number(s);
    if (n < spec.min || n > spec.max) fail(`${n} is outside ${spec.min}-${spec.max}`);
    return n;
  };
  const values = new Set<number>();
  let all = false;
  for (const part of raw.split(',')) {
    if (part === '') fail('empty list item');
    const [range, stepRaw, extra] = part.split('/');
    if (extra !== undefined) fail('more than one "/"');
    let step = 1;
    if (stepRaw !== undefined) {
      if (!/^\d+$/.test(stepRaw) || Number(stepRaw) === 0)
        fail(`step "${stepRaw}" must be a positive integer`);
      step = Number(stepRaw);
    }
    let lo: number;
    let hi: number;
    if (range === '*') {
      [lo, hi] = [spec.min, spec.max];
      if (step === 1) all = true;
    } else if (range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (more !== undefined || a === '' || b === '') fail(`bad range "${range}"`);
      [lo, hi] = [value(a), value(b)];
      if (lo > hi) fail(`range ${lo}-${hi} is reversed`);
    } else {
      lo = value(range);
      hi = stepRaw === undefined ? lo : spec.max;
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, all };
}

/** Parses a cron expression; `AppError('ARGUMENT_INVALID')` naming the field and rule when it is bad. */
export function parseCron(expression: string): CronSchedule {
  const source = expression.trim();
  const parts = source.split(/\s+/);
  if (parts.length !== 5 || source === '')
    throw new AppError(
      'ARGUMENT_INVALID',
      `cron ${JSON.stringify(expression)}: needs 5 fields (minute hour day-of-month month day-of-week), got ${source === '' ? 0 : parts.length}`,
    );
  const [mi, h, d, mo, w] = parts.map((p, i) => parseField(p, FIELDS[i], source));
  const weekdays = new Set([...w.values].map((x) => x % 7));
  return {
    source,
    minutes: mi.values,
    hours: h.values,
    days: d.values,
    months: mo.values,
    weekdays,
    daysRestricted: !d.all,
    weekdaysRestricted: !w.all,
  };
}

function dayMatches(s: CronSchedule, date: Date): boolean {
  const dom = s.days.has(date.getUTCDate());
  const dow = s.weekdays.has(date.getUTCDay());
  if (s.daysRestricted && s.weekdaysRestricted) return dom || dow;
  if (s.daysRestricted) return dom;
  if (s.weekdaysRestricted) return dow;
  return true;
}

/**
 * The first minute strictly after `after` (UTC) at which the schedule fires. Skips whole months,
 * days and hours that cannot match; searches up to 5 years ahead (e.g. `0 0 29 2 *` fires every 4),
 * then throws (`0 0 31 2 *` never fires).
 */
export function nextFire(schedule: CronSchedule | string, after: Date): Date {
  const s = typeof schedule === 'string' ? parseCron(schedule) : schedule;
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const limit = after.getTime() + 5 * 366 * 24 * 3600 * 1000;
  while (t.getTime() <= limit) {
    if (!s.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(s, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!s.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!s.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return t;
  }
  throw new AppError('ARGUMENT_INVALID', `cron ${JSON.stringify(s.source)}: never fires`);
}
