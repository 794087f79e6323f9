import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './helpers/app.js';
import { aUser, bearer, type TestUser } from './helpers/factories.js';
import { aPatient, aWorld, anEnrollment } from './helpers/domain-factories.js';
import { API, amend, contactBody, postContact, thisMonth } from './helpers/contacts-test-helpers.js';

/**
 * QUALITY.md: a recognisable name is planted in a patient and in a contact's summary, the contact API is
 * exercised end to end (including failures), and the captured logs never contain the name.
 */
const PLANTED_PATIENT = '埋込山';
const PLANTED_GIVEN = 'ZEBULON';
const PLANTED_IN_SUMMARY = 'Planted-Hanako-Kizunatest';

describe('contacts: log hygiene', () => {
  let t: TestApp;
  let office: TestUser;
  let enrollmentId: string;

  beforeAll(async () => {
    t = await startTestApp({ captureLogs: true });
    const world = await aWorld(t);
    office = await aUser(t, 'support_office_staff', world.office.id);
    const p = await aPatient(t, { hospitalId: world.hospital.id, familyName: PLANTED_PATIENT, givenName: PLANTED_GIVEN });
    enrollmentId = (await anEnrollment(t, { patientId: p.id, world, step: 'supporting', startedOn: '2026-04-01' })).id;
  });
  afterAll(() => t.close());

  it('never writes the planted names to the logs while contacts are posted, read, listed, amended and exported', async () => {
    const summary = `${PLANTED_IN_SUMMARY} さんと面接。${PLANTED_PATIENT}さんの退院先を相談。`;
    const created = await postContact(t, office, enrollmentId, contactBody({ summary }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const read = await t.http().get(`${API}/contacts/${id}`).set(bearer(office));
    expect(read.text).toContain(PLANTED_IN_SUMMARY);
    expect((await t.http().get(`${API}/enrollments/${enrollmentId}/contacts`).set(bearer(office))).text).toContain(PLANTED_IN_SUMMARY);
    expect((await t.http().get(`${API}/contacts`).query({ kind: 'face_to_face' }).set(bearer(office))).status).toBe(200);

    const amended = await amend(t, office, id, { summary: `${summary}（追記 ${PLANTED_IN_SUMMARY}）`, reason: `${PLANTED_IN_SUMMARY} の記載漏れ` });
    expect(amended.status).toBe(201);

    const due = await t.http().get(`${API}/contacts/compliance`).query({ month: thisMonth() }).set(bearer(office));
    expect(due.text).toContain(PLANTED_PATIENT);
    const csv = await t.http().get(`${API}/contacts/compliance`).query({ month: thisMonth(), format: 'csv' }).set(bearer(office));
    expect(csv.status).toBe(200);

    // Failures too: a rule violation, a validation error and a rejected replay all carry the planted text.
    expect((await postContact(t, office, enrollmentId, contactBody({ summary, occurredOn: '2099-01-01' }))).status).toBe(422);
    expect((await postContact(t, office, enrollmentId, contactBody({ summary: PLANTED_IN_SUMMARY.repeat(200) }))).status).toBe(400);
    expect((await postContact(t, office, enrollmentId, contactBody({ summary }), null)).status).toBe(400);
    expect((await t.http().patch(`${API}/contacts/${id}`).set(bearer(office)).send({ summary })).status).toBe(405);
    expect((await t.http().get(`${API}/contacts`).query({ staffId: PLANTED_IN_SUMMARY }).set(bearer(office))).status).toBe(400);

    await new Promise((r) => setTimeout(r, 200)); // let the log stream flush
    const logs = t.logs();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain(`/api/v1/contacts/${id}`); // the requests were logged …
    expect(logs).not.toContain(PLANTED_IN_SUMMARY); // … without the summary,
    expect(logs).not.toContain(PLANTED_PATIENT); // the patient's name
    expect(logs).not.toContain(PLANTED_GIVEN);
    expect(logs).not.toContain('退院先'); // or any part of the narrative.
  });
});
