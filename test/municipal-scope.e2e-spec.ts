import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './helpers/app.js';
import { aUser, anOrganization, bearer, type TestUser } from './helpers/factories.js';
import { aContact, aPatient, aWorld, anEnrollment } from './helpers/domain-factories.js';

const API = '/api/v1';

/**
 * #12: the responsible municipality (援護市町村) is the unit of privacy for municipal staff. A patient of city B
 * enrolled on a team of city A is visible to both cities, but city A sees only its own team's enrollment of that
 * patient (and its contacts), while B, responsible for the patient, sees all of them.
 */
describe('municipal officers and a patient shared by two cities', () => {
  let t: TestApp;
  let officerA: TestUser;
  let officerB: TestUser;
  let patientId: string;
  let onTeamA: string;
  let onTeamB: string;
  let contactOnB: string;

  beforeAll(async () => {
    t = await startTestApp();
    const cityA = await anOrganization(t, { kind: 'municipality' });
    const cityB = await anOrganization(t, { kind: 'municipality' });
    const worldA = await aWorld(t, { municipalityId: cityA.id });
    const worldB = await aWorld(t, { municipalityId: cityB.id, hospitalId: worldA.hospital.id });
    officerA = await aUser(t, 'municipal_officer', cityA.id);
    officerB = await aUser(t, 'municipal_officer', cityB.id);
    const staffB = await aUser(t, 'support_office_staff', worldB.office.id);
    patientId = (await aPatient(t, { hospitalId: worldA.hospital.id, responsibleMunicipalityId: cityB.id })).id;
    onTeamA = (await anEnrollment(t, { patientId, world: worldA, program: 'community_transition' })).id;
    onTeamB = (await anEnrollment(t, { patientId, world: worldB, program: 'community_settlement' })).id;
    contactOnB = (await aContact(t, { enrollmentId: onTeamB, createdById: staffB.id, occurredOn: '2026-04-10' })).id;
  });
  afterAll(() => t.close());

  const get = (user: TestUser, path: string) => t.http().get(API + path).set(bearer(user));

  it('lets both cities read the patient', async () => {
    expect((await get(officerA, `/patients/${patientId}`)).status).toBe(200);
    expect((await get(officerB, `/patients/${patientId}`)).status).toBe(200);
  });

  it("shows city A its own team's enrollment only, never city B's case of the same patient", async () => {
    expect((await get(officerA, `/enrollments/${onTeamA}`)).status).toBe(200);
    const other = await get(officerA, `/enrollments/${onTeamB}`);
    expect(other.status).toBe(404);
    expect(other.body.detail).not.toContain(onTeamB);
    const list = await get(officerA, `/enrollments?patientId=${patientId}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((e: { id: string }) => e.id)).toEqual([onTeamA]);
    expect((await get(officerA, `/contacts/${contactOnB}`)).status).toBe(404);
  });

  it('shows the responsible city B every enrollment and contact of its patient', async () => {
    const list = await get(officerB, `/enrollments?patientId=${patientId}`);
    expect(list.body.items.map((e: { id: string }) => e.id).sort()).toEqual([onTeamA, onTeamB].sort());
    expect((await get(officerB, `/contacts/${contactOnB}`)).status).toBe(200);
  });
});
