/**
 * SQL of GET /reports/comparison (#12): the same figures as the single-municipality reports, one bucket per
 * municipality, so a city's row equals what its own officer's reports show. A municipality's rows are those of
 * its teams (enrollments.municipality_id) or of the patients it is 援護市町村 for — the municipal report scope of
 * AccessPolicy.reportScope, here grouped: a person tied to two cities appears in both rows (each row is that
 * city's own view; rows are not meant to be summed).
 */
import { dischargeViaSql } from './discharges.sql.js';
import { LONG_STAY_DAYS } from './report-maths.js';

/**
 * (muni, enrollment id) for the municipalities in $n (uuid[]).
 * Indexes: enrollments_municipality (municipality_id, …), patients_municipality + enrollments_patient.
 */
export function enrollmentsByMunicipalitySql(n: number): string {
  return `
    SELECT e.municipality_id AS muni, e.id FROM enrollments e WHERE e.municipality_id = ANY($${n}::uuid[])
    UNION
    SELECT p.responsible_municipality_id, e.id FROM patients p JOIN enrollments e ON e.patient_id = p.id
     WHERE p.responsible_municipality_id = ANY($${n}::uuid[])`;
}

/**
 * Enrollments started in the fiscal year, and contacts with peer involvement, per municipality.
 * Indexes: enrollmentsByMunicipalitySql's, contacts_peer. Params: $1 municipality ids, $2 first day, $3 last day.
 */
export const COMPARISON_ENROLLMENTS_SQL = `
  WITH em AS (${enrollmentsByMunicipalitySql(1)})
  SELECT em.muni,
         count(*) FILTER (WHERE e.started_on BETWEEN $2 AND $3)::int AS enrollments_started,
         coalesce(sum((SELECT count(*) FROM contacts c
                        WHERE c.enrollment_id = em.id AND cardinality(c.peer_supporter_ids) > 0
                          AND c.occurred_on BETWEEN $2 AND $3)), 0)::int AS peer_contacts
  FROM em JOIN enrollments e ON e.id = em.id
  GROUP BY em.muni`;

/**
 * Discharges per municipality: all, long-stay, through the programme (of that municipality), days from
 * enrollment start to discharge. Indexes: admissions_patient, patients_municipality, enrollments_municipality,
 * then dischargeViaSql's. Params: $1 municipality ids, $2 first day, $3 last day.
 */
export const COMPARISON_DISCHARGES_SQL = `
  WITH am AS (
    SELECT p.responsible_municipality_id AS muni, a.id
      FROM patients p JOIN admissions a ON a.patient_id = p.id
     WHERE p.responsible_municipality_id = ANY($1::uuid[]) AND a.discharged_on BETWEEN $2 AND $3
    UNION
    SELECT e.municipality_id, a.id
      FROM enrollments e JOIN admissions a ON a.patient_id = e.patient_id
     WHERE e.municipality_id = ANY($1::uuid[]) AND a.discharged_on BETWEEN $2 AND $3
  )
  SELECT am.muni,
         count(*)::int AS discharges,
         count(*) FILTER (WHERE a.discharged_on - a.admitted_on >= ${LONG_STAY_DAYS})::int AS long_stay_discharges,
         count(via.enrollment_id)::int AS program_discharges,
         coalesce(array_agg(a.discharged_on - via.started_on) FILTER (WHERE via.enrollment_id IS NOT NULL), '{}') AS days_from_enrollment
  FROM am
  JOIN admissions a ON a.id = am.id
  JOIN patients p ON p.id = a.patient_id
  LEFT JOIN LATERAL (${dischargeViaSql('(e.municipality_id = am.muni OR p.responsible_municipality_id = am.muni)')}) via ON true
  GROUP BY am.muni`;

/**
 * Events per municipality: transition-programme sessions, hospitals reached, events with peer supporters.
 * Index: events_municipality (municipality_id, held_on). Params: $1 municipality ids, $2 first day, $3 last day.
 */
export const COMPARISON_EVENTS_SQL = `
  SELECT ev.municipality_id AS muni,
         count(*) FILTER (WHERE ev.kind = 'transition_program')::int AS sessions,
         count(DISTINCT ev.hospital_id) FILTER (WHERE ev.kind = 'transition_program')::int AS hospitals_reached,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM event_peer_supporters eps WHERE eps.event_id = ev.id))::int AS peer_events
  FROM events ev
  WHERE ev.municipality_id = ANY($1::uuid[]) AND ev.held_on BETWEEN $2 AND $3
  GROUP BY 1`;

export interface ComparisonSqlRow {
  muni: string;
  [column: string]: unknown;
}
