import { Injectable } from '@nestjs/common';
import { type Actor, type Role, ROLES } from './actor.js';
import { Forbidden } from '../common/errors.js';

/**
 * THE access policy (DOMAIN.md §7). Two questions, answered only here:
 *  1. may this role call this kind of action at all? (PERMISSIONS; the global guard asks it → 403)
 *  2. which rows may this actor see? (the *Scope methods: SQL predicates services AND into their queries;
 *     a row outside the scope answers 404 exactly like a missing id, and never appears in lists or reports).
 */
const ALL: readonly Role[] = ROLES;
const PATIENT_READERS: readonly Role[] = [
  'admin',
  'municipal_officer',
  'prefectural_officer', // role may ask, scope is empty: 404 on every patient-level record
  'hospital_staff',
  'support_office_staff',
  'nurse_staff',
];
const CASE_WORKERS: readonly Role[] = ['admin', 'hospital_staff', 'support_office_staff', 'nurse_staff', 'municipal_officer'];

export const PERMISSIONS = {
  'self:read': ALL,
  'self:update': ALL,
  'organization:read': ALL,
  'organization:write': ['admin'],
  'user:read': ['admin'],
  'user:write': ['admin'],
  'audit:read': ['admin'],
  'program:read': ALL,
  'team:read': ALL,
  'team:write': ['admin', 'municipal_officer'],
  'matching:read': ['admin', 'municipal_officer'],
  'patient:read': PATIENT_READERS,
  'patient:create': ['admin', 'hospital_staff'],
  'patient:update': ['admin', 'hospital_staff', 'municipal_officer'],
  'admission:read': PATIENT_READERS,
  'admission:write': ['admin', 'hospital_staff'],
  'enrollment:read': PATIENT_READERS,
  'enrollment:create': ['admin', 'hospital_staff', 'support_office_staff', 'municipal_officer'],
  'enrollment:transition': ['admin', 'hospital_staff', 'support_office_staff', 'municipal_officer'],
  'caseload:read': CASE_WORKERS,
  'contact:read': PATIENT_READERS,
  'contact:create': CASE_WORKERS,
  'compliance:read': ['admin', 'municipal_officer', 'hospital_staff', 'support_office_staff', 'nurse_staff'],
  'peer:read': ALL,
  'peer:write': ['admin', 'municipal_officer'],
  'event:read': ALL,
  'event:write': ['admin', 'municipal_officer'],
  'report:read': ['admin', 'municipal_officer', 'prefectural_officer', 'hospital_staff', 'support_office_staff', 'nurse_staff'],
  'indicator-target:write': ['admin', 'municipal_officer'],
  // City-to-city comparison (#12): municipal and prefectural officers, admins; not hospital/office/nurse staff.
  'comparison:read': ['admin', 'municipal_officer', 'prefectural_officer'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An organization id from a verified token, as an SQL literal (validated, so no injection is possible). */
function orgLiteral(actor: Actor): string {
  return uuidLiteral(actor.organizationId);
}

/** A validated uuid as an SQL literal; anything else becomes NULL, which matches nothing. */
function uuidLiteral(id: string | null): string {
  return id && UUID_RE.test(id) ? `'${id}'::uuid` : 'NULL::uuid';
}

@Injectable()
export class AccessPolicy {
  roleMay(role: Role, permission: Permission): boolean {
    return (PERMISSIONS[permission] as readonly Role[]).includes(role);
  }

  /** Throw 403 when the role may not do this (for checks finer than the route's permission). */
  assertRole(actor: Actor, permission: Permission): void {
    if (!this.roleMay(actor.role, permission)) throw new Forbidden();
  }

  /**
   * Records that belong to a municipality and hold no patient data (events, peer supporters): everyone who may
   * read them sees them all, but an admin manages any and a municipal officer only those of their own
   * municipality — another municipality's, or one with none → 403 (the record is visible, the action is not).
   */
  assertMunicipalManager(actor: Actor, municipalityId: string | null): void {
    if (actor.role === 'admin') return;
    if (actor.role === 'municipal_officer' && municipalityId !== null && municipalityId === actor.organizationId) return;
    throw new Forbidden('You may manage only records of your own municipality.');
  }

  /** Patients the actor may see. `p` is the alias of `patients` in the caller's query. */
  patientScope(actor: Actor, p = 'p'): string {
    const org = orgLiteral(actor);
    switch (actor.role) {
      case 'admin':
        return 'TRUE';
      case 'hospital_staff':
        return `${p}.hospital_id = ${org}`;
      // Written as `id IN (set)` rather than `EXISTS (… = p.id)`: the set comes from one index
      // (enrollments_office / _station / _municipality, patients_municipality) and is hashed once, instead of a
      // probe per patient while walking the kana-ordered list (measured ≈ 4× faster for an officer on 300k patients).
      case 'support_office_staff':
        return `${p}.id IN (SELECT scope_e.patient_id FROM enrollments scope_e WHERE scope_e.support_office_id = ${org})`;
      case 'nurse_staff':
        return `${p}.id IN (SELECT scope_e.patient_id FROM enrollments scope_e WHERE scope_e.nurse_station_id = ${org})`;
      case 'municipal_officer':
        // 援護市町村 is theirs, or the patient is enrolled on a team of their municipality (#12).
        return `${p}.id IN (SELECT scope_p.id FROM patients scope_p WHERE scope_p.responsible_municipality_id = ${org}
                 UNION SELECT scope_e.patient_id FROM enrollments scope_e WHERE scope_e.municipality_id = ${org})`;
      case 'prefectural_officer':
      default:
        return 'FALSE';
    }
  }

  /** Enrollments the actor may see. `e` is the alias of `enrollments`. Contacts follow their enrollment. */
  enrollmentScope(actor: Actor, e = 'e'): string {
    const org = orgLiteral(actor);
    switch (actor.role) {
      case 'admin':
        return 'TRUE';
      case 'hospital_staff':
        return `EXISTS (SELECT 1 FROM patients scope_p WHERE scope_p.id = ${e}.patient_id AND scope_p.hospital_id = ${org})`;
      case 'support_office_staff':
        return `${e}.support_office_id = ${org}`;
      case 'nurse_staff':
        return `${e}.nurse_station_id = ${org}`;
      case 'municipal_officer':
        // Enrollments on their municipality's teams, and every enrollment of a patient they are 援護市町村 for.
        // Not another city's enrollment of a patient merely also enrolled here: that city's case stays its own.
        return `(${e}.municipality_id = ${org} OR ${e}.patient_id IN
                 (SELECT scope_p.id FROM patients scope_p WHERE scope_p.responsible_municipality_id = ${org}))`;
      case 'prefectural_officer':
      default:
        return 'FALSE';
    }
  }

  /**
   * The rows a report may count (DOMAIN.md §7–8, #12). Reports are aggregates: a prefectural officer counts the
   * municipalities of their prefecture (never a single record); an admin or a prefectural officer may narrow to
   * one `municipalityId`, a municipal officer only to their own (another → 403). A municipality's rows are those
   * of its teams (enrollments.municipality_id) or of the patients it is 援護市町村 for. Staff roles count where
   * a row happened, not who holds the patient today: a hospital counts the discharges from its own wards
   * (admissions.hospital_id) and the enrollments started there; offices and stations their own cases.
   * Whether `municipalityId` is a municipality (of the prefecture) is checked by the caller against the table;
   * the prefecture predicate below repeats it so a slip there still counts nothing outside.
   */
  reportScope(actor: Actor, municipalityId?: string | null): ReportScope {
    const org = orgLiteral(actor);
    if (municipalityId) {
      if (actor.role === 'municipal_officer' && municipalityId !== actor.organizationId) {
        throw new Forbidden('A municipal officer sees the reports of their own municipality only.');
      }
      if (!['admin', 'prefectural_officer', 'municipal_officer'].includes(actor.role)) {
        throw new Forbidden('Only administrators and prefectural officers choose a municipality.');
      }
      const m = uuidLiteral(municipalityId);
      const set = actor.role === 'prefectural_officer'
        ? `IN (SELECT rs_m.id FROM organizations rs_m WHERE rs_m.id = ${m} AND rs_m.prefecture_id = ${org})`
        : `= ${m}`;
      return municipalReportScope(set, municipalityId);
    }
    const anyOf = (...preds: string[]) => `(${preds.join(' OR ')})`;
    const hostedOrAttended = (ev: string) =>
      `${ev}.host_id = ${org} OR EXISTS (SELECT 1 FROM event_attendance rs_a WHERE rs_a.event_id = ${ev}.id AND rs_a.organization_id = ${org})`;
    const ownPeers = (ps: string) => `(${ps}.employed_by_id = ${org} OR ${ps}.affiliation_id = ${org})`;
    switch (actor.role) {
      case 'admin':
        return { municipalityId: null, admissions: () => 'TRUE', enrollments: () => 'TRUE', events: () => 'TRUE', peers: () => 'TRUE', hospitals: () => 'TRUE' };
      case 'municipal_officer':
        return municipalReportScope(`= ${org}`, actor.organizationId);
      case 'prefectural_officer':
        return municipalReportScope(`IN (SELECT rs_m.id FROM organizations rs_m WHERE rs_m.kind = 'municipality' AND rs_m.prefecture_id = ${org})`, null);
      case 'hospital_staff':
        return {
          municipalityId: null,
          admissions: (a) => `${a}.hospital_id = ${org}`,
          enrollments: (e) => `${e}.hospital_id = ${org}`,
          events: (ev) => anyOf(`${ev}.hospital_id = ${org}`, hostedOrAttended(ev)),
          peers: ownPeers,
          hospitals: (o) => `${o}.id = ${org}`,
        };
      case 'support_office_staff':
      case 'nurse_staff': {
        const col = actor.role === 'support_office_staff' ? 'support_office_id' : 'nurse_station_id';
        return {
          municipalityId: null,
          admissions: (_a, p) => `EXISTS (SELECT 1 FROM enrollments rs_e WHERE rs_e.patient_id = ${p}.id AND rs_e.${col} = ${org})`,
          enrollments: (e) => `${e}.${col} = ${org}`,
          events: (ev) => anyOf(hostedOrAttended(ev)),
          peers: ownPeers,
          hospitals: () => 'FALSE',
        };
      }
      default:
        return { municipalityId: null, admissions: () => 'FALSE', enrollments: () => 'FALSE', events: () => 'FALSE', peers: () => 'FALSE', hospitals: () => 'FALSE' };
    }
  }
}

/** SQL predicates (to AND into report queries) over the rows one report may count; aliases are the caller's. */
export interface ReportScope {
  /** The one municipality the figures are for (whose indicator targets apply), or null. */
  municipalityId: string | null;
  /** Admissions `a` joined with their patient `p`. */
  admissions(a: string, p: string): string;
  /** Enrollments `e` (contacts and steps follow their enrollment). */
  enrollments(e: string): string;
  /** Events `ev` (会議・研修; no patient data). */
  events(ev: string): string;
  /** Peer supporters `ps`. */
  peers(ps: string): string;
  /** Hospitals `o` (organizations) whose long-stay figures and programme sessions count. */
  hospitals(o: string): string;
}

/**
 * A municipality's rows; `set` is `= <id>` or `IN (<subquery>)` over municipality ids. Written as `IN (… UNION …)`
 * rather than `OR EXISTS` so PostgreSQL can drive the query from patients_municipality and
 * enrollments_municipality (or hash the set once) instead of testing every row of the period.
 */
function municipalReportScope(set: string, municipalityId: string | null): ReportScope {
  return {
    municipalityId,
    admissions: (_a, p) => `${p}.id IN (SELECT rs_p.id FROM patients rs_p WHERE rs_p.responsible_municipality_id ${set}
                 UNION SELECT rs_e.patient_id FROM enrollments rs_e WHERE rs_e.municipality_id ${set})`,
    enrollments: (e) => `${e}.id IN (SELECT rs_e.id FROM enrollments rs_e WHERE rs_e.municipality_id ${set}
                 UNION SELECT rs_pe.id FROM patients rs_p JOIN enrollments rs_pe ON rs_pe.patient_id = rs_p.id
                 WHERE rs_p.responsible_municipality_id ${set})`,
    events: (ev) => `${ev}.municipality_id ${set}`,
    peers: (ps) => `${ps}.municipality_id ${set}`,
    hospitals: (o) => `(${o}.municipality_id ${set} OR EXISTS (SELECT 1 FROM teams rs_t
                 WHERE rs_t.hospital_id = ${o}.id AND rs_t.municipality_id ${set}))`,
  };
}
