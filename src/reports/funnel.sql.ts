/**
 * SQL of GET /reports/funnel (DOMAIN.md §8): per programme, how many enrollments reached each step during the
 * period (a step history row with that to_step and occurred_on in the period; an enrollment counts once per
 * step even if it re-entered it), withdrawals by reason, and how many enrollments started.
 */
import type { ReportScope } from '../auth/access-policy.js';

/**
 * Index: enrollment_steps_to (to_step) to pick the steps of $3, then enrollments' primary key; the date test needs
 * the enrollment (referral rows are dated by started_on), so it is a filter, not an index range.
 * Params: $1 first day, $2 last day, $3 every step name (text[]).
 */
export function funnelStepsSql(scope: ReportScope): string {
  return `
    SELECT e.program::text AS program, s.to_step AS step,
           CASE WHEN s.to_step = 'withdrawn' THEN coalesce(s.reason, 'unspecified') END AS reason,
           count(DISTINCT e.id)::int AS enrollments
    FROM enrollment_steps s
    JOIN enrollments e ON e.id = s.enrollment_id
    WHERE s.to_step = ANY($3::text[]) AND ${scope.enrollments('e')}
      -- The first row (referral) is dated by the enrollment's started_on: an undated referral's row holds the day
      -- it was registered, while started_on moves back to the first recorded activity (#6, undated referral).
      AND CASE WHEN s.from_step IS NULL THEN e.started_on ELSE s.occurred_on END BETWEEN $1 AND $2
    GROUP BY 1, 2, 3`;
}

/**
 * Enrollments started in the period, per programme.
 * Index: enrollments_municipality_started (municipality_id, started_on) for a municipal scope; otherwise a scan
 * of enrollments filtered on started_on (60,000 rows at national scale).
 * Params: $1 first day, $2 last day.
 */
export function funnelStartedSql(scope: ReportScope): string {
  return `
    SELECT e.program::text AS program, count(*)::int AS started
    FROM enrollments e
    WHERE e.started_on BETWEEN $1 AND $2 AND ${scope.enrollments('e')}
    GROUP BY 1`;
}

export interface FunnelStepRow {
  program: string;
  step: string;
  reason: string | null;
  enrollments: number;
}
