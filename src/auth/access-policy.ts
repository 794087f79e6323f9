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
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An organization id from a verified token, as an SQL literal (validated, so no injection is possible). */
function orgLiteral(actor: Actor): string {
  if (!actor.organizationId || !UUID_RE.test(actor.organizationId)) return 'NULL::uuid';
  return `'${actor.organizationId}'::uuid`;
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

  /** Patients the actor may see. `p` is the alias of `patients` in the caller's query. */
  patientScope(actor: Actor, p = 'p'): string {
    const org = orgLiteral(actor);
    switch (actor.role) {
      case 'admin':
        return 'TRUE';
      case 'hospital_staff':
        return `${p}.hospital_id = ${org}`;
      case 'support_office_staff':
        return `EXISTS (SELECT 1 FROM enrollments scope_e WHERE scope_e.patient_id = ${p}.id AND scope_e.support_office_id = ${org})`;
      case 'nurse_staff':
        return `EXISTS (SELECT 1 FROM enrollments scope_e WHERE scope_e.patient_id = ${p}.id AND scope_e.nurse_station_id = ${org})`;
      case 'municipal_officer':
        // 援護市町村 is theirs, or the patient is enrolled on a team of their municipality (#12).
        return `(${p}.responsible_municipality_id = ${org} OR EXISTS (SELECT 1 FROM enrollments scope_e
                 WHERE scope_e.patient_id = ${p}.id AND scope_e.municipality_id = ${org}))`;
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
        return `(${e}.municipality_id = ${org} OR EXISTS (SELECT 1 FROM patients scope_p
                 WHERE scope_p.id = ${e}.patient_id AND ${this.patientScope(actor, 'scope_p')}))`;
      case 'prefectural_officer':
      default:
        return 'FALSE';
    }
  }
}
