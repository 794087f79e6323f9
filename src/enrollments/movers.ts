import type { Actor } from '../auth/actor.js';
import type { Mover } from './programs.js';

/** What the step table's movers are measured against: the enrollment and its patient as stored now. */
export interface EnrollmentParties {
  /** The patient's current hospital (patients.hospital_id). */
  patientHospitalId: string;
  supportOfficeId: string;
  /** The team's municipality (copied onto the enrollment at creation). */
  municipalityId: string;
  /** The patient's 援護市町村, when known. */
  responsibleMunicipalityId: string | null;
}

/** Which of the step table's movers the caller is for this enrollment (none, one, or — for admins — `admin`). */
export function moversOf(actor: Actor, parties: EnrollmentParties): Mover[] {
  const org = actor.organizationId;
  switch (actor.role) {
    case 'admin':
      return ['admin'];
    case 'hospital_staff':
      return org !== null && org === parties.patientHospitalId ? ['patient_hospital'] : [];
    case 'support_office_staff':
      return org !== null && org === parties.supportOfficeId ? ['assigned_office'] : [];
    case 'municipal_officer':
      return org !== null && (org === parties.municipalityId || org === parties.responsibleMunicipalityId) ? ['municipality'] : [];
    default:
      return [];
  }
}
