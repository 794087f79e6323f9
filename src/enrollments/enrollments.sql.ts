/**
 * The hand-written SQL of enrollments, in one place so a reviewer can paste it into psql.
 * `scope` is an AccessPolicy predicate over the alias `e` (enrollments); `$today` is a parameter.
 */

/**
 * An enrollment with its patient's name and the benefit period that matters today: the one running, else the
 * next one to start, else the last one to end. Periods per enrollment are few (a renewal every 6–12 months);
 * they are found through the benefit_periods_enrollment index (migration 1764460800350).
 */
export function enrollmentSelect(todayParam: number): string {
  return `
    SELECT e.*, p.family_name, p.given_name, p.family_name_kana, p.given_name_kana,
           p.hospital_id AS patient_hospital_id, p.responsible_municipality_id,
           bp.id AS bp_id, bp.starts_on AS bp_starts_on, bp.ends_on AS bp_ends_on, bp.is_renewal AS bp_is_renewal,
           bp.granted_by_id AS bp_granted_by_id, bp.created_at AS bp_created_at
      FROM enrollments e
      JOIN patients p ON p.id = e.patient_id
      LEFT JOIN LATERAL ${currentBenefitPeriod('e.id', todayParam)} bp ON TRUE`;
}

/** The benefit period of enrollment `enrollmentId` that matters on `$todayParam` (a sub-select for a LATERAL join). */
export function currentBenefitPeriod(enrollmentId: string, todayParam: number): string {
  const today = `$${todayParam}::date`;
  return `(
        SELECT b.* FROM benefit_periods b
         WHERE b.enrollment_id = ${enrollmentId}
         ORDER BY CASE WHEN b.starts_on <= ${today} AND b.ends_on >= ${today} THEN 0
                       WHEN b.starts_on > ${today} THEN 1 ELSE 2 END,
                  CASE WHEN b.starts_on > ${today} THEN b.starts_on END ASC,
                  b.ends_on DESC
         LIMIT 1
      )`;
}

/** One enrollment by id within the caller's scope ($1 id, $2 today). `FOR UPDATE OF e` serialises renewals. */
export function enrollmentById(scope: string, lock: boolean): string {
  return `${enrollmentSelect(2)} WHERE e.id = $1 AND ${scope}${lock ? ' FOR UPDATE OF e' : ''}`;
}

/** The append-only step history, oldest first (enrollment_steps_enrollment index). */
export const STEP_HISTORY = `
  SELECT id, from_step, to_step, occurred_on, actor_id, actor_role, on_behalf_of_id, note, reason, created_at
    FROM enrollment_steps WHERE enrollment_id = $1 ORDER BY created_at, occurred_on, id`;

export const INSERT_STEP = `
  INSERT INTO enrollment_steps (enrollment_id, from_step, to_step, occurred_on, actor_id, actor_role, on_behalf_of_id, note, reason)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

/**
 * Move the step: a compare-and-set on the version ($2; NULL for If-Match: *), zero rows when it does not match.
 * $3 step, $4 occurred_on, $5 is_active, $6 ended_on. $7 is true only for the first move out of an undated
 * referral (started_on_recorded false): the provisional started_on is then lowered to the move's date when that is
 * earlier, in this same UPDATE. LEAST, not an assignment, so a contact that lowered it further meanwhile (without
 * a version bump) is kept.
 */
export const MOVE_STEP = `
  UPDATE enrollments
     SET step = $3, step_entered_on = $4::date, is_active = $5, ended_on = $6::date,
         started_on = CASE WHEN $7::boolean AND NOT started_on_recorded THEN LEAST(started_on, $4::date) ELSE started_on END,
         version = version + 1, updated_at = now()
   WHERE id = $1 AND ($2::int IS NULL OR version = $2::int)
  RETURNING started_on`;

/**
 * A contact (or an amendment) dated before the provisional start of an undated referral lowers it ($2 the
 * contact's occurred_on). No version bump: a contact must not invalidate an If-Match a PSW holds on the enrollment.
 * A no-op (zero rows) for a dated referral or when started_on is already that early.
 */
export const LOWER_UNDATED_START = `
  UPDATE enrollments SET started_on = $2::date
   WHERE id = $1 AND NOT started_on_recorded AND started_on > $2::date
  RETURNING started_on`;

export const BENEFIT_PERIODS = `
  SELECT * FROM benefit_periods WHERE enrollment_id = $1 ORDER BY starts_on, id`;

export const INSERT_BENEFIT_PERIOD = `
  INSERT INTO benefit_periods (enrollment_id, starts_on, ends_on, is_renewal, granted_by_id)
  VALUES ($1, $2, $3, $4, $5) RETURNING *`;

/** The patient's open admission (at most one: admissions_one_open), locked so the discharge cannot race it. */
export const OPEN_ADMISSION_FOR_UPDATE = `
  SELECT id, admitted_on FROM admissions WHERE patient_id = $1 AND discharged_on IS NULL FOR UPDATE`;

/** Close it, but only if it is still open: zero rows means it was closed meanwhile. */
export const CLOSE_ADMISSION = `
  UPDATE admissions SET discharged_on = $2, discharge_destination = $3, version = version + 1, updated_at = now()
   WHERE id = $1 AND discharged_on IS NULL RETURNING id`;

/** Is `organizationId` a current member of the team in this role (left_on IS NULL)? */
export const CURRENT_MEMBER = `
  SELECT 1 FROM team_members WHERE team_id = $1 AND organization_id = $2 AND member_role = $3 AND left_on IS NULL`;
