/**
 * SQL of GET /reports/indicators (the indicator sheet, DOMAIN.md §8). Discharges through the programme come
 * from dischargesSql (one definition for every report).
 */
import type { ReportScope } from '../auth/access-policy.js';

/**
 * In-hospital transition-programme sessions (院内での地域移行支援プログラム) held in the period, per hospital.
 * Index: events_municipality_kind_held (municipality_id, kind, held_on) for a municipal scope, else
 * events_kind_held (kind, held_on).
 * Params: $1 first day, $2 last day.
 */
export function sessionsPerHospitalSql(scope: ReportScope): string {
  return `
    SELECT ev.hospital_id, h.name AS hospital_name, count(*)::int AS sessions
    FROM events ev
    JOIN organizations h ON h.id = ev.hospital_id
    WHERE ev.kind = 'transition_program' AND ev.held_on BETWEEN $1 AND $2 AND ${scope.events('ev')}
    GROUP BY ev.hospital_id, h.name`;
}

/**
 * The hospitals the sheet is about ("every hospital ≥ 1 session"): active hospitals in the municipality's area
 * or on one of its teams, with their latest long-stay inpatient figure (長期入院患者数; the table keeps only the
 * latest count and its as-of date, so the sheet shows that figure whatever the year).
 * Indexes: organizations_kind_name_id, organizations_municipality, teams_hospital.
 * No params.
 */
export function scopeHospitalsSql(scope: ReportScope): string {
  return `
    SELECT o.id, o.name, o.long_stay_inpatients, o.long_stay_as_of
    FROM organizations o
    WHERE o.kind = 'hospital' AND o.active AND ${scope.hospitals('o')}
    ORDER BY o.name, o.id`;
}

/**
 * Peer involvement (ピアの方が関わる場), supporter training (サポーター養成研修) and peers employed.
 * Indexes: contacts_peer (enrollment_id, occurred_on) WHERE cardinality(peer_supporter_ids) > 0;
 * events_municipality_kind_held / events_held; event_peer_supporters_pkey; peer_supporters_municipality.
 * Params: $1 first day, $2 last day.
 */
export function indicatorCountsSql(scope: ReportScope): string {
  return `
    SELECT
      (SELECT count(*) FROM contacts c JOIN enrollments e ON e.id = c.enrollment_id
        WHERE cardinality(c.peer_supporter_ids) > 0 AND c.occurred_on BETWEEN $1 AND $2
          AND ${scope.enrollments('e')})::int AS peer_contacts,
      (SELECT count(*) FROM events ev
        WHERE ev.held_on BETWEEN $1 AND $2 AND ${scope.events('ev')}
          AND EXISTS (SELECT 1 FROM event_peer_supporters eps WHERE eps.event_id = ev.id))::int AS peer_events,
      (SELECT count(*) FROM events ev
        WHERE ev.kind = 'supporter_training' AND ev.held_on BETWEEN $1 AND $2 AND ${scope.events('ev')})::int AS trainings,
      (SELECT count(*) FROM peer_supporters ps
        WHERE ps.active AND ps.employed_by_id IS NOT NULL AND ps.employed_since <= $2
          AND ${scope.peers('ps')})::int AS peers_employed`;
}

export interface IndicatorCountsRow {
  peer_contacts: number;
  peer_events: number;
  trainings: number;
  peers_employed: number;
}

/**
 * The stored targets that apply: the municipality's own row, else the deployment-wide row (municipality_id NULL).
 * Index: indicator_targets_unique (fiscal_year, code, municipality_id).
 * Params: $1 fiscal year, $2 municipality id or NULL.
 */
export const TARGETS_SQL = `
  SELECT DISTINCT ON (code) *
  FROM indicator_targets
  WHERE fiscal_year = $1 AND (municipality_id = $2 OR municipality_id IS NULL)
  ORDER BY code, municipality_id NULLS LAST`;
