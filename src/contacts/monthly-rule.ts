import { addDays, daysBetween, daysInMonth } from '../common/dates.js';
import type { ContactKind } from './contact-kinds.js';

/**
 * The monthly face-to-face rule of 地域移行支援 (DOMAIN.md §6): an enrollment in `granted`, `planned` or
 * `supporting` needs face-to-face support on at least 2 distinct days of each calendar month (Asia/Tokyo).
 * Pure functions: the compliance service feeds them the month's contacts; the caseload may reuse them.
 */
export const REQUIRED_DAYS = 2;

/** Steps of community_transition to which the rule applies. */
export const RULE_STEPS = ['granted', 'planned', 'supporting'] as const;

/** Kinds that are face-to-face support. A phone call never counts; a peer visit counts only with staff present. */
export const FACE_TO_FACE_KINDS: readonly ContactKind[] = [
  'face_to_face',
  'accompanied_outing',
  'trial_stay',
  'trial_service_use',
  'home_visit',
  'peer_visit',
];

export type ComplianceStatus = 'met' | 'at_risk' | 'missed';

export interface MonthRange {
  /** `YYYY-MM` */
  month: string;
  /** First and last calendar day of the month, `YYYY-MM-DD`. */
  first: string;
  last: string;
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** `YYYY-MM` → its first and last day, or null when malformed (2026-13, 2026-1, 26-01 …). */
export function parseMonth(month: unknown): MonthRange | null {
  if (typeof month !== 'string') return null;
  const m = MONTH_RE.exec(month);
  if (!m) return null;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  return { month, first: `${m[1]}-${m[2]}-01`, last: `${m[1]}-${m[2]}-${String(daysInMonth(y, mo)).padStart(2, '0')}` };
}

/** The month (`YYYY-MM`) a calendar date falls in. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** What the rule needs to know about one contact. */
export interface RuleContact {
  kind: ContactKind;
  occurredOn: string;
  /** Last day of a multi-day contact (trial stay), or null. */
  endsOn: string | null;
  /** How many staff took part (a peer visit without staff is not face-to-face support by the office). */
  staffCount: number;
}

export function isFaceToFace(c: Pick<RuleContact, 'kind' | 'staffCount'>): boolean {
  if (!FACE_TO_FACE_KINDS.includes(c.kind)) return false;
  return c.kind !== 'peer_visit' || c.staffCount > 0;
}

/**
 * Distinct face-to-face days within the month, sorted. Two contacts on one day count once; a trial stay
 * counts every day it spans, but only the days inside this month (a stay across a month boundary counts in both).
 */
export function faceToFaceDays(contacts: Iterable<RuleContact>, range: Pick<MonthRange, 'first' | 'last'>): string[] {
  const days = new Set<string>();
  for (const c of contacts) {
    if (!isFaceToFace(c)) continue;
    const end = c.endsOn && c.endsOn > c.occurredOn ? c.endsOn : c.occurredOn;
    const from = c.occurredOn < range.first ? range.first : c.occurredOn;
    const to = end > range.last ? range.last : end;
    for (let d = from; d <= to; d = addDays(d, 1)) days.add(d);
  }
  return [...days].sort();
}

export interface MonthAssessment {
  faceToFaceDays: string[];
  faceToFaceDayCount: number;
  /** Face-to-face days still needed this month (0 when met). */
  daysNeeded: number;
  /** Calendar days left in the month counting today (0 once the month is over). */
  daysRemaining: number;
  status: ComplianceStatus;
}

/** Calendar days left in the month, today included; the whole month if it has not begun; 0 when it is over. */
export function daysRemainingIn(range: Pick<MonthRange, 'first' | 'last'>, today: string): number {
  if (today > range.last) return 0;
  if (today < range.first) return daysBetween(range.first, range.last) + 1;
  return daysBetween(today, range.last) + 1;
}

/** `met` with ≥ 2 distinct days; otherwise `at_risk` while the month is not over (today ≤ its last day), else `missed`. */
export function assessMonth(contacts: Iterable<RuleContact>, range: MonthRange, today: string): MonthAssessment {
  const days = faceToFaceDays(contacts, range);
  const daysRemaining = daysRemainingIn(range, today);
  const status: ComplianceStatus = days.length >= REQUIRED_DAYS ? 'met' : today <= range.last ? 'at_risk' : 'missed';
  return {
    faceToFaceDays: days,
    faceToFaceDayCount: days.length,
    daysNeeded: Math.max(0, REQUIRED_DAYS - days.length),
    daysRemaining,
    status,
  };
}
