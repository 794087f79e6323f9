import { randomUUID } from 'node:crypto';
import { addDays, addMonths, todayInTokyo } from '../../src/common/dates.js';
import { STEP_TABLES, type Program } from '../../src/enrollments/programs.js';
import type { TestApp } from './app.js';
import { aUser, bearer, anOrganization, type TestUser } from './factories.js';
import { aPatient, anAdmission, aTeam, aWorld, type World } from './domain-factories.js';

export const API = '/api/v1';
export const PROBLEM = /application\/problem\+json/;

export const today = () => todayInTokyo();
export const daysAgo = (n: number) => addDays(todayInTokyo(), -n);

/** The people around one team: hospital PSW, staff of the assigned office and of a second office of the same team, … */
export interface CaseWorld extends World {
  otherOffice: { id: string };
  psw: TestUser;
  officeStaff: TestUser;
  otherOfficeStaff: TestUser;
  nurse: TestUser;
  officer: TestUser;
  admin: TestUser;
  /** An officer of another municipality, a PSW of another hospital, a prefectural officer. */
  strangerOfficer: TestUser;
  strangerPsw: TestUser;
  prefectural: TestUser;
}

export async function aCaseWorld(t: TestApp): Promise<CaseWorld> {
  const world = await aWorld(t);
  const otherOffice = await anOrganization(t, { kind: 'support_office', caseCapacity: 10 });
  await t.sql(`INSERT INTO team_members (team_id, organization_id, member_role, joined_on) VALUES ($1, $2, 'support_office', '2024-04-01')`, [
    world.team.id,
    otherOffice.id,
  ]);
  const otherCity = await anOrganization(t, { kind: 'municipality' });
  const otherHospital = await anOrganization(t, { kind: 'hospital' });
  const prefecture = await anOrganization(t, { kind: 'prefecture' });
  return {
    ...world,
    otherOffice,
    psw: await aUser(t, 'hospital_staff', world.hospital.id),
    officeStaff: await aUser(t, 'support_office_staff', world.office.id),
    otherOfficeStaff: await aUser(t, 'support_office_staff', otherOffice.id),
    nurse: await aUser(t, 'nurse_staff', world.station.id),
    officer: await aUser(t, 'municipal_officer', world.municipality.id),
    admin: await aUser(t, 'admin', null),
    strangerOfficer: await aUser(t, 'municipal_officer', otherCity.id),
    strangerPsw: await aUser(t, 'hospital_staff', otherHospital.id),
    prefectural: await aUser(t, 'prefectural_officer', prefecture.id),
  };
}

/** A patient of the world's hospital with an open admission. */
export async function anInpatient(t: TestApp, w: World, o: { familyNameKana?: string; givenNameKana?: string; familyName?: string } = {}) {
  const patient = await aPatient(t, { hospitalId: w.hospital.id, ...o });
  const admission = await anAdmission(t, { patientId: patient.id, hospitalId: w.hospital.id, admittedOn: '2020-05-01' });
  return { patient, admission };
}

export async function createEnrollment(
  t: TestApp,
  user: TestUser,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<import('supertest').Response> {
  return t.http().post(`${API}/enrollments`).set(bearer(user)).set(headers).send(body);
}

export async function etagOf(t: TestApp, user: TestUser, id: string): Promise<string> {
  const res = await t.http().get(`${API}/enrollments/${id}`).set(bearer(user));
  if (res.status !== 200) throw new Error(`GET enrollment ${id} answered ${res.status}`);
  return res.headers.etag as string;
}

export function move(
  t: TestApp,
  user: TestUser,
  id: string,
  body: Record<string, unknown>,
  headers: { ifMatch?: string; key?: string } = {},
): Promise<import('supertest').Response> {
  const req = t.http().post(`${API}/enrollments/${id}/transitions`).set(bearer(user));
  if (headers.ifMatch !== undefined) req.set('if-match', headers.ifMatch);
  if (headers.key !== undefined) req.set('idempotency-key', headers.key);
  return req.send(body);
}

/** Read the ETag, then move (the usual client sequence). */
export async function moveNow(t: TestApp, user: TestUser, id: string, body: Record<string, unknown>, key?: string) {
  return move(t, user, id, body, { ifMatch: await etagOf(t, user, id), key: key ?? randomUUID() });
}

/** The extra fields the step table requires for a move to `to` of `program`, valid on `occurredOn`. */
export function requiredFieldsFor(program: Program, to: string, occurredOn: string): Record<string, unknown> {
  const step = STEP_TABLES[program].steps[to];
  const body: Record<string, unknown> = {};
  if (!step) return body;
  const max = STEP_TABLES[program].benefitPeriodMaxMonths ?? 6;
  if (step.requires.includes('benefitPeriod')) body.benefitPeriod = { startsOn: occurredOn, endsOn: addDays(addMonths(occurredOn, max), -1) };
  if (step.requires.includes('discharge')) body.discharge = { dischargedOn: occurredOn, destination: 'group_home' };
  if (step.requires.includes('reason')) body.reason = 'declined';
  return body;
}

/** The path from referred to completed that the table's first non-withdrawn `next` gives, step by step. */
export function mainPath(program: Program): string[] {
  const steps = STEP_TABLES[program].steps;
  const path = ['referred'];
  while (!steps[path[path.length - 1]].final) path.push(steps[path[path.length - 1]].next.find((n) => n !== 'withdrawn') as string);
  return path;
}

export async function historyCount(t: TestApp, enrollmentId: string): Promise<number> {
  const [row] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM enrollment_steps WHERE enrollment_id = $1`, [enrollmentId]);
  return row.n;
}

export async function enrollmentRow(t: TestApp, id: string) {
  const [row] = await t.sql<{ step: string; version: number; is_active: boolean; ended_on: string | null; step_entered_on: string }>(
    `SELECT step, version, is_active, to_char(ended_on, 'YYYY-MM-DD') AS ended_on, to_char(step_entered_on, 'YYYY-MM-DD') AS step_entered_on
       FROM enrollments WHERE id = $1`,
    [id],
  );
  return row;
}

export { aTeam, aPatient, anAdmission };
