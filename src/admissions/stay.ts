import { addMonths, daysBetween } from '../common/dates.js';

/**
 * Length of stay, long-stay and readmission (DOMAIN.md §4). Pure functions on `YYYY-MM-DD` calendar dates of
 * the Asia/Tokyo calendar; "today" is always passed in (`todayInTokyo()` at the edge), never read here.
 */

/** 長期入院: a stay of one year or more, counted as ≥ 365 days (the national survey's 1年以上 threshold). */
export const LONG_STAY_DAYS = 365;

/** Readmission windows in months after a discharge, narrowest first (再入院率 3・6・12か月). */
export const READMISSION_WINDOWS = [3, 6, 12] as const;
export type ReadmissionWindow = (typeof READMISSION_WINDOWS)[number];

/**
 * Days from admission to `asOf`, or to the discharge when it came before `asOf` (the stay was over then).
 * The admission day is day 0: admitted 2025-04-01, on 2026-04-01 the stay is 365 days.
 * `null` when `asOf` is before the admission (the stay had not begun).
 */
export function lengthOfStayDays(
  admittedOn: string,
  dischargedOn: string | null,
  asOf: string,
): number | null {
  const end = dischargedOn !== null && dischargedOn < asOf ? dischargedOn : asOf;
  if (end < admittedOn) return null;
  return daysBetween(admittedOn, end);
}

/** Long-stay at `asOf` (or, for a stay that ended before `asOf`, whether it had reached a year by discharge). */
export function isLongStay(days: number | null): boolean {
  return days !== null && days >= LONG_STAY_DAYS;
}

/**
 * The narrowest window (3, 6 or 12 months) within which an admission on `admittedOn` followed the latest
 * discharge on or before that day; `null` when none. "Within 3 months" includes the day exactly 3 calendar
 * months after the discharge (`addMonths`, so 31 Jan + 1 month is 28/29 Feb).
 */
export function readmissionWithin(
  admittedOn: string,
  previousDischarges: readonly string[],
): ReadmissionWindow | null {
  let last: string | null = null;
  for (const d of previousDischarges) {
    if (d <= admittedOn && (last === null || d > last)) last = d;
  }
  if (last === null) return null;
  for (const months of READMISSION_WINDOWS) {
    if (admittedOn <= addMonths(last, months)) return months;
  }
  return null;
}

export interface StayLike {
  id: string;
  admittedOn: string;
  dischargedOn: string | null;
}

/** The discharge that preceded `stay` among a patient's stays (latest discharge on or before its admission). */
export function previousDischargeOf(stay: StayLike, all: readonly StayLike[]): string | null {
  let last: string | null = null;
  for (const s of all) {
    if (s.id === stay.id || s.dischargedOn === null || s.dischargedOn > stay.admittedOn) continue;
    if (last === null || s.dischargedOn > last) last = s.dischargedOn;
  }
  return last;
}

/** Whether [admittedOn, dischargedOn] of a new or changed stay overlaps another stay of the same patient. */
export function overlapsAnother(stay: StayLike, all: readonly StayLike[]): StayLike | null {
  const end = stay.dischargedOn ?? '9999-12-31';
  for (const s of all) {
    if (s.id === stay.id) continue;
    const sEnd = s.dischargedOn ?? '9999-12-31';
    // A readmission on the day of the previous discharge is a real case (退院当日の再入院), so touching ends are allowed.
    if (stay.admittedOn < sEnd && s.admittedOn < end) return s;
  }
  return null;
}
