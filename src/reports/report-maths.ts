/**
 * The arithmetic of the reports (DOMAIN.md §8), as pure functions: medians, rates, the follow-up windows, the
 * intensity bands, months and the fiscal year, and the suppression of small numbers for publication.
 * The SQL counts; these functions decide how a count becomes a published figure.
 */
import { fiscalYearOf, fiscalYearRange, todayInTokyo } from '../common/dates.js';

/** The middle value (mean of the two middle values for an even count); null when there is none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const m = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return round(m, 1);
}

/** Round half away from zero to `digits` decimals (published figures; avoids 1.005 → 1.00 drift). */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return (Math.sign(x) * Math.round(Math.abs(x) * f + 1e-9)) / f;
}

/** numerator / denominator as a percentage with one decimal; null when there is nothing to divide by. */
export function ratePercent(numerator: number, denominator: number): number | null {
  return denominator > 0 ? round((100 * numerator) / denominator, 1) : null;
}

/** numerator per unit of denominator (e.g. contacts per enrollment-month), two decimals; null for 0. */
export function perUnit(numerator: number, denominator: number, digits = 2): number | null {
  return denominator > 0 ? round(numerator / denominator, digits) : null;
}

export function mean(sum: number, n: number): number | null {
  return n > 0 ? round(sum / n, 1) : null;
}

/**
 * Follow-up windows. "Within 3 months" is defined in days, not calendar months, so every discharge gets the same
 * window whatever month it falls in: an event on day d after the discharge (or admission; the day itself is day 0)
 * is within 3 months when d ≤ 90, within 6 when d ≤ 180 and within 12 when d ≤ 365. A readmission on day 90
 * counts as within 3 months, one on day 91 does not. A window is observed once it is over (day + window < today);
 * younger discharges are reported as pending, not as "not readmitted".
 */
export const FOLLOW_UP_WINDOWS = [
  { months: 3, days: 90 },
  { months: 6, days: 180 },
  { months: 12, days: 365 },
] as const;

/** 退院後1年以内の地域での平均生活日数: the year after a discharge is its 365 following days. */
export const COMMUNITY_YEAR_DAYS = 365;

/** A stay of 365 days or more is long-stay (長期入院, DOMAIN.md §4). */
export const LONG_STAY_DAYS = 365;

/**
 * The national figures of the 第7期障害福祉計画 (FY2024–2026) basic guideline — reference values to compare with,
 * labelled as the NATIONAL targets, never a municipality's own target.
 */
export const NATIONAL_TARGETS = {
  source:
    '第7期障害福祉計画 基本指針の国の成果目標（参考値） / national targets of the 7th disability welfare plan (reference only)',
  communityLivingDays: 325.3,
  dischargeRatePercent: { 3: 68.9, 6: 84.5, 12: 91.0 } as Record<number, number>,
};

/**
 * Face-to-face days per enrollment-month, in bands (the seed's open question: how often?). Lower bound
 * inclusive, upper exclusive: 1.9 is "<2", 2.0 and 3.5 are "2–3", 4.0 is "4–7", 8.0 is "≥8".
 */
export const INTENSITY_BANDS = [
  { band: '<2', min: 0, max: 2 },
  { band: '2-3', min: 2, max: 4 },
  { band: '4-7', min: 4, max: 8 },
  { band: '>=8', min: 8, max: null },
] as const;
export type IntensityBand = (typeof INTENSITY_BANDS)[number]['band'];

export function intensityBand(daysPerMonth: number): IntensityBand {
  for (const b of INTENSITY_BANDS) if (b.max === null || daysPerMonth < b.max) return b.band;
  return '>=8';
}

/** The same bands as an SQL CASE over `expr` (one definition for the JS and the SQL side). */
export function intensityBandSql(expr: string): string {
  const whens = INTENSITY_BANDS.filter((b) => b.max !== null).map(
    (b) => `WHEN ${expr} < ${b.max} THEN '${b.band}'`,
  );
  return `CASE ${whens.join(' ')} ELSE '${INTENSITY_BANDS[INTENSITY_BANDS.length - 1].band}' END`;
}

/**
 * Calendar months from `from` to `to` inclusive that the period touches: an enrollment-month is a month in which
 * the enrollment was open on at least one day (地域移行支援 is billed per calendar month). 0 when to < from.
 */
export function monthsTouched(from: string, to: string): number {
  if (to < from) return 0;
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm) + 1;
}

/** The same as SQL over two date expressions. */
export function monthsTouchedSql(from: string, to: string): string {
  return `((extract(year FROM ${to})::int - extract(year FROM ${from})::int) * 12
           + extract(month FROM ${to})::int - extract(month FROM ${from})::int + 1)`;
}

/** Japanese fiscal year (年度, April–March) of a date, as SQL. */
export function fiscalYearSql(date: string): string {
  return `(extract(year FROM ${date})::int - CASE WHEN extract(month FROM ${date}) < 4 THEN 1 ELSE 0 END)`;
}

export interface Period {
  from: string;
  to: string;
}

/** The fiscal year asked for, or the current one in Tokyo, as its first and last day. */
export function fiscalYearPeriod(
  fiscalYear: number | undefined,
  today = todayInTokyo(),
): Period & { fiscalYear: number } {
  const fy = fiscalYear ?? fiscalYearOf(today);
  return { fiscalYear: fy, ...fiscalYearRange(fy) };
}

/** A published count: exact, or "<N" when 1 ≤ n < N under suppression. Zero is never suppressed. */
export type Cell = number | string;

/**
 * Small-number suppression for publication (公表時の秘匿): with a threshold N, every count from 1 to N−1 reads
 * "<N", and a rate, mean or median derived from fewer than N people is withheld (null, and its field is listed in
 * the row's `withheld`). Without a threshold everything is exact.
 */
export class Disclosure {
  constructor(readonly below: number | null) {}

  static exact(): Disclosure {
    return new Disclosure(null);
  }

  count(n: number): Cell {
    return this.below !== null && n >= 1 && n < this.below ? `<${this.below}` : n;
  }

  /** `value` derived from `people`; withheld (null + its name in `withheld`) when 1 ≤ people < N. */
  derived<T>(value: T | null, people: number, field: string, withheld: string[]): T | null {
    if (value === null) return null;
    if (this.below !== null && people >= 1 && people < this.below) {
      withheld.push(field);
      return null;
    }
    return value;
  }
}

/** The dimensions of the discharges report, in the order of `?groupBy=`. */
export const DISCHARGE_DIMENSIONS = [
  'month',
  'fiscalYear',
  'hospital',
  'team',
  'program',
  'destination',
  'admissionType',
] as const;
export type DischargeDimension = (typeof DISCHARGE_DIMENSIONS)[number];

/** `month,hospital` → ['month', 'hospital']; unknown or repeated names → an error message. */
export function parseGroupBy(raw: string | undefined): { dims: DischargeDimension[] } | { error: string } {
  if (raw === undefined || raw.trim() === '') return { dims: [] };
  const names = raw.split(',').map((s) => s.trim());
  const dims: DischargeDimension[] = [];
  for (const n of names) {
    if (!(DISCHARGE_DIMENSIONS as readonly string[]).includes(n)) {
      return {
        error: `groupBy: unknown dimension "${n.slice(0, 40)}"; use ${DISCHARGE_DIMENSIONS.join(', ')}`,
      };
    }
    if (dims.includes(n as DischargeDimension)) return { error: `groupBy: "${n}" is given twice` };
    dims.push(n as DischargeDimension);
  }
  return { dims };
}
