import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './helpers/app.js';
import {
  aPatient,
  aTeam,
  aWorld,
  anAdmission,
  anEnrollment,
  type World,
} from './helpers/domain-factories.js';
import { aUser, anOrganization, bearer, type TestUser } from './helpers/factories.js';
import { patientBody } from './helpers/patients-test-helpers.js';

/**
 * The access matrix for every patient and admission route × every role × (own / other organization's record),
 * and the #12 rule: the responsible municipality (援護市町村) is the unit of privacy for municipal officers.
 */
const API = '/api/v1';
const PROBLEM = /application\/problem\+json/;

type RoleKey =
  | 'admin'
  | 'officerA'
  | 'officerB'
  | 'prefectural'
  | 'pswOwn'
  | 'pswOther'
  | 'officeAssigned'
  | 'officeUnassigned'
  | 'nurseAssigned'
  | 'nurseUnassigned';
const ROLE_KEYS: RoleKey[] = [
  'admin',
  'officerA',
  'officerB',
  'prefectural',
  'pswOwn',
  'pswOther',
  'officeAssigned',
  'officeUnassigned',
  'nurseAssigned',
  'nurseUnassigned',
];

describe('patient access matrix', () => {
  let t: TestApp;
  let w: World; // city A's team at hospital H: office O, station N
  let cityB: { id: string };
  let hospitalB: { id: string };
  let users: Record<RoleKey, TestUser>;
  let patient: { id: string }; // at H, 援護市町村 A, enrolled with O and N, one open admission
  let admission: { id: string };

  beforeAll(async () => {
    t = await startTestApp();
    w = await aWorld(t);
    cityB = await anOrganization(t, { kind: 'municipality' });
    hospitalB = await anOrganization(t, { kind: 'hospital' });
    const otherOffice = await anOrganization(t, { kind: 'support_office' });
    const otherStation = await anOrganization(t, { kind: 'nurse_station' });
    const prefecture = await anOrganization(t, { kind: 'prefecture' });
    users = {
      admin: await aUser(t, 'admin', null),
      officerA: await aUser(t, 'municipal_officer', w.municipality.id),
      officerB: await aUser(t, 'municipal_officer', cityB.id),
      prefectural: await aUser(t, 'prefectural_officer', prefecture.id),
      pswOwn: await aUser(t, 'hospital_staff', w.hospital.id),
      pswOther: await aUser(t, 'hospital_staff', hospitalB.id),
      officeAssigned: await aUser(t, 'support_office_staff', w.office.id),
      officeUnassigned: await aUser(t, 'support_office_staff', otherOffice.id),
      nurseAssigned: await aUser(t, 'nurse_staff', w.station.id),
      nurseUnassigned: await aUser(t, 'nurse_staff', otherStation.id),
    };
    patient = await aPatient(t, {
      hospitalId: w.hospital.id,
      responsibleMunicipalityId: w.municipality.id,
      familyName: '行列',
      familyNameKana: 'ギョウレツ',
    });
    admission = await anAdmission(t, {
      patientId: patient.id,
      hospitalId: w.hospital.id,
      admittedOn: '2020-05-01',
    });
    await anEnrollment(t, { patientId: patient.id, world: w, nurseStation: true, step: 'supporting' });
  });
  afterAll(() => t.close());

  const R = (
    admin: number,
    officerA: number,
    officerB: number,
    prefectural: number,
    pswOwn: number,
    pswOther: number,
    officeAssigned: number,
    officeUnassigned: number,
    nurseAssigned: number,
    nurseUnassigned: number,
  ): Record<RoleKey, number> => ({
    admin,
    officerA,
    officerB,
    prefectural,
    pswOwn,
    pswOther,
    officeAssigned,
    officeUnassigned,
    nurseAssigned,
    nurseUnassigned,
  });

  // 404: the record is not visible (exactly like a missing id); 403: the role may not do this at all.
  const routes: {
    name: string;
    call: (
      u: TestUser,
    ) => Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, string> }>;
    expected: Record<RoleKey, number>;
  }[] = [
    {
      name: 'GET /patients/:id',
      call: (u) => t.http().get(`${API}/patients/${patient.id}`).set(bearer(u)),
      expected: R(200, 200, 404, 404, 200, 404, 200, 404, 200, 404),
    },
    {
      name: 'PATCH /patients/:id',
      call: (u) =>
        t
          .http()
          .patch(`${API}/patients/${patient.id}`)
          .set(bearer(u))
          .set('if-match', '*')
          .send({ responsibleMunicipalityId: w.municipality.id }),
      expected: R(200, 200, 404, 403, 200, 404, 403, 403, 403, 403),
    },
    {
      name: 'GET /patients/:id/admissions',
      call: (u) => t.http().get(`${API}/patients/${patient.id}/admissions`).set(bearer(u)),
      expected: R(200, 200, 404, 404, 200, 404, 200, 404, 200, 404),
    },
    {
      // The patient already has an open admission: a caller who may see and write gets 409, never a new row.
      name: 'POST /patients/:id/admissions',
      call: (u) =>
        t
          .http()
          .post(`${API}/patients/${patient.id}/admissions`)
          .set(bearer(u))
          .send({ admissionType: 'voluntary', admittedOn: '2024-01-01' }),
      expected: R(409, 403, 403, 403, 409, 404, 403, 403, 403, 403),
    },
    {
      name: 'GET /admissions/:id',
      call: (u) => t.http().get(`${API}/admissions/${admission.id}`).set(bearer(u)),
      expected: R(200, 200, 404, 404, 200, 404, 200, 404, 200, 404),
    },
    {
      name: 'PATCH /admissions/:id',
      call: (u) =>
        t
          .http()
          .patch(`${API}/admissions/${admission.id}`)
          .set(bearer(u))
          .set('if-match', '*')
          .send({ hospitalWard: '3病棟' }),
      expected: R(200, 403, 403, 403, 200, 404, 403, 403, 403, 403),
    },
    {
      name: 'POST /patients (at hospital H)',
      call: (u) =>
        t
          .http()
          .post(`${API}/patients`)
          .set(bearer(u))
          .send(patientBody({ hospitalId: w.hospital.id })),
      expected: R(201, 403, 403, 403, 201, 403, 403, 403, 403, 403),
    },
  ];

  for (const route of routes) {
    describe(route.name, () => {
      it.each(ROLE_KEYS)('answers the expected status to %s, with no data when refused', async (role) => {
        const res = await route.call(users[role]);
        expect({ role, status: res.status }).toEqual({ role, status: route.expected[role] });
        if (res.status >= 400) {
          expect(res.headers['content-type']).toMatch(PROBLEM);
          // A problem only (the request path as `instance`), nothing of the record.
          const { instance: _instance, ...problem } = res.body;
          expect(Object.keys(problem).sort()).toEqual(
            expect.arrayContaining(['detail', 'status', 'title', 'type']),
          );
          expect(JSON.stringify(problem)).not.toContain('行列');
          expect(JSON.stringify(problem)).not.toContain(patient.id);
        }
      });
    });
  }

  describe('GET /patients (list and search)', () => {
    const sees: Record<RoleKey, boolean> = {
      admin: true,
      officerA: true,
      officerB: false,
      prefectural: false,
      pswOwn: true,
      pswOther: false,
      officeAssigned: true,
      officeUnassigned: false,
      nurseAssigned: true,
      nurseUnassigned: false,
    };
    it.each(ROLE_KEYS)('lists and finds the patient for %s exactly when it may be seen', async (role) => {
      for (const query of [
        { limit: 200 },
        { q: 'ギョウレツ' },
        { q: '行列' },
        { hospitalId: w.hospital.id },
        { longStay: 'true' },
        { step: 'supporting' },
      ]) {
        const res = await t.http().get(`${API}/patients`).query(query).set(bearer(users[role]));
        expect(res.status).toBe(200);
        const ids = res.body.items.map((x: { id: string }) => x.id);
        expect({ role, query, listed: ids.includes(patient.id) }).toEqual({
          role,
          query,
          listed: sees[role],
        });
      }
    });

    it('gives the prefectural officer empty lists whatever the filters', async () => {
      const res = await t
        .http()
        .get(`${API}/patients`)
        .query({ hospitalId: w.hospital.id, responsibleMunicipalityId: w.municipality.id })
        .set(bearer(users.prefectural));
      expect(res.body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('hospital A’s PSW never sees hospital B’s patients', () => {
    let secret: { id: string };

    beforeAll(async () => {
      const worldB = await aWorld(t, { hospitalId: hospitalB.id, municipalityId: cityB.id });
      secret = await aPatient(t, {
        hospitalId: hospitalB.id,
        responsibleMunicipalityId: cityB.id,
        familyName: '秘密',
        familyNameKana: 'ヒミツ',
      });
      await anAdmission(t, { patientId: secret.id, hospitalId: hospitalB.id, admittedOn: '2015-01-01' });
      await anEnrollment(t, { patientId: secret.id, world: worldB, step: 'supporting' });
    });

    it.each([
      [{}],
      [{ hospitalId: 'B' }],
      [{ hospitalId: 'B', longStay: 'true' }],
      [{ q: '秘密' }],
      [{ q: 'ひみつ', hospitalId: 'B' }],
      [{ responsibleMunicipalityId: 'cityB' }],
      [{ step: 'supporting', hospitalId: 'B' }],
      [{ limit: 200, longStay: 'true' }],
    ])('filters %j', async (raw) => {
      const query: Record<string, string | number> = { ...raw };
      if (query.hospitalId === 'B') query.hospitalId = hospitalB.id;
      if (query.responsibleMunicipalityId === 'cityB') query.responsibleMunicipalityId = cityB.id;
      const res = await t.http().get(`${API}/patients`).query(query).set(bearer(users.pswOwn));
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(secret.id);
      expect(res.text).not.toContain('秘密');
      // ... and B's own PSW does find the patient with the same filters.
      const own = await t.http().get(`${API}/patients`).query(query).set(bearer(users.pswOther));
      expect(own.text).toContain(secret.id);
    });

    it('answers 404 to A’s PSW for B’s patient and its admissions, exactly like a missing id', async () => {
      const res = await t.http().get(`${API}/patients/${secret.id}`).set(bearer(users.pswOwn));
      const missing = await t
        .http()
        .get(`${API}/patients/00000000-0000-4000-8000-000000000000`)
        .set(bearer(users.pswOwn));
      expect(res.status).toBe(404);
      expect({ ...res.body, instance: undefined }).toEqual({ ...missing.body, instance: undefined });
      expect(
        (await t.http().get(`${API}/patients/${secret.id}/admissions`).set(bearer(users.pswOwn))).status,
      ).toBe(404);
    });
  });

  describe('two municipalities sharing one hospital (援護市町村, #12)', () => {
    let shared: { id: string };
    let cityC: { id: string };
    let cityD: { id: string };
    let officerC: TestUser;
    let officerD: TestUser;
    let pC: { id: string }; // 援護市町村 C
    let pD: { id: string }; // 援護市町村 D
    let pDonC: { id: string }; // 援護市町村 D, enrolled on C's team → both see it
    let pNone: { id: string }; // no tie to either city
    let admC: { id: string };
    let admD: { id: string };

    beforeAll(async () => {
      shared = await anOrganization(t, { kind: 'hospital', ward: '中央区' });
      cityC = await anOrganization(t, { kind: 'municipality' });
      cityD = await anOrganization(t, { kind: 'municipality' });
      officerC = await aUser(t, 'municipal_officer', cityC.id);
      officerD = await aUser(t, 'municipal_officer', cityD.id);
      const worldC = await aWorld(t, { municipalityId: cityC.id, hospitalId: shared.id });
      const worldD = await aWorld(t, { municipalityId: cityD.id, hospitalId: shared.id });
      const mk = (city: string | null, kana: string) =>
        aPatient(t, {
          hospitalId: shared.id,
          responsibleMunicipalityId: city,
          familyName: '共有',
          familyNameKana: kana,
        });
      pC = await mk(cityC.id, 'キョウユウシー');
      pD = await mk(cityD.id, 'キョウユウディー');
      pDonC = await mk(cityD.id, 'キョウユウリョウホウ');
      pNone = await mk(null, 'キョウユウナシ');
      admC = await anAdmission(t, { patientId: pC.id, hospitalId: shared.id });
      admD = await anAdmission(t, { patientId: pD.id, hospitalId: shared.id });
      await anEnrollment(t, { patientId: pDonC.id, world: worldC });
      await anEnrollment(t, { patientId: pD.id, world: worldD });
      // A team of C at the shared hospital as well as D's (aWorld made both): the hospital is in both cities' teams.
      await aTeam(t, { hospitalId: shared.id, municipalityId: cityC.id, officeIds: [worldC.office.id] });
    });

    const status = async (u: TestUser, path: string) =>
      (await t.http().get(`${API}${path}`).set(bearer(u))).status;
    const listed = async (u: TestUser, query: Record<string, string | number>) =>
      (await t.http().get(`${API}/patients`).query(query).set(bearer(u))).body.items.map(
        (x: { id: string }) => x.id,
      ) as string[];

    it('shows each officer their own city’s patients by id, and the other city’s never', async () => {
      expect(await status(officerC, `/patients/${pC.id}`)).toBe(200);
      expect(await status(officerC, `/patients/${pD.id}`)).toBe(404);
      expect(await status(officerD, `/patients/${pD.id}`)).toBe(200);
      expect(await status(officerD, `/patients/${pC.id}`)).toBe(404);
      expect(await status(officerC, `/admissions/${admD.id}`)).toBe(404);
      expect(await status(officerD, `/admissions/${admC.id}`)).toBe(404);
      expect(await status(officerC, `/patients/${pD.id}/admissions`)).toBe(404);
      expect(await status(officerC, `/patients/${pNone.id}`)).toBe(404);
      expect(await status(officerD, `/patients/${pNone.id}`)).toBe(404);
    });

    it('shows a patient of D enrolled on C’s team to both cities', async () => {
      expect(await status(officerC, `/patients/${pDonC.id}`)).toBe(200);
      expect(await status(officerD, `/patients/${pDonC.id}`)).toBe(200);
    });

    it('keeps lists and search to what each city may see', async () => {
      const queries: Record<string, string | number>[] = [
        { limit: 200 },
        { q: 'キョウユウ' },
        { q: '共有' },
        { hospitalId: shared.id },
      ];
      for (const query of queries) {
        expect((await listed(officerC, query)).sort()).toEqual([pC.id, pDonC.id].sort());
        expect((await listed(officerD, query)).sort()).toEqual([pD.id, pDonC.id].sort());
      }
      expect(await listed(officerC, { responsibleMunicipalityId: cityD.id })).toEqual([pDonC.id]);
    });

    it('moves visibility at once when the 援護市町村 changes', async () => {
      const psw = await aUser(t, 'hospital_staff', shared.id);
      const move = async (city: string) =>
        (
          await t
            .http()
            .patch(`${API}/patients/${pNone.id}`)
            .set(bearer(psw))
            .set('if-match', '*')
            .send({ responsibleMunicipalityId: city })
        ).status;
      expect(await move(cityC.id)).toBe(200);
      expect(await status(officerC, `/patients/${pNone.id}`)).toBe(200);
      expect(await status(officerD, `/patients/${pNone.id}`)).toBe(404);
      expect(await move(cityD.id)).toBe(200);
      expect(await status(officerC, `/patients/${pNone.id}`)).toBe(404);
      expect(await status(officerD, `/patients/${pNone.id}`)).toBe(200);
      expect(await listed(officerD, { q: 'キョウユウナシ' })).toEqual([pNone.id]);
      expect(await listed(officerC, { q: 'キョウユウナシ' })).toEqual([]);
    });

    it('gives the prefectural officer 404 on every patient-level read', async () => {
      for (const path of [
        `/patients/${pC.id}`,
        `/patients/${pDonC.id}`,
        `/patients/${pC.id}/admissions`,
        `/admissions/${admC.id}`,
      ]) {
        expect(await status(users.prefectural, path)).toBe(404);
      }
      expect(await listed(users.prefectural, { hospitalId: shared.id })).toEqual([]);
    });
  });
});
