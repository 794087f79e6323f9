import { fiscalYearRange } from '../common/dates.js';

export interface EventDateFilter {
  from?: string;
  to?: string;
  fiscalYear?: number;
}

/** The inclusive held_on range a list asks for; `empty` when the filters cannot overlap (the answer is no rows). */
export interface DateWindow {
  from: string | null;
  to: string | null;
  empty: boolean;
}

/**
 * Combine `from`, `to` and `fiscalYear` (年度: April–March, so fiscalYear=2026 is 2026-04-01..2027-03-31) into one
 * window: all given filters apply together. Dates are YYYY-MM-DD strings, which compare as dates.
 */
export function eventDateWindow(f: EventDateFilter): DateWindow {
  let from = f.from ?? null;
  let to = f.to ?? null;
  if (f.fiscalYear !== undefined) {
    const fy = fiscalYearRange(f.fiscalYear);
    from = from === null || fy.from > from ? fy.from : from;
    to = to === null || fy.to < to ? fy.to : to;
  }
  return { from, to, empty: from !== null && to !== null && from > to };
}
