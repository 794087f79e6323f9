/**
 * SQL of GET /reports/outcomes (DOMAIN.md §8): readmission within 3/6/12 months of a discharge, days lived in the
 * community in the year after it (退院後1年以内の地域での平均生活日数), and the discharge rate at 3/6/12 months
 * after admission. Windows are in days (report-maths.ts FOLLOW_UP_WINDOWS): an event on day d after the
 * discharge/admission day is "within" a window of W days when d ≤ W; a window counts once it is over
 * (day + W < $3, today) — younger cases are pending.
 */
import type { ReportScope } from '../auth/access-policy.js';
import { COMMUNITY_YEAR_DAYS, FOLLOW_UP_WINDOWS } from './report-maths.js';

/**
 * The discharge cohort: discharges in the period to the community — a death or a transfer to another hospital
 * ends the stay but is not a return to the community, so neither enters readmission nor community days.
 * A readmission is any later admission of the same person (any hospital) admitted on or after the discharge
 * day. Hospital days in the year after are the days d+1 … d+365 spent admitted; a stay occupies its admission
 * day up to the day before its discharge (length of stay = discharged_on − admitted_on), an open stay to the
 * end of the window.
 *
 * Indexes: admissions_discharged (discharged_on) / admissions_hospital_discharged for the cohort,
 * admissions_patient (patient_id, admitted_on) for the follow-up.
 * Params: $1 first day, $2 last day, $3 today (Asia/Tokyo).
 */
export function readmissionSql(scope: ReportScope): string {
  const windows = FOLLOW_UP_WINDOWS.map(
    (w) => `count(*) FILTER (WHERE f.discharged_on + ${w.days} < $3)::int AS observed_${w.days},
            count(*) FILTER (WHERE f.discharged_on + ${w.days} < $3 AND f.readmitted_after <= ${w.days})::int AS readmitted_${w.days}`,
  );
  const Y = COMMUNITY_YEAR_DAYS;
  return `
    WITH cohort AS (
      SELECT a.id, a.patient_id, a.discharged_on
      FROM admissions a
      JOIN patients p ON p.id = a.patient_id
      WHERE a.discharged_on BETWEEN $1 AND $2
        AND a.discharge_destination NOT IN ('death', 'transfer_hospital')
        AND ${scope.admissions('a', 'p')}
    ), f AS (
      SELECT c.discharged_on,
             (SELECT min(r.admitted_on - c.discharged_on) FROM admissions r
               WHERE r.patient_id = c.patient_id AND r.id <> c.id AND r.admitted_on >= c.discharged_on) AS readmitted_after,
             (SELECT coalesce(sum(greatest(0, least(coalesce(r.discharged_on, 'infinity'::date), c.discharged_on + ${Y + 1})
                                             - greatest(r.admitted_on, c.discharged_on + 1))), 0)
                FROM admissions r
               WHERE r.patient_id = c.patient_id AND r.id <> c.id
                 AND r.admitted_on >= c.discharged_on AND r.admitted_on <= c.discharged_on + ${Y}) AS hospital_days
      FROM cohort c
    )
    SELECT count(*)::int AS discharges,
           ${windows.join(',\n           ')},
           count(*) FILTER (WHERE f.discharged_on + ${Y} < $3)::int AS observed_year,
           coalesce(sum(${Y} - f.hospital_days) FILTER (WHERE f.discharged_on + ${Y} < $3), 0)::int AS community_days
    FROM f`;
}

export type ReadmissionSqlRow = Record<string, number>;

/**
 * The admission cohort: admissions begun in the period. Discharged within a window = discharged_on −
 * admitted_on ≤ W days, for any destination but death.
 * Index: admissions_admitted (admitted_on).
 * Params: $1 first day, $2 last day, $3 today (Asia/Tokyo).
 */
export function dischargeRateSql(scope: ReportScope): string {
  const windows = FOLLOW_UP_WINDOWS.map(
    (w) => `count(*) FILTER (WHERE a.admitted_on + ${w.days} < $3)::int AS observed_${w.days},
            count(*) FILTER (WHERE a.admitted_on + ${w.days} < $3 AND a.discharged_on - a.admitted_on <= ${w.days}
                             AND a.discharge_destination <> 'death')::int AS discharged_${w.days}`,
  );
  return `
    SELECT count(*)::int AS admissions,
           ${windows.join(',\n           ')}
    FROM admissions a
    JOIN patients p ON p.id = a.patient_id
    WHERE a.admitted_on BETWEEN $1 AND $2 AND ${scope.admissions('a', 'p')}`;
}
