import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './helpers/app.js';
import { aWorld, anEnrollment, type World } from './helpers/domain-factories.js';
import { aUser, anOrganization, bearer, type TestUser } from './helpers/factories.js';
import { API, aCase, aContactOn, aJourney, aStay, anEventOn } from './helpers/reports-test-helpers.js';

/**
 * Who counts what, in every report (DOMAIN.md §7, #12). Two cities of one prefecture share one hospital (H); a
 * third city, in no prefecture, has its own hospital (H2). FY2024 discharges, all to home, all via an enrollment
 * except pn's:
 *   pa  — at H, 援護 甲市, enrolled on 甲市's team (office OA, nurse station NA)
 *   pb  — at H, 援護 乙市, enrolled on 乙市's team (office OB)
 *   pab — at H, 援護 乙市, enrolled on 甲市's team (office OA): both cities see it
 *   pc  — at H2, 援護 丙市, enrolled on 丙市's team
 *   pn  — at H, no 援護市町村, no enrollment: the hospital and the admin only
 * Each enrollment has one face-to-face contact; each city held one transition-programme session (甲市's and
 * 乙市's at H — 甲市's attended by OA —, 丙市's at H2).
 */
describe('report access scoping', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const id: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    const pref = await anOrganization(t, { kind: 'prefecture', name: '千葉県' });
    const otherPref = await anOrganization(t, { kind: 'prefecture', name: '埼玉県' });
    const a = await anOrganization(t, { kind: 'municipality', name: '甲市', prefectureId: pref.id });
    const b = await anOrganization(t, { kind: 'municipality', name: '乙市', prefectureId: pref.id });
    const c = await anOrganization(t, { kind: 'municipality', name: '丙市' });
    const h = await anOrganization(t, { kind: 'hospital', name: '共有病院' });
    const h2 = await anOrganization(t, { kind: 'hospital', name: '丙病院' });
    const wA: World = await aWorld(t, { municipalityId: a.id, hospitalId: h.id });
    const wB: World = await aWorld(t, { municipalityId: b.id, hospitalId: h.id });
    const wC: World = await aWorld(t, { municipalityId: c.id, hospitalId: h2.id });
    Object.assign(id, { pref: pref.id, otherPref: otherPref.id, a: a.id, b: b.id, c: c.id, h: h.id });
    Object.assign(u, {
      admin: await aUser(t, 'admin', null),
      cityA: await aUser(t, 'municipal_officer', a.id),
      cityB: await aUser(t, 'municipal_officer', b.id),
      cityC: await aUser(t, 'municipal_officer', c.id),
      pref: await aUser(t, 'prefectural_officer', pref.id),
      otherPref: await aUser(t, 'prefectural_officer', otherPref.id),
      pswH: await aUser(t, 'hospital_staff', h.id),
      pswH2: await aUser(t, 'hospital_staff', h2.id),
      officeA: await aUser(t, 'support_office_staff', wA.office.id),
      officeB: await aUser(t, 'support_office_staff', wB.office.id),
      nurseA: await aUser(t, 'nurse_staff', wA.station.id),
    });

    const journey = async (
      world: World,
      responsible: string | null,
      dischargedOn: string,
      nurseStation = false,
    ) => {
      const p = await aCase(t, world, { responsibleMunicipalityId: responsible });
      await aStay(t, {
        patientId: p.id,
        hospitalId: world.hospital.id,
        admittedOn: '2024-01-01',
        dischargedOn,
      });
      const e = await anEnrollment(t, { patientId: p.id, world, startedOn: '2024-04-10', nurseStation });
      await aJourney(t, e.id, [
        ['supporting', '2024-04-20'],
        ['discharged', dischargedOn],
      ]);
      await aContactOn(t, { enrollmentId: e.id, kind: 'face_to_face', occurredOn: '2024-04-25' });
    };
    await journey(wA, a.id, '2024-06-01', true); // pa
    await journey(wB, b.id, '2024-07-01'); // pb
    await journey(wA, b.id, '2024-08-01'); // pab
    await journey(wC, c.id, '2024-09-01'); // pc
    const pn = await aCase(t, wA, { responsibleMunicipalityId: null });
    await aStay(t, {
      patientId: pn.id,
      hospitalId: h.id,
      admittedOn: '2024-01-01',
      dischargedOn: '2024-10-01',
    });

    await anEventOn(t, {
      kind: 'transition_program',
      heldOn: '2024-06-15',
      hostId: a.id,
      hospitalId: h.id,
      municipalityId: a.id,
      attendeeIds: [wA.office.id],
    });
    await anEventOn(t, {
      kind: 'transition_program',
      heldOn: '2024-07-15',
      hostId: b.id,
      hospitalId: h.id,
      municipalityId: b.id,
    });
    await anEventOn(t, {
      kind: 'transition_program',
      heldOn: '2024-08-15',
      hostId: c.id,
      hospitalId: h2.id,
      municipalityId: c.id,
    });
  });
  afterAll(() => t.close());

  const get = (who: string, path: string) => t.http().get(`${API}/reports/${path}`).set(bearer(u[who]));

  /**
   * Expected per caller: discharges (all / through the programme), enrollments referred in the year, community
   * discharges (outcomes), contacts (contact intensity), transition-programme sessions (indicator sheet).
   */
  const EXPECTED: [
    who: string,
    discharges: number,
    program: number,
    referred: number,
    contacts: number,
    sessions: number,
  ][] = [
    ['admin', 5, 4, 4, 4, 3],
    ['cityA', 2, 2, 2, 2, 1], // pa, pab
    ['cityB', 2, 2, 2, 2, 1], // pb, pab (its 援護 patient on 甲市's team)
    ['cityC', 1, 1, 1, 1, 1], // pc
    ['pref', 3, 3, 3, 3, 2], // 甲市 ∪ 乙市: pa, pb, pab
    ['otherPref', 0, 0, 0, 0, 0],
    ['pswH', 4, 3, 3, 3, 2], // discharges from H: pa, pb, pab, pn; sessions held at H
    ['pswH2', 1, 1, 1, 1, 1],
    ['officeA', 2, 2, 2, 2, 1], // its cases pa, pab; the session it attended
    ['officeB', 1, 1, 1, 1, 0],
    ['nurseA', 1, 1, 1, 1, 0], // pa only
  ];

  describe.each(EXPECTED)('%s', (who, discharges, program, referred, contacts, sessions) => {
    it('discharges', async () => {
      const res = await get(who, 'discharges?from=2024-04-01&to=2025-03-31');
      expect(res.status).toBe(200);
      expect(res.body.total).toMatchObject({ discharges, programDischarges: program });
    });

    it('funnel', async () => {
      const res = await get(who, 'funnel?fiscalYear=2024');
      expect(res.status).toBe(200);
      const ct = res.body.programs.find((p: { program: string }) => p.program === 'community_transition');
      expect(ct.started).toBe(referred);
      expect(ct.steps.find((s: { step: string }) => s.step === 'discharged').enrollments).toBe(program);
    });

    it('outcomes', async () => {
      const res = await get(who, 'outcomes?fiscalYear=2024');
      expect(res.status).toBe(200);
      expect(res.body.readmission.discharges).toBe(discharges);
    });

    it('contact intensity', async () => {
      const res = await get(who, 'contact-intensity?fiscalYear=2024');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ contacts, enrollments: referred });
    });

    it('indicator sheet', async () => {
      const res = await get(who, 'indicators?fiscalYear=2024');
      expect(res.status).toBe(200);
      const sheet = Object.fromEntries(
        res.body.indicators.map((i: { code: string; actual: number }) => [i.code, i.actual]),
      );
      expect(sheet).toMatchObject({ transition_program_sessions: sessions, program_discharges: program });
    });
  });

  it('never shows hospital H2’s discharges to H’s staff in any grouping', async () => {
    const res = await get('pswH', 'discharges?from=2024-04-01&to=2025-03-31&groupBy=hospital');
    expect(res.body.rows.map((r: { hospitalId: string }) => r.hospitalId)).toEqual([id.h]);
  });

  describe('?municipalityId=', () => {
    it('narrows an admin’s and a prefectural officer’s reports to one city', async () => {
      for (const who of ['admin', 'pref']) {
        const res = await get(who, `discharges?from=2024-04-01&to=2025-03-31&municipalityId=${id.a}`);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          municipalityId: id.a,
          total: { discharges: 2, programDischarges: 2 },
        });
      }
      const admin = await get('admin', `indicators?fiscalYear=2024&municipalityId=${id.c}`);
      expect(admin.body.targetsMunicipalityId).toBe(id.c);
    });

    it('lets a municipal officer name their own city only', async () => {
      expect((await get('cityA', `funnel?fiscalYear=2024&municipalityId=${id.a}`)).status).toBe(200);
      const other = await get('cityA', `funnel?fiscalYear=2024&municipalityId=${id.b}`);
      expect(other.status).toBe(403);
      expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
    });

    it.each([
      ['a prefectural officer naming a city outside the prefecture', 'pref', () => id.c, 403],
      ['hospital staff naming a city', 'pswH', () => id.a, 403],
      ['office staff naming a city', 'officeA', () => id.a, 403],
      ['an admin naming a prefecture as municipality', 'admin', () => id.pref, 404],
    ])('refuses %s', async (_label, who, muni, status) => {
      for (const path of ['discharges?', 'funnel?', 'outcomes?', 'contact-intensity?', 'indicators?']) {
        const res = await get(who, `${path}municipalityId=${muni()}`);
        expect(res.status).toBe(status);
        expect(res.body.discharges).toBeUndefined();
      }
    });
  });

  it('refuses the comparison to hospital, office and nurse staff (403), and gives it to the officers', async () => {
    for (const who of ['pswH', 'officeA', 'nurseA'])
      expect((await get(who, 'comparison?fiscalYear=2024')).status).toBe(403);
    // 丙市 has no prefecture: its officer compares with every municipality of the deployment.
    const c = await get('cityC', 'comparison?fiscalYear=2024');
    expect(c.body.rows.map((r: { municipalityId: string }) => r.municipalityId).sort()).toEqual(
      [id.a, id.b, id.c].sort(),
    );
    const a = await get('cityA', 'comparison?fiscalYear=2024');
    expect(a.body.rows.map((r: { municipalityId: string }) => r.municipalityId).sort()).toEqual(
      [id.a, id.b].sort(),
    );
    // 乙市's row as 甲市 sees it counts pb and pab (its 援護 patient on 甲市's team): 2 → "<5"; own row exact.
    expect(a.body.rows.find((r: { municipalityId: string }) => r.municipalityId === id.b)).toMatchObject({
      discharges: '<5',
      isOwn: false,
    });
    expect(a.body.rows.find((r: { municipalityId: string }) => r.municipalityId === id.a)).toMatchObject({
      discharges: 2,
      programDischarges: 2,
      isOwn: true,
    });
  });

  it('refuses every report without a token (401)', async () => {
    for (const path of [
      'discharges',
      'funnel',
      'outcomes',
      'contact-intensity',
      'indicators',
      'comparison',
    ]) {
      const res = await t.http().get(`${API}/reports/${path}`);
      expect(res.status).toBe(401);
    }
  });
});
