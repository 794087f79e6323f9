import { randomUUID } from 'node:crypto';
import type { TestApp } from './app.js';
import { anOrganization } from './factories.js';

/**
 * Domain factories for teams, patients, admissions, enrollments and contacts, inserted with SQL so a spec
 * builds the world it needs in a few lines. The behaviour under test goes through HTTP.
 */
const uniq = () => randomUUID().slice(0, 8);

export interface World {
  municipality: { id: string };
  hospital: { id: string };
  office: { id: string };
  station: { id: string };
  team: { id: string };
}

/** A municipality, a hospital, a support office and a nurse station matched into one team. */
export async function aWorld(t: TestApp, o: { municipalityId?: string; hospitalId?: string } = {}): Promise<World> {
  const municipality = o.municipalityId ? { id: o.municipalityId } : await anOrganization(t, { kind: 'municipality' });
  const hospital = o.hospitalId ? { id: o.hospitalId } : await anOrganization(t, { kind: 'hospital', ward: '若葉区' });
  const office = await anOrganization(t, { kind: 'support_office', ward: '若葉区', caseCapacity: 20 });
  const station = await anOrganization(t, { kind: 'nurse_station', ward: '若葉区' });
  const team = await aTeam(t, { hospitalId: hospital.id, municipalityId: municipality.id, officeIds: [office.id], stationIds: [station.id] });
  return { municipality, hospital, office, station, team };
}

export async function aTeam(
  t: TestApp,
  o: { hospitalId: string; municipalityId: string; officeIds: string[]; stationIds?: string[]; startedOn?: string; name?: string },
): Promise<{ id: string }> {
  const startedOn = o.startedOn ?? '2024-04-01';
  const [team] = await t.sql<{ id: string }>(
    `INSERT INTO teams (name, hospital_id, municipality_id, started_on) VALUES ($1, $2, $3, $4) RETURNING id`,
    [o.name ?? `チーム-${uniq()}`, o.hospitalId, o.municipalityId, startedOn],
  );
  const members: [string, string][] = [
    [o.hospitalId, 'hospital'],
    [o.municipalityId, 'municipality'],
    ...o.officeIds.map((id): [string, string] => [id, 'support_office']),
    ...(o.stationIds ?? []).map((id): [string, string] => [id, 'nurse_station']),
  ];
  for (const [orgId, role] of members) {
    await t.sql(`INSERT INTO team_members (team_id, organization_id, member_role, joined_on) VALUES ($1, $2, $3, $4)`, [team.id, orgId, role, startedOn]);
  }
  return team;
}

export interface PatientOverrides {
  hospitalId: string;
  responsibleMunicipalityId?: string | null;
  familyName?: string;
  givenName?: string;
  familyNameKana?: string;
  givenNameKana?: string;
  birthDate?: string;
  sex?: string;
  recordNumber?: string;
}

export async function aPatient(t: TestApp, o: PatientOverrides): Promise<{ id: string }> {
  const [row] = await t.sql<{ id: string }>(
    `INSERT INTO patients (hospital_id, record_number, family_name, given_name, family_name_kana, given_name_kana,
       birth_date, sex, responsible_municipality_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      o.hospitalId,
      o.recordNumber ?? `R-${uniq()}`,
      o.familyName ?? '山田',
      o.givenName ?? '花子',
      o.familyNameKana ?? 'ヤマダ',
      o.givenNameKana ?? 'ハナコ',
      o.birthDate ?? '1960-04-01',
      o.sex ?? 'female',
      o.responsibleMunicipalityId ?? null,
    ],
  );
  return row;
}

export async function anAdmission(
  t: TestApp,
  o: { patientId: string; hospitalId: string; admittedOn?: string; admissionType?: string; dischargedOn?: string; destination?: string },
): Promise<{ id: string }> {
  const [row] = await t.sql<{ id: string }>(
    `INSERT INTO admissions (patient_id, hospital_id, admission_type, admitted_on, hospital_ward, discharged_on, discharge_destination)
     VALUES ($1, $2, $3, $4, '3病棟', $5, $6) RETURNING id`,
    [o.patientId, o.hospitalId, o.admissionType ?? 'medical_protection', o.admittedOn ?? '2020-05-01', o.dischargedOn ?? null, o.dischargedOn ? (o.destination ?? 'group_home') : null],
  );
  return row;
}

export interface EnrollmentOverrides {
  patientId: string;
  world: World;
  program?: string;
  step?: string;
  startedOn?: string;
  stepEnteredOn?: string;
  isActive?: boolean;
  nurseStation?: boolean;
}

/** An enrollment already at `step` (history rows are not invented: tests of the step machine use the API). */
export async function anEnrollment(t: TestApp, o: EnrollmentOverrides): Promise<{ id: string }> {
  const startedOn = o.startedOn ?? '2026-04-01';
  const [row] = await t.sql<{ id: string }>(
    `INSERT INTO enrollments (patient_id, program, team_id, support_office_id, nurse_station_id, hospital_id, municipality_id,
       step, is_active, started_on, step_entered_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      o.patientId,
      o.program ?? 'community_transition',
      o.world.team.id,
      o.world.office.id,
      o.nurseStation ? o.world.station.id : null,
      o.world.hospital.id,
      o.world.municipality.id,
      o.step ?? 'referred',
      o.isActive ?? true,
      startedOn,
      o.stepEnteredOn ?? startedOn,
    ],
  );
  await t.sql(`INSERT INTO enrollment_steps (enrollment_id, from_step, to_step, occurred_on) VALUES ($1, NULL, 'referred', $2)`, [row.id, startedOn]);
  return row;
}

export async function aContact(
  t: TestApp,
  o: { enrollmentId: string; createdById: string; kind?: string; occurredOn: string; endsOn?: string; place?: string; summary?: string; peerSupporterIds?: string[] },
): Promise<{ id: string }> {
  const kind = o.kind ?? 'face_to_face';
  const place = o.place ?? 'hospital';
  const peers = o.peerSupporterIds ?? [];
  const [row] = await t.sql<{ id: string }>(
    `INSERT INTO contacts (enrollment_id, kind, occurred_on, ends_on, place, staff_ids, peer_supporter_ids, created_by_id)
     VALUES ($1, $2, $3, $4, $5, ARRAY[$6]::uuid[], $7::uuid[], $6) RETURNING id`,
    [o.enrollmentId, kind, o.occurredOn, o.endsOn ?? null, place, o.createdById, peers],
  );
  await t.sql(
    `INSERT INTO contact_revisions (contact_id, revision, kind, occurred_on, ends_on, place, staff_ids, peer_supporter_ids, summary, recorded_by_id)
     VALUES ($1, 1, $2, $3, $4, $5, ARRAY[$6]::uuid[], $7::uuid[], $8, $6)`,
    [row.id, kind, o.occurredOn, o.endsOn ?? null, place, o.createdById, peers, o.summary ?? '面接'],
  );
  return row;
}
