/**
 * SQL of GET /reports/contact-intensity (DOMAIN.md §8, the seed's question "which approach, how often?") and the
 * intensity columns of the comparison.
 *
 * An enrollment is open from started_on to ended_on (or, when it ended without ended_on, its last step date);
 * an enrollment-month is a calendar month in which it was open on at least one day (地域移行支援 is billed per
 * month). Face-to-face days follow the monthly rule (src/contacts/monthly-rule.ts): distinct days with a
 * face-to-face kind, a peer visit only with staff present, every day of a trial stay.
 */
import type { ReportScope } from '../auth/access-policy.js';
import { MAX_SPAN_DAYS } from '../contacts/contact-kinds.js';
import { FACE_TO_FACE_KINDS } from '../contacts/monthly-rule.js';
import { intensityBandSql, monthsTouchedSql } from './report-maths.js';

const F2F_KINDS = `ARRAY[${FACE_TO_FACE_KINDS.map((k) => `'${k}'`).join(', ')}]::contact_kind[]`;

/** Kinds that make an approach (the seed: 体験宿泊・体験利用, 同行支援, ピア). */
export const APPROACHES = {
  trial: { kinds: ['trial_stay', 'trial_service_use'], sql: `c.kind IN ('trial_stay', 'trial_service_use')` },
  accompaniment: { kinds: ['accompanied_outing'], sql: `c.kind = 'accompanied_outing'` },
  peer: { kinds: ['peer_visit'], sql: `(c.kind = 'peer_visit' OR cardinality(c.peer_supporter_ids) > 0)` },
} as const;
export type Approach = keyof typeof APPROACHES;

/**
 * Distinct face-to-face days of enrollment `id` between `fromOn` and `toOn` (SQL expressions).
 * Index: contacts_enrollment_date (enrollment_id, occurred_on DESC, id DESC); a stay starts at most
 * MAX_SPAN_DAYS before its last day (a CHECK on contacts), which bounds the range.
 */
export function faceToFaceDaysSql(id: string, fromOn: string, toOn: string): string {
  return `(SELECT count(DISTINCT g.day)
             FROM contacts fc
             CROSS JOIN LATERAL generate_series(fc.occurred_on::timestamp, coalesce(fc.ends_on, fc.occurred_on)::timestamp,
                                                interval '1 day') AS g(day)
            WHERE fc.enrollment_id = ${id}
              AND fc.occurred_on BETWEEN ${fromOn} - ${MAX_SPAN_DAYS} AND ${toOn}
              AND fc.kind = ANY(${F2F_KINDS})
              AND (fc.kind <> 'peer_visit' OR cardinality(fc.staff_ids) > 0)
              AND g.day::date BETWEEN ${fromOn} AND ${toOn})`;
}

/**
 * Enrollments open during [$1, $2], per bucket: count, enrollment-months, face-to-face days and contacts by kind.
 * `source` is a SELECT of (bucket, id): the single report uses one NULL bucket over its scope, the comparison
 * one bucket per municipality.
 * Indexes: those of `source`, then enrollments_pkey and contacts_enrollment_date.
 * Params: $1 first day, $2 last day (the fiscal year, cut at today).
 */
export function openEnrollmentsSql(source: string): string {
  return `
    WITH src AS (${source}),
    o AS (
      SELECT s.bucket, e.id, greatest(e.started_on, $1::date) AS from_on,
             least(coalesce(e.ended_on, CASE WHEN NOT e.is_active THEN e.step_entered_on END, $2::date), $2::date) AS to_on
      FROM src s JOIN enrollments e ON e.id = s.id
      WHERE e.started_on <= $2 AND (e.ended_on IS NULL OR e.ended_on >= $1)
    ),
    op AS (
      SELECT o.bucket, o.id, o.from_on, o.to_on, ${monthsTouchedSql('o.from_on', 'o.to_on')} AS months,
             ${faceToFaceDaysSql('o.id', 'o.from_on', 'o.to_on')} AS f2f_days
      FROM o WHERE o.to_on >= o.from_on
    ),
    kinds AS (
      SELECT op.bucket, c.kind::text AS kind, count(*)::int AS n
      FROM op JOIN contacts c ON c.enrollment_id = op.id AND c.occurred_on BETWEEN op.from_on AND op.to_on
      GROUP BY 1, 2
    )
    SELECT t.bucket, t.enrollments, t.enrollment_months, t.face_to_face_days,
           coalesce((SELECT json_object_agg(k.kind, k.n) FROM kinds k WHERE k.bucket IS NOT DISTINCT FROM t.bucket), '{}') AS contacts_by_kind
    FROM (SELECT bucket, count(*)::int AS enrollments, sum(months)::int AS enrollment_months, sum(f2f_days)::int AS face_to_face_days
          FROM op GROUP BY bucket) t`;
}

export function scopedEnrollmentsSource(scope: ReportScope): string {
  return `SELECT NULL::uuid AS bucket, e.id FROM enrollments e WHERE ${scope.enrollments('e')}`;
}

export interface OpenEnrollmentsRow {
  bucket: string | null;
  enrollments: number;
  enrollment_months: number;
  face_to_face_days: number;
  contacts_by_kind: Record<string, number>;
}

/**
 * Discharge rate by intensity band and approach. Cohort: enrollments of the programmes that lead to a discharge
 * (community_transition, post_involuntary_support) whose in-hospital phase overlaps the period. The phase runs
 * from the start to the first `discharged` step, or to the end of the enrollment, cut to the period. Intensity =
 * face-to-face days in the phase / enrollment-months of the phase; discharged = the phase ended with the
 * `discharged` step inside the period. Approaches count the contacts of the phase.
 * Indexes: enrollments_* for the scope, enrollment_steps_discharged, contacts_enrollment_date.
 * Params: $1 first day, $2 last day (the fiscal year, cut at today).
 */
export function intensityBandsSql(scope: ReportScope): string {
  const approachCols = (Object.keys(APPROACHES) as Approach[])
    .map(
      (
        a,
      ) => `(SELECT count(*) FROM contacts c WHERE c.enrollment_id = ph.id AND c.occurred_on BETWEEN ph.from_on AND ph.to_on
                    AND ${APPROACHES[a].sql})::int AS ${a}_contacts`,
    )
    .join(',\n             ');
  const approachAggs = (Object.keys(APPROACHES) as Approach[])
    .map(
      (a) => `count(*) FILTER (WHERE ${a}_contacts > 0)::int AS ${a}_used,
           count(*) FILTER (WHERE ${a}_contacts > 0 AND is_discharged)::int AS ${a}_used_discharged,
           sum(${a}_contacts)::int AS ${a}_contacts`,
    )
    .join(',\n           ');
  return `
    WITH cand AS (
      SELECT e.id, e.started_on, e.ended_on, e.is_active, e.step_entered_on,
             (SELECT min(s.occurred_on) FROM enrollment_steps s WHERE s.enrollment_id = e.id AND s.to_step = 'discharged') AS discharged_on
      FROM enrollments e
      WHERE e.program IN ('community_transition', 'post_involuntary_support')
        AND e.started_on <= $2 AND (e.ended_on IS NULL OR e.ended_on >= $1)
        AND ${scope.enrollments('e')}
    ), ph AS (
      SELECT id, greatest(started_on, $1::date) AS from_on,
             least(coalesce(discharged_on, 'infinity'::date),
                   coalesce(ended_on, CASE WHEN NOT is_active THEN step_entered_on END, 'infinity'::date), $2::date) AS to_on,
             discharged_on
      FROM cand
    ), per AS (
      SELECT ph.id, ${monthsTouchedSql('ph.from_on', 'ph.to_on')} AS months,
             coalesce(ph.discharged_on BETWEEN ph.from_on AND ph.to_on, false) AS is_discharged,
             ${faceToFaceDaysSql('ph.id', 'ph.from_on', 'ph.to_on')} AS f2f_days,
             (SELECT count(*) FROM contacts c WHERE c.enrollment_id = ph.id AND c.occurred_on BETWEEN ph.from_on AND ph.to_on)::int AS contacts,
             ${approachCols}
      FROM ph WHERE ph.to_on >= ph.from_on
    )
    SELECT ${intensityBandSql('(f2f_days::numeric / months)')} AS band,
           count(*)::int AS enrollments,
           count(*) FILTER (WHERE is_discharged)::int AS discharged,
           sum(contacts)::int AS contacts,
           ${approachAggs}
    FROM per
    GROUP BY 1`;
}

export type IntensityBandRow = {
  band: string;
  enrollments: number;
  discharged: number;
  contacts: number;
} & Record<string, number | string>;
