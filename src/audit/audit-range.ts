import { registerDecorator, type ValidationOptions } from 'class-validator';
import { addDays, isCalendarDate } from '../common/dates.js';

/** An RFC 3339 instant with an explicit offset, e.g. 2026-04-01T09:00:00+09:00 or 2026-04-01T00:00:00.123Z. */
const INSTANT_RE = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

export function isInstant(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = INSTANT_RE.exec(s);
  return !!m && isCalendarDate(m[1]) && !Number.isNaN(Date.parse(s));
}

/** A calendar date (a day in Asia/Tokyo) or an RFC 3339 instant. */
export function IsDateOrInstant(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isDateOrInstant',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be a date YYYY-MM-DD (Tokyo) or an instant like 2026-04-01T09:00:00+09:00`,
        ...options,
      },
      validator: { validate: (v: unknown) => isCalendarDate(v) || isInstant(v) },
    });
  };
}

/**
 * The `from`/`to` filter of the audit trail as instants: `from` is inclusive, `to` is inclusive for an instant
 * and covers the whole day for a date. Dates are days of the Asia/Tokyo calendar. `toBefore` is exclusive.
 */
export function auditRange(from?: string, to?: string): { fromAt?: string; toAt?: string; toBefore?: string } {
  const range: { fromAt?: string; toAt?: string; toBefore?: string } = {};
  if (from) range.fromAt = isCalendarDate(from) ? `${from}T00:00:00+09:00` : from;
  if (to) {
    if (isCalendarDate(to)) range.toBefore = `${addDays(to, 1)}T00:00:00+09:00`;
    else range.toAt = to;
  }
  return range;
}

/** Whether the range is empty by construction (from after to). */
export function isBackwards(from?: string, to?: string): boolean {
  if (!from || !to) return false;
  const r = auditRange(from, to);
  const start = Date.parse(r.fromAt as string);
  return r.toBefore ? start >= Date.parse(r.toBefore) : start > Date.parse(r.toAt as string);
}
