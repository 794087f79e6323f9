/**
 * SQL of GET /reports/discharges (DOMAIN.md §8), pasteable into psql once the scope predicates are filled in.
 * A discharge is an admission whose discharged_on falls in the period. It is "through the programme" when an
 * enrollment of the same patient recorded the step `discharged` during that stay (admitted_on … discharged_on;
 * the enrollment service records the step on the discharge day and closes the admission in the same
 * transaction). Should two enrollments claim one stay, the earliest-started one is credited, once.
 */
import type { ReportScope } from '../auth/access-policy.js';
import { type DischargeDimension, fiscalYearSql, LONG_STAY_DAYS } from './report-maths.js';

/**
 * The enrollment (of the admission `a`'s patient) through which the stay ended, for LEFT JOIN LATERAL.
 * `enrollmentPredicate` limits the candidates to the enrollments the report may count.
 * Indexes: enrollments_patient (patient_id), enrollment_steps_discharged (enrollment_id, occurred_on) WHERE to_step='discharged'.
 */
export function dischargeViaSql(enrollmentPredicate: string): string {
  return `
    SELECT e.id AS enrollment_id, e.program::text AS program, e.team_id, e.started_on
    FROM enrollments e
    WHERE e.patient_id = a.patient_id AND ${enrollmentPredicate}
      AND EXISTS (SELECT 1 FROM enrollment_steps s
                  WHERE s.enrollment_id = e.id AND s.to_step = 'discharged'
                    AND s.occurred_on BETWEEN a.admitted_on AND a.discharged_on)
    ORDER BY e.started_on, e.id
    LIMIT 1`;
}

interface DimensionSql {
  /** SELECT items (with the camel-free column aliases the view maps). */
  select: string[];
  /** GROUP BY expressions. */
  group: string[];
  /** ORDER BY expressions (names before ids, so the CSV reads in a human order); empty → the group expressions. */
  order: string[];
}

export const DIMENSION_SQL: Record<DischargeDimension, DimensionSql> = {
  month: {
    select: [`to_char(d.discharged_on, 'YYYY-MM') AS month`],
    group: [`to_char(d.discharged_on, 'YYYY-MM')`],
    order: [],
  },
  fiscalYear: {
    select: [`${fiscalYearSql('d.discharged_on')} AS fiscal_year`],
    group: [fiscalYearSql('d.discharged_on')],
    order: [],
  },
  hospital: {
    select: ['d.hospital_id', 'h.name AS hospital_name'],
    group: ['d.hospital_id', 'h.name'],
    order: ['h.name', 'd.hospital_id'],
  },
  team: {
    select: ['d.team_id', 't.name AS team_name'],
    group: ['d.team_id', 't.name'],
    order: ['t.name NULLS LAST', 'd.team_id'],
  },
  program: { select: ['d.program'], group: ['d.program'], order: ['d.program NULLS LAST'] },
  destination: {
    select: ['d.discharge_destination AS destination'],
    group: ['d.discharge_destination'],
    order: ['d.discharge_destination'],
  },
  admissionType: { select: ['d.admission_type'], group: ['d.admission_type'], order: ['d.admission_type'] },
};

/**
 * Counts per group plus the total (GROUPING SETS ((dims), ())): all discharges, long-stay ones (stay ≥ 365 days
 * on the discharge day), those through an enrollment, and the days from enrollment start to discharge (the
 * median is taken in report-maths.ts so every report shares one definition).
 *
 * Indexes: admissions_discharged (discharged_on) WHERE discharged_on IS NOT NULL, or for hospital staff
 * admissions_hospital_discharged (hospital_id, discharged_on); patients_municipality and enrollments_municipality
 * for a municipal scope; then dischargeViaSql's.
 * Params: $1 first day, $2 last day of the period.
 */
export function dischargesSql(scope: ReportScope, dims: DischargeDimension[]): string {
  const parts = dims.map((d) => DIMENSION_SQL[d]);
  const select = parts.flatMap((p) => p.select);
  const group = parts.flatMap((p) => p.group);
  const order = parts.map((p) => (p.order.length ? p.order : p.group).join(', '));
  const grouping = group.length ? `GROUPING SETS ((${group.join(', ')}), ())` : '()';
  const isTotal = group.length ? `GROUPING(${group[0]}) = 1` : 'true';
  return `
    WITH d AS (
      SELECT a.id, a.hospital_id, a.admission_type::text AS admission_type,
             a.discharge_destination::text AS discharge_destination, a.discharged_on,
             (a.discharged_on - a.admitted_on) >= ${LONG_STAY_DAYS} AS is_long_stay,
             via.enrollment_id, via.program, via.team_id,
             a.discharged_on - via.started_on AS days_from_enrollment
      FROM admissions a
      JOIN patients p ON p.id = a.patient_id
      LEFT JOIN LATERAL (${dischargeViaSql(scope.enrollments('e'))}) via ON true
      WHERE a.discharged_on BETWEEN $1 AND $2 AND ${scope.admissions('a', 'p')}
    )
    SELECT ${[...select, `${isTotal} AS is_total`].join(', ')},
           count(*)::int AS discharges,
           count(*) FILTER (WHERE d.is_long_stay)::int AS long_stay_discharges,
           count(d.enrollment_id)::int AS program_discharges,
           coalesce(array_agg(d.days_from_enrollment) FILTER (WHERE d.enrollment_id IS NOT NULL), '{}') AS days_from_enrollment
    FROM d
    LEFT JOIN organizations h ON h.id = d.hospital_id
    LEFT JOIN teams t ON t.id = d.team_id
    GROUP BY ${grouping}
    ORDER BY is_total${order.length ? ', ' + order.join(', ') : ''}`;
}

export interface DischargeSqlRow {
  is_total: boolean;
  month?: string;
  fiscal_year?: number;
  hospital_id?: string;
  hospital_name?: string;
  team_id?: string | null;
  team_name?: string | null;
  program?: string | null;
  destination?: string;
  admission_type?: string;
  discharges: number;
  long_stay_discharges: number;
  program_discharges: number;
  days_from_enrollment: number[];
}
