import { MAX_SPAN_DAYS } from '../contacts/contact-kinds.js';
import { FACE_TO_FACE_KINDS } from '../contacts/monthly-rule.js';
import { currentBenefitPeriod } from './enrollments.sql.js';

/** The monthly rule's face-to-face kinds (DOMAIN.md §6), as the contacts feature defines them. */
export { FACE_TO_FACE_KINDS };

/**
 * The caseload page. The inner query picks the page (an office's ≤ a few hundred active cases through
 * enrollments_office, a station's through enrollments_station, a hospital's through enrollments_hospital) in
 * 五十音順; the LATERAL joins then run for the page's rows only:
 *  - current benefit period: benefit_periods_enrollment
 *  - last contact: contacts_enrollment_date, read backwards, one row
 *  - face-to-face days this month: a contacts_enrollment_date range from MAX_SPAN_DAYS before the month (a
 *    trial stay spans at most that many days, a CHECK in the database) to its end; a trial stay with ends_on
 *    counts each day it covers inside the month; distinct days; a peer visit counts only with staff.
 * Parameters: $1 today, $2 first day of the month, $3 last day of the month, $4 face-to-face kinds; the caller
 * appends its filters (`where`, a whole WHERE clause) and the placeholder of the limit after them.
 */
export function caseloadQuery(where: string, limitParam: string): string {
  return `
    WITH page AS (
      SELECT e.id, e.patient_id, e.program, e.step, e.step_entered_on, e.started_on, e.started_on_recorded, e.team_id, e.support_office_id,
             e.nurse_station_id, e.hospital_id, e.version,
             p.family_name, p.given_name, p.family_name_kana, p.given_name_kana
        FROM enrollments e
        JOIN patients p ON p.id = e.patient_id
       ${where}
       ORDER BY p.family_name_kana, p.given_name_kana, e.id
       LIMIT ${limitParam}
    )
    SELECT page.*, bp.starts_on AS bp_starts_on, bp.ends_on AS bp_ends_on, lc.last_contact_on, f2f.days AS face_to_face_days
      FROM page
      LEFT JOIN LATERAL ${currentBenefitPeriod('page.id', 1)} bp ON TRUE
      LEFT JOIN LATERAL (
        SELECT c.occurred_on AS last_contact_on FROM contacts c
         WHERE c.enrollment_id = page.id ORDER BY c.occurred_on DESC LIMIT 1
      ) lc ON TRUE
      LEFT JOIN LATERAL (
        SELECT count(DISTINCT d.day)::int AS days
          FROM contacts c
          CROSS JOIN LATERAL generate_series(greatest(c.occurred_on, $2::date)::timestamp,
                                             least(coalesce(c.ends_on, c.occurred_on), $3::date)::timestamp,
                                             interval '1 day') AS d(day)
         WHERE c.enrollment_id = page.id
           AND c.occurred_on <= $3::date
           AND c.occurred_on >= $2::date - ${MAX_SPAN_DAYS}
           AND coalesce(c.ends_on, c.occurred_on) >= $2::date
           AND c.kind::text = ANY($4::text[])
           AND (c.kind <> 'peer_visit' OR cardinality(c.staff_ids) > 0)
      ) f2f ON TRUE
     ORDER BY page.family_name_kana, page.given_name_kana, page.id`;
}
