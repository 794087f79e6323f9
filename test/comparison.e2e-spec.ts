import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './helpers/app.js';
import { aWorld, anEnrollment } from './helpers/domain-factories.js';
import { aUser, anOrganization, bearer, type TestUser } from './helpers/factories.js';
import {
  API,
  aCase,
  aContactOn,
  aJourney,
  aPeer,
  aStay,
  anEventOn,
  contactsOn,
  csvText,
  rowWhere,
} from './helpers/reports-test-helpers.js';

/**
 * City-to-city comparison (#12), FY2024 (2024-04-01 … 2025-03-31), in 千葉県 with three cities:
 *  甲市 (A) — busy: 6 enrollments, 6 discharges (2 long-stay, 5 through the programme), 3 sessions in 2 hospitals;
 *  乙市 (B) — small: 2 enrollments, 6 discharges of which 1 long-stay and 1 through the programme;
 *  丙町 (D) — nothing yet.
 * 丁市 belongs to another prefecture and is never compared with them.
 */
describe('GET /reports/comparison', () => {
  let t: TestApp;
  let admin: TestUser;
  let officerA: TestUser;
  let officerB: TestUser;
  let prefOfficer: TestUser;
  let psw: TestUser;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    admin = await aUser(t, 'admin', null);
    const pref = await anOrganization(t, { kind: 'prefecture', name: '千葉県' });
    const otherPref = await anOrganization(t, { kind: 'prefecture', name: '茨城県' });
    const a = await anOrganization(t, { kind: 'municipality', name: '甲市', prefectureId: pref.id });
    const b = await anOrganization(t, { kind: 'municipality', name: '乙市', prefectureId: pref.id });
    const d = await anOrganization(t, { kind: 'municipality', name: '丙町', prefectureId: pref.id });
    const e = await anOrganization(t, { kind: 'municipality', name: '丁市', prefectureId: otherPref.id });
    Object.assign(id, { pref: pref.id, otherPref: otherPref.id, a: a.id, b: b.id, d: d.id, e: e.id });
    officerA = await aUser(t, 'municipal_officer', a.id);
    officerB = await aUser(t, 'municipal_officer', b.id);
    prefOfficer = await aUser(t, 'prefectural_officer', pref.id);
    const h1 = await anOrganization(t, { kind: 'hospital', name: '第一病院' });
    const h2 = await anOrganization(t, { kind: 'hospital', name: '第二病院' });
    psw = await aUser(t, 'hospital_staff', h1.id);
    const wA = await aWorld(t, { municipalityId: a.id, hospitalId: h1.id });
    const wB = await aWorld(t, { municipalityId: b.id, hospitalId: h1.id });
    const wE = await aWorld(t, { municipalityId: e.id, hospitalId: h2.id });

    // 甲市: eA1…eA5 start 2024-04-01 and end on their discharge day, 30/60/90/120/150 days later (median 90);
    // eA6 starts the same day and is still open. Open months 2+2+3+4+5+12 = 28. Each has 2 face-to-face days
    // in April (12), eA6 also 4 phone calls: 16 contacts → 75 % face-to-face, 25 % phone; 12/28 = 0.43 a month.
    // P1, P2 were admitted 2023-01-01 (long-stay at discharge); P3–P5 on 2024-01-01. P6: no enrollment.
    const discharges = ['2024-05-01', '2024-05-31', '2024-06-30', '2024-07-30', '2024-08-29'];
    const peer = await aPeer(t, { municipalityId: a.id });
    for (const [i, on] of discharges.entries()) {
      const p = await aCase(t, wA);
      await aStay(t, {
        patientId: p.id,
        hospitalId: h1.id,
        admittedOn: i < 2 ? '2023-01-01' : '2024-01-01',
        dischargedOn: on,
      });
      const en = await anEnrollment(t, { patientId: p.id, world: wA, startedOn: '2024-04-01' });
      await aJourney(t, en.id, [
        ['discharged', on],
        ['completed', on],
      ]);
      await aContactOn(t, {
        enrollmentId: en.id,
        kind: 'face_to_face',
        occurredOn: '2024-04-10',
        peerIds: i === 0 ? [peer.id] : [],
      });
      await aContactOn(t, { enrollmentId: en.id, kind: 'face_to_face', occurredOn: '2024-04-20' });
    }
    const p6 = await aCase(t, wA);
    const eA6 = await anEnrollment(t, { patientId: p6.id, world: wA, startedOn: '2024-04-01' });
    await aJourney(t, eA6.id, [['supporting', '2024-05-01']]);
    await contactsOn(t, eA6.id, 'face_to_face', ['2024-04-10', '2024-04-20']);
    await contactsOn(t, eA6.id, 'phone', ['2024-05-01', '2024-06-01', '2024-07-01', '2024-08-01']);
    const pA7 = await aCase(t, wA);
    await aStay(t, {
      patientId: pA7.id,
      hospitalId: h1.id,
      admittedOn: '2024-08-01',
      dischargedOn: '2024-09-01',
    });
    // Sessions of 甲市: 2 at 第一病院 (one with a peer), 1 at 第二病院 → 3 sessions, 2 hospitals; peer 1 contact + 1 event.
    await anEventOn(t, {
      kind: 'transition_program',
      heldOn: '2024-06-01',
      hostId: h1.id,
      hospitalId: h1.id,
      municipalityId: a.id,
      peerIds: [peer.id],
    });
    await anEventOn(t, {
      kind: 'transition_program',
      heldOn: '2024-07-01',
      hostId: h1.id,
      hospitalId: h1.id,
      municipalityId: a.id,
    });
    await anEventOn(t, {
      kind: 'transition_program',
      heldOn: '2024-08-01',
      hostId: h2.id,
      hospitalId: h2.id,
      municipalityId: a.id,
    });

    // 乙市: eB1 2024-04-01 → discharged and completed 2024-06-30 (90 days; P admitted 2023-01-01 → long-stay),
    // one face-to-face contact; eB2 opens 2024-10-01. Five more of its 援護 patients are discharged without an
    // enrollment → 6 discharges. Open months: 3 + 6 = 9 → 1/9 = 0.11 face-to-face days a month.
    const pB1 = await aCase(t, wB);
    await aStay(t, {
      patientId: pB1.id,
      hospitalId: h1.id,
      admittedOn: '2023-01-01',
      dischargedOn: '2024-06-30',
    });
    const eB1 = await anEnrollment(t, { patientId: pB1.id, world: wB, startedOn: '2024-04-01' });
    await aJourney(t, eB1.id, [
      ['discharged', '2024-06-30'],
      ['completed', '2024-06-30'],
    ]);
    await aContactOn(t, { enrollmentId: eB1.id, kind: 'face_to_face', occurredOn: '2024-05-15' });
    await anEnrollment(t, { patientId: (await aCase(t, wB)).id, world: wB, startedOn: '2024-10-01' });
    for (let i = 0; i < 5; i++) {
      const p = await aCase(t, wB);
      await aStay(t, {
        patientId: p.id,
        hospitalId: h1.id,
        admittedOn: '2024-04-01',
        dischargedOn: '2024-10-01',
      });
    }

    // 丁市 (other prefecture): one discharge through an enrollment; it must not appear in 千葉県's table.
    const pE = await aCase(t, wE);
    await aStay(t, {
      patientId: pE.id,
      hospitalId: h2.id,
      admittedOn: '2024-01-01',
      dischargedOn: '2024-06-01',
    });
    const eE = await anEnrollment(t, { patientId: pE.id, world: wE, startedOn: '2024-04-01' });
    await aJourney(t, eE.id, [['discharged', '2024-06-01']]);
  });
  afterAll(() => t.close());

  const compare = (user: TestUser, query = 'fiscalYear=2024') =>
    t.http().get(`${API}/reports/comparison?${query}`).set(bearer(user));
  const exactA = {
    municipalityName: '甲市',
    enrollmentsStarted: 6,
    enrollmentsOpen: 6,
    discharges: 6,
    longStayDischarges: 2,
    programDischarges: 5,
    medianDaysEnrollmentToDischarge: 90,
    transitionProgramSessions: 3,
    hospitalsReached: 2,
    peerInvolvement: 2,
    faceToFaceDaysPerEnrollmentMonth: 0.43,
    withheld: [],
  };

  it('gives a municipal officer one row per city of the prefecture, their own exact even below 5', async () => {
    const res = await compare(officerA);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      report: 'comparison',
      fiscalYear: 2024,
      prefectureId: id.pref,
      ownMunicipalityId: id.a,
      suppressBelow: 5,
    });
    expect(res.body.rows.map((r: { municipalityId: string }) => r.municipalityId).sort()).toEqual(
      [id.a, id.b, id.d].sort(),
    );
    const own = rowWhere<Record<string, unknown>>(res.body.rows, { municipalityId: id.a });
    expect(own).toMatchObject({ ...exactA, isOwn: true });
    expect(own?.contactKindSharesPercent).toMatchObject({ face_to_face: 75, phone: 25, peer_visit: 0 });
  });

  it('reads the other cities’ counts 1–4 as "<5", keeps 0 and ≥ 5, and withholds rates from fewer than 5 people', async () => {
    const res = await compare(officerA);
    expect(rowWhere(res.body.rows, { municipalityId: id.b })).toEqual({
      municipalityId: id.b,
      municipalityName: '乙市',
      isOwn: false,
      enrollmentsStarted: '<5',
      enrollmentsOpen: '<5',
      discharges: 6,
      longStayDischarges: '<5',
      programDischarges: '<5',
      medianDaysEnrollmentToDischarge: null,
      transitionProgramSessions: 0,
      hospitalsReached: 0,
      peerInvolvement: 0,
      faceToFaceDaysPerEnrollmentMonth: null,
      contactKindSharesPercent: null,
      withheld: [
        'medianDaysEnrollmentToDischarge',
        'faceToFaceDaysPerEnrollmentMonth',
        'contactKindSharesPercent',
      ],
    });
    // 丙町 has nothing: zeros are not suppressed, and rates with no base are null without being "withheld".
    expect(rowWhere(res.body.rows, { municipalityId: id.d })).toMatchObject({
      discharges: 0,
      enrollmentsStarted: 0,
      medianDaysEnrollmentToDischarge: null,
      withheld: [],
    });
  });

  it('shows 乙市 its own row exactly and 甲市’s with its small counts suppressed', async () => {
    const res = await compare(officerB);
    expect(rowWhere(res.body.rows, { municipalityId: id.b })).toMatchObject({
      isOwn: true,
      enrollmentsStarted: 2,
      longStayDischarges: 1,
      programDischarges: 1,
      medianDaysEnrollmentToDischarge: 90,
      faceToFaceDaysPerEnrollmentMonth: 0.11,
      contactKindSharesPercent: expect.objectContaining({ face_to_face: 100 }),
      withheld: [],
    });
    // 甲市's rates rest on 5 and 6 people: shown; its counts of 2 and 3 are not.
    expect(rowWhere(res.body.rows, { municipalityId: id.a })).toMatchObject({
      isOwn: false,
      enrollmentsStarted: 6,
      programDischarges: 5,
      medianDaysEnrollmentToDischarge: 90,
      faceToFaceDaysPerEnrollmentMonth: 0.43,
      longStayDischarges: '<5',
      transitionProgramSessions: '<5',
      hospitalsReached: '<5',
      peerInvolvement: '<5',
      withheld: [],
    });
  });

  it('suppresses the own row too when asked to publish (?suppressBelow=5)', async () => {
    const res = await compare(officerA, 'fiscalYear=2024&suppressBelow=5');
    expect(rowWhere(res.body.rows, { municipalityId: id.a })).toMatchObject({
      isOwn: true,
      longStayDischarges: '<5',
      discharges: 6,
    });
  });

  it('gives a prefectural officer their prefecture, every row suppressed', async () => {
    const res = await compare(prefOfficer);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ prefectureId: id.pref, ownMunicipalityId: null });
    expect(res.body.rows.map((r: { municipalityId: string }) => r.municipalityId).sort()).toEqual(
      [id.a, id.b, id.d].sort(),
    );
    expect(rowWhere(res.body.rows, { municipalityId: id.a })).toMatchObject({
      isOwn: false,
      longStayDischarges: '<5',
      programDischarges: 5,
    });
  });

  it('lets an admin choose the prefecture, or compare every municipality', async () => {
    const pref = await compare(admin, `fiscalYear=2024&prefectureId=${id.pref}`);
    expect(pref.body.rows.map((r: { municipalityId: string }) => r.municipalityId).sort()).toEqual(
      [id.a, id.b, id.d].sort(),
    );
    const all = await compare(admin);
    expect(all.body.rows.map((r: { municipalityId: string }) => r.municipalityId).sort()).toEqual(
      [id.a, id.b, id.d, id.e].sort(),
    );
    expect(rowWhere(all.body.rows, { municipalityId: id.e })).toMatchObject({
      discharges: '<5',
      programDischarges: '<5',
    });
  });

  it('exports CSV with a BOM, one line per municipality and "<5" cells', async () => {
    const res = await compare(officerA, 'fiscalYear=2024&format=csv').buffer(true);
    expect(res.status).toBe(200);
    const text = csvText(res);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\n');
    expect(
      lines[0].startsWith(
        'municipality_id,municipality,own,enrollments_started,enrollments_open,discharges,long_stay_discharges,program_discharges,',
      ),
    ).toBe(true);
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.startsWith(id.b))).toMatch(
      new RegExp(`^${id.b},乙市,false,<5,<5,6,<5,<5,,0,0,0,,`),
    );
    expect(lines.find((l) => l.startsWith(id.a))).toMatch(
      new RegExp(`^${id.a},甲市,true,6,6,6,2,5,90,3,2,2,0.43,`),
    );
  });

  it.each([
    ['hospital staff', () => psw, '', 403],
    [
      'a municipal officer naming a prefecture',
      () => officerA,
      `&prefectureId=${'00000000-0000-4000-8000-000000000000'}`,
      403,
    ],
    ['a prefectural officer naming another prefecture', () => prefOfficer, '&prefectureId=OTHER', 403],
    ['an admin naming a municipality as prefecture', () => admin, '&prefectureId=MUNI', 422],
    [
      'an admin naming an unknown prefecture',
      () => admin,
      `&prefectureId=${'00000000-0000-4000-8000-000000000000'}`,
      404,
    ],
    ['a malformed prefectureId', () => admin, '&prefectureId=x', 400],
    [
      'a municipalityId (not a parameter of the comparison)',
      () => admin,
      `&municipalityId=${'00000000-0000-4000-8000-000000000000'}`,
      400,
    ],
  ])('refuses %s', async (_label, who, extra, status) => {
    const query = `fiscalYear=2024${extra.replace('OTHER', id.otherPref).replace('MUNI', id.a)}`;
    const res = await compare(who(), query);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
