import { AppError } from '../../errors.js';

/** Checks an ISO date/timestamp query value (years 1970–9999) and returns it in ISO form. */
export function parseInstant(field: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw);
  const t = ok ? Date.parse(raw) : NaN;
  if (Number.isNaN(t) || t < 0 || t >= Date.parse('10000-01-01T00:00:00Z'))
    throw new AppError(
      'VALIDATION_FAILED',
      `${field}: must be an ISO date or timestamp between 1970 and 9999`,
    );
  return new Date(t).toISOString();
}
