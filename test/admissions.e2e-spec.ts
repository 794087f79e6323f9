import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, todayInTokyo } from '../src/common/dates.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { aPatient, aWorld, anAdmission, type World } from './helpers/domain-factories.js';
import { aUser, bearer, type TestUser } from './helpers/factories.js';

const API = '/api/v1';
const PROBLEM = /application\/problem\+json/;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('admissions', () => {
  let t: TestApp;
  let w: World;
  let psw: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    w = await aWorld(t);
    psw = await aUser(t, 'hospital_staff', w.hospital.id);
    admin = await aUser(t, 'admin', null);
  });
  afterAll(() => t.close());

  const patient = (o: { birthDate?: string } = {}) => aPatient(t, { hospitalId: w.hospital.id, ...o });
  const admit = (patientId: string, b: Record<string, unknown>, user = psw) =>
    t.http().post(`${API}/patients/${patientId}/admissions`).set(bearer(user)).send(b);
  const countFor = async (patientId: string) =>
    (
      await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM admissions WHERE patient_id = $1`, [
        patientId,
      ])
    )[0].n;

  describe('create', () => {
    it('records an admission at the patient’s hospital with derived length of stay', async () => {
      const p = await patient();
      const admittedOn = addDays(todayInTokyo(), -400);
      const res = await admit(p.id, {
        admissionType: 'medical_protection',
        admittedOn,
        hospitalWard: '3病棟',
      });
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        patientId: p.id,
        hospitalId: w.hospital.id,
        admissionType: 'medical_protection',
        admittedOn,
        hospitalWard: '3病棟',
        dischargedOn: null,
        dischargeDestination: null,
        lengthOfStayDays: 400,
        longStay: true,
        readmissionWithin: null,
        asOf: todayInTokyo(),
      });
      const audit = await t.sql(
        `SELECT action, entity_type, details FROM audit_events WHERE $1 = ANY(entity_ids)`,
        [res.body.id],
      );
      expect(audit).toEqual([{ action: 'create', entity_type: 'admission', details: { patientId: p.id } }]);
    });

    it('refuses a second open admission with 409, writing nothing', async () => {
      const p = await patient();
      expect((await admit(p.id, { admissionType: 'voluntary', admittedOn: '2020-05-01' })).status).toBe(201);
      const res = await admit(p.id, { admissionType: 'voluntary', admittedOn: '2021-05-01' });
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(await countFor(p.id)).toBe(1);
    });

    it('lets exactly one of two concurrent admissions of a patient through', async () => {
      const p = await patient();
      const results = await Promise.all([
        admit(p.id, { admissionType: 'voluntary', admittedOn: '2024-01-01' }),
        admit(p.id, { admissionType: 'urgent', admittedOn: '2024-01-02' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(await countFor(p.id)).toBe(1);
    });

    it.each([
      [
        'admittedOn in the future',
        () => ({ admissionType: 'voluntary', admittedOn: addDays(todayInTokyo(), 1) }),
        400,
        'admittedOn',
      ],
      [
        'an impossible date',
        () => ({ admissionType: 'voluntary', admittedOn: '2024-02-30' }),
        400,
        'admittedOn',
      ],
      [
        'an unknown admission type',
        () => ({ admissionType: 'forced', admittedOn: '2024-01-01' }),
        400,
        'admissionType',
      ],
      [
        'a discharge date (set by the discharge step)',
        () => ({ admissionType: 'voluntary', admittedOn: '2024-01-01', dischargedOn: '2024-02-01' }),
        400,
        'dischargedOn',
      ],
      [
        'a 51-character ward',
        () => ({ admissionType: 'voluntary', admittedOn: '2024-01-01', hospitalWard: 'x'.repeat(51) }),
        400,
        'hospitalWard',
      ],
    ])('answers %s with %i, writing nothing', async (_label, body, status, field) => {
      const p = await patient();
      const res = await admit(p.id, body());
      expect(res.status).toBe(status);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await countFor(p.id)).toBe(0);
    });

    it('refuses an admission before the birth date (422) and one inside an earlier stay (422)', async () => {
      const p = await patient({ birthDate: '1990-06-01' });
      expect((await admit(p.id, { admissionType: 'voluntary', admittedOn: '1990-05-31' })).status).toBe(422);
      await anAdmission(t, {
        patientId: p.id,
        hospitalId: w.hospital.id,
        admittedOn: '2020-01-01',
        dischargedOn: '2021-01-01',
      });
      const inside = await admit(p.id, { admissionType: 'voluntary', admittedOn: '2020-06-01' });
      expect(inside.status).toBe(422);
      expect(inside.body.admissionId).toBeDefined();
      expect(await countFor(p.id)).toBe(1);
      // Readmitted on the day of the discharge: allowed, and a readmission within 3 months.
      const sameDay = await admit(p.id, { admissionType: 'voluntary', admittedOn: '2021-01-01' });
      expect(sameDay.status).toBe(201);
      expect(sameDay.body).toMatchObject({ readmissionWithin: 3, previousDischargedOn: '2021-01-01' });
    });

    it('answers 404 for an unknown patient and 403 for a role that may not write admissions', async () => {
      expect((await admit(UNKNOWN, { admissionType: 'voluntary', admittedOn: '2024-01-01' })).status).toBe(
        404,
      );
      const staff = await aUser(t, 'support_office_staff', w.office.id);
      const p = await patient();
      expect(
        (await admit(p.id, { admissionType: 'voluntary', admittedOn: '2024-01-01' }, staff)).status,
      ).toBe(403);
    });
  });

  describe('readmission flags', () => {
    it.each([
      ['2024-04-15', 3], // exactly 3 months after the 2024-01-15 discharge
      ['2024-04-16', 6],
      ['2024-07-15', 6],
      ['2024-07-16', 12],
      ['2025-01-15', 12],
      ['2025-01-16', null],
    ])(
      'flags an admission on %s after a discharge on 2024-01-15 as within %s months',
      async (admittedOn, within) => {
        const p = await patient();
        await anAdmission(t, {
          patientId: p.id,
          hospitalId: w.hospital.id,
          admittedOn: '2023-01-01',
          dischargedOn: '2024-01-15',
        });
        const res = await admit(p.id, { admissionType: 'medical_protection', admittedOn });
        expect(res.status).toBe(201);
        expect(res.body.readmissionWithin).toBe(within);
        expect(res.body.previousDischargedOn).toBe('2024-01-15');
      },
    );
  });

  describe('read', () => {
    it('lists a patient’s stays newest first with derived fields at asOf, and audits the read', async () => {
      const p = await patient();
      const first = await anAdmission(t, {
        patientId: p.id,
        hospitalId: w.hospital.id,
        admittedOn: '2019-01-01',
        dischargedOn: '2020-01-01',
      });
      const second = await anAdmission(t, {
        patientId: p.id,
        hospitalId: w.hospital.id,
        admittedOn: '2020-03-01',
      });
      const res = await t
        .http()
        .get(`${API}/patients/${p.id}/admissions`)
        .query({ asOf: '2021-02-28' })
        .set(bearer(psw));
      expect(res.status).toBe(200);
      expect(res.body.items.map((a: { id: string }) => a.id)).toEqual([second.id, first.id]);
      // 2020-03-01 → 2021-02-28: 364 days; the first stay was 365 days (2019 is not a leap year) and ended.
      expect(res.body.items[0]).toMatchObject({
        lengthOfStayDays: 364,
        longStay: false,
        readmissionWithin: 3,
        asOf: '2021-02-28',
      });
      expect(res.body.items[1]).toMatchObject({
        lengthOfStayDays: 365,
        longStay: true,
        readmissionWithin: null,
        dischargeDestination: 'group_home',
      });
      const next = await t
        .http()
        .get(`${API}/admissions/${second.id}`)
        .query({ asOf: '2021-03-01' })
        .set(bearer(psw));
      expect(next.status).toBe(200);
      expect(next.body).toMatchObject({ lengthOfStayDays: 365, longStay: true });
      expect(next.headers.etag).toBe('"1"');
      const audits = await t.sql<{ entity_ids: string[]; details: unknown }>(
        `SELECT entity_ids, details FROM audit_events WHERE action = 'read' AND entity_type = 'admission' AND actor_id = $1 AND details->>'patientId' = $2 ORDER BY id`,
        [psw.id, p.id],
      );
      expect(audits).toEqual([
        { entity_ids: [second.id, first.id], details: { patientId: p.id } },
        { entity_ids: [second.id], details: { patientId: p.id } },
      ]);
    });

    it('answers 404 for an unknown admission and 400 for a malformed asOf', async () => {
      expect((await t.http().get(`${API}/admissions/${UNKNOWN}`).set(bearer(psw))).status).toBe(404);
      const p = await patient();
      expect(
        (
          await t
            .http()
            .get(`${API}/patients/${p.id}/admissions`)
            .query({ asOf: '2021-02-29' })
            .set(bearer(psw))
        ).status,
      ).toBe(400);
    });
  });

  describe('update', () => {
    const patch = (id: string, b: Record<string, unknown>, etag = '*') =>
      t.http().patch(`${API}/admissions/${id}`).set(bearer(psw)).set('if-match', etag).send(b);

    it('corrects the type and ward with If-Match, audited; stale → 412', async () => {
      const p = await patient();
      const a = await anAdmission(t, {
        patientId: p.id,
        hospitalId: w.hospital.id,
        admittedOn: '2022-01-01',
      });
      const res = await patch(a.id, { admissionType: 'voluntary', hospitalWard: '5病棟' }, '"1"');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ admissionType: 'voluntary', hospitalWard: '5病棟', version: 2 });
      expect((await patch(a.id, { hospitalWard: '6病棟' }, '"1"')).status).toBe(412);
      const audit = await t.sql(
        `SELECT changed_fields FROM audit_events WHERE action = 'update' AND $1 = ANY(entity_ids)`,
        [a.id],
      );
      expect(audit).toEqual([{ changed_fields: ['admissionType', 'hospitalWard'] }]);
    });

    it.each([
      ['dischargedOn', { dischargedOn: '2024-01-01' }],
      ['dischargeDestination', { dischargeDestination: 'home_alone' }],
      [
        'both discharge fields',
        { dischargedOn: '2024-01-01', dischargeDestination: 'home_alone', hospitalWard: '1病棟' },
      ],
      ['a null dischargedOn', { dischargedOn: null }],
    ])('answers 422 to PATCH of %s: only the discharge step writes it', async (_label, body) => {
      const p = await patient();
      const a = await anAdmission(t, {
        patientId: p.id,
        hospitalId: w.hospital.id,
        admittedOn: '2022-01-01',
      });
      const res = await patch(a.id, body);
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      const [row] = await t.sql(
        `SELECT discharged_on, hospital_ward, version FROM admissions WHERE id = $1`,
        [a.id],
      );
      expect(row).toEqual({ discharged_on: null, hospital_ward: '3病棟', version: 1 });
    });

    it('moves admittedOn within the rules: not future (400), not before birth (422), not into another stay (422)', async () => {
      const p = await patient({ birthDate: '1980-01-01' });
      await anAdmission(t, {
        patientId: p.id,
        hospitalId: w.hospital.id,
        admittedOn: '2010-01-01',
        dischargedOn: '2011-01-01',
      });
      const a = await anAdmission(t, {
        patientId: p.id,
        hospitalId: w.hospital.id,
        admittedOn: '2022-01-01',
      });
      expect((await patch(a.id, { admittedOn: addDays(todayInTokyo(), 1) })).status).toBe(400);
      expect((await patch(a.id, { admittedOn: '1979-12-31' })).status).toBe(422);
      expect((await patch(a.id, { admittedOn: '2010-06-01' })).status).toBe(422);
      expect((await patch(a.id, { admittedOn: null })).status).toBe(400);
      const ok = await patch(a.id, { admittedOn: '2011-03-01' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ admittedOn: '2011-03-01', readmissionWithin: 3 });
    });
  });

  it('lets an admin record admissions for any hospital’s patient', async () => {
    const p = await patient();
    const res = await admit(p.id, { admissionType: 'involuntary', admittedOn: '2025-01-01' }, admin);
    expect(res.status).toBe(201);
    expect(res.body.hospitalId).toBe(w.hospital.id);
  });
});
