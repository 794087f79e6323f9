/**
 * SQL of the monthly face-to-face rule (GET /contacts/compliance), kept here so a reviewer can paste it into psql.
 * `$scope` is AccessPolicy.enrollmentScope(actor, 'e'); parameters are listed above each query.
 */

/**
 * Enrollments of community_transition that were in granted/planned/supporting on at least one day of the month.
 *
 * Step windows: each enrollment_steps row holds its `to_step` from its `occurred_on` (inclusive) to the next row's
 * `occurred_on` (exclusive; rows ordered by occurred_on, created_at) — so the day of a transition belongs to the
 * new step: an enrollment discharged on 1 June is not in `supporting` in June. The last history row lasts while
 * it is the enrollment's current step, or until `step_entered_on` if the history lags behind. The current step
 * counts from `step_entered_on` on, so an enrollment whose history is incomplete is still judged by where it
 * stands. `coveredFrom`/`coveredTo` clip those windows to the month.
 * The first row (from_step NULL, the referral) of an undated referral (started_on_recorded false) starts on the
 * enrollment's started_on rather than its stored occurred_on: the append-only row keeps the registration day while
 * started_on is the provisional referral date, lowered by earlier moves and contacts — taking the row's date would
 * sort the referral after steps that happened before it was registered and cut their windows short.
 *
 * Indexes: enrollments_office / _hospital / _municipality (scope), enrollment_steps_enrollment.
 * Params: $1 first day, $2 last day, $3 rule steps (text[]), then the optional filters.
 */
export function enrollmentsInRuleSql(scope: string, officeParam: number | null): string {
  return `
    WITH cand AS (
      SELECT e.id, e.patient_id, e.support_office_id, e.hospital_id, e.step, e.step_entered_on, e.started_on, e.started_on_recorded
      FROM enrollments e
      WHERE e.program = 'community_transition' AND ${scope}
        AND e.started_on <= $2 AND (e.ended_on IS NULL OR e.ended_on >= $1)
        ${officeParam ? `AND e.support_office_id = $${officeParam}` : ''}
    ), history AS (
      SELECT s.enrollment_id, s.to_step, s.created_at, c.step AS current_step, c.step_entered_on,
             CASE WHEN s.from_step IS NULL AND NOT c.started_on_recorded THEN c.started_on ELSE s.occurred_on END AS occurred_on
      FROM enrollment_steps s JOIN cand c ON c.id = s.enrollment_id
    ), windows AS (
      SELECT h.enrollment_id, h.to_step AS step, h.occurred_on AS from_on,
             COALESCE(lead(h.occurred_on) OVER (PARTITION BY h.enrollment_id ORDER BY h.occurred_on, h.created_at),
                      CASE WHEN h.to_step = h.current_step THEN NULL ELSE h.step_entered_on END) AS until_on
      FROM history h
      UNION ALL
      SELECT c.id, c.step, c.step_entered_on, NULL FROM cand c
    ), covered AS (
      SELECT enrollment_id,
             min(GREATEST(from_on, $1::date)) AS covered_from,
             max(LEAST(COALESCE(until_on - 1, $2::date), $2::date)) AS covered_to
      FROM windows
      WHERE step = ANY($3::text[]) AND from_on <= $2 AND (until_on IS NULL OR (until_on > $1 AND until_on > from_on))
      GROUP BY enrollment_id
    )
    SELECT c.id AS enrollment_id, c.patient_id, c.support_office_id, c.hospital_id, c.step,
           cov.covered_from, cov.covered_to,
           p.family_name, p.given_name, p.family_name_kana, p.given_name_kana,
           so.name AS support_office_name, h.name AS hospital_name
    FROM covered cov
    JOIN cand c ON c.id = cov.enrollment_id
    JOIN patients p ON p.id = c.patient_id
    JOIN organizations so ON so.id = c.support_office_id
    JOIN organizations h ON h.id = c.hospital_id`;
}

/**
 * The contacts that may count in the month for these enrollments: face-to-face kinds touching the month, one row
 * per distinct (enrollment, kind, days, staff present) — the day counting itself is monthly-rule.ts.
 * A stay starts at most MAX_SPAN_DAYS before the month (a CHECK on contacts), so the index range stays bounded.
 *
 * Index: contacts_enrollment_date (enrollment_id, occurred_on DESC, id DESC).
 * Params: $1 first day, $2 last day, $3 enrollment ids, $4 face-to-face kinds, $5 max span days.
 */
export const FACE_TO_FACE_CONTACTS_SQL = `
  SELECT DISTINCT c.enrollment_id, c.kind, c.occurred_on, c.ends_on, cardinality(c.staff_ids) AS staff_count
  FROM contacts c
  WHERE c.enrollment_id = ANY($3::uuid[])
    AND c.kind = ANY($4::contact_kind[])
    AND c.occurred_on BETWEEN $1::date - $5::int AND $2::date
    AND COALESCE(c.ends_on, c.occurred_on) >= $1::date`;

/**
 * Benefit periods (支給決定期間) of active, visible enrollments ending between today and today + 30 days for which
 * no later period (a renewal) has been granted yet.
 *
 * Index: benefit_periods_ends (ends_on).
 * Params: $1 today, $2 today + 30, then the optional office filter.
 */
export function endingBenefitPeriodsSql(scope: string, officeParam: number | null): string {
  return `
    SELECT bp.id AS benefit_period_id, bp.enrollment_id, bp.starts_on, bp.ends_on,
           e.patient_id, e.program, e.step, e.support_office_id,
           p.family_name, p.given_name, p.family_name_kana, p.given_name_kana
    FROM benefit_periods bp
    JOIN enrollments e ON e.id = bp.enrollment_id
    JOIN patients p ON p.id = e.patient_id
    WHERE bp.ends_on BETWEEN $1::date AND $2::date
      AND e.is_active AND ${scope}
      ${officeParam ? `AND e.support_office_id = $${officeParam}` : ''}
      AND NOT EXISTS (SELECT 1 FROM benefit_periods nx WHERE nx.enrollment_id = bp.enrollment_id AND nx.starts_on > bp.ends_on)
    ORDER BY bp.ends_on, p.family_name_kana, p.given_name_kana, bp.id`;
}
