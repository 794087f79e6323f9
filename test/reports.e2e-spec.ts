import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startTestApp, type TestApp } from './helpers/app.js';
import { aWorld, anEnrollment, type World } from './helpers/domain-factories.js';
import { aUser, anOrganization, bearer, type TestUser } from './helpers/factories.js';
import {
  API,
  aCase,
  aContactOn,
  aJourney,
  aPeer,
  aStay,
  contactsOn,
  csvText,
  nameTeam,
  rowWhere,
} from './helpers/reports-test-helpers.js';
import { createTestDatabase, dropTestDatabase } from './helpers/test-db.js';
import { addDays, fiscalYearOf, todayInTokyo } from '../src/common/dates.js';

/**
 * Reports on a hand-built city (one municipality, two hospitals, two teams). Every expected figure below is
 * worked out by hand in the comments next to the data; FY2023 = 2023-04-01 … 2024-03-31 (it holds 2024-02-29),
 * FY2025 = 2025-04-01 … 2026-03-31. All follow-up windows of FY2023 are over by the time the suite runs (2026+).
 */
describe('reports', () => {
  let t: TestApp;
  let admin: TestUser;
  let w1: World; // あおば病院, team チームA
  let w2: World; // みどりの森病院, team チームB
  const H2_NAME = 'みどりの森病院, "本院"\n分院'; // comma, quotes and a newline: CSV must quote it
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    admin = await aUser(t, 'admin', null);
    const city = await anOrganization(t, { kind: 'municipality', name: '千葉市' });
    const h1 = await anOrganization(t, { kind: 'hospital', name: 'あおば病院' });
    const h2 = await anOrganization(t, { kind: 'hospital', name: H2_NAME });
    w1 = await aWorld(t, { municipalityId: city.id, hospitalId: h1.id });
    w2 = await aWorld(t, { municipalityId: city.id, hospitalId: h2.id });
    await nameTeam(t, w1.team.id, 'チームA');
    await nameTeam(t, w2.team.id, 'チームB');

    // ---- Discharges, funnel and outcomes: FY2023 -------------------------------------------------------------
    // P1 あおば: 2022-03-01 → 2023-03-31 (group_home), 395 days. Discharged on 31 March: FY2022, not FY2023.
    const p1 = await aCase(t, w1);
    await aStay(t, {
      patientId: p1.id,
      hospitalId: h1.id,
      admittedOn: '2022-03-01',
      dischargedOn: '2023-03-31',
      destination: 'group_home',
    });
    // P2 あおば, voluntary: 2022-04-01 → 2023-04-01 (home_alone) = 365 days → long-stay; 1 April → FY2023.
    //   Through E2 (community_transition, チームA) started 2022-10-01: 182 days from enrollment to discharge.
    const p2 = await aCase(t, w1);
    await aStay(t, {
      patientId: p2.id,
      hospitalId: h1.id,
      admittedOn: '2022-04-01',
      dischargedOn: '2023-04-01',
      destination: 'home_alone',
      admissionType: 'voluntary',
    });
    const e2 = await anEnrollment(t, { patientId: p2.id, world: w1, startedOn: '2022-10-01' });
    await aJourney(t, e2.id, [
      ['engaged', '2022-11-01'],
      ['applied', '2022-12-01'],
      ['granted', '2023-01-05'],
      ['planned', '2023-02-01'],
      ['supporting', '2023-03-01'],
      ['discharged', '2023-04-01'],
      ['settling', '2023-05-01'],
      ['completed', '2024-05-01'],
    ]);
    //   E7: P2's community_settlement after discharge, 2023-04-10, completed 2024-04-30.
    const e7 = await anEnrollment(t, {
      patientId: p2.id,
      world: w1,
      program: 'community_settlement',
      startedOn: '2023-04-10',
    });
    await aJourney(t, e7.id, [
      ['granted', '2023-05-01'],
      ['supporting', '2023-05-01'],
      ['completed', '2024-04-30'],
    ]);
    // P3 あおば: 2023-01-10 → 2024-01-09 (home_family) = 364 days → NOT long-stay.
    //   Through E3 (チームA) started 2023-06-01: 2023-06-01 → 2024-01-09 = 222 days.
    const p3 = await aCase(t, w1);
    await aStay(t, {
      patientId: p3.id,
      hospitalId: h1.id,
      admittedOn: '2023-01-10',
      dischargedOn: '2024-01-09',
      destination: 'home_family',
    });
    const e3 = await anEnrollment(t, { patientId: p3.id, world: w1, startedOn: '2023-06-01' });
    await aJourney(t, e3.id, [
      ['engaged', '2023-06-15'],
      ['applied', '2023-07-01'],
      ['granted', '2023-07-15'],
      ['planned', '2023-08-01'],
      ['supporting', '2023-09-01'],
      ['discharged', '2024-01-09'],
      ['settling', '2024-02-01'],
      ['completed', '2024-03-15'],
    ]);
    // P4 みどりの森, involuntary: 2023-04-01 → 2024-03-31 (welfare_facility). Across 2024-02-29 that is 365 days
    //   → long-stay (364 in a common year); 31 March → still FY2023. Through E4 (post_involuntary_support,
    //   チームB) started 2023-05-01: 335 days (2023-05-01 → 2024-05-01 is 366, minus 31).
    const p4 = await aCase(t, w2);
    await aStay(t, {
      patientId: p4.id,
      hospitalId: h2.id,
      admittedOn: '2023-04-01',
      dischargedOn: '2024-03-31',
      destination: 'welfare_facility',
      admissionType: 'involuntary',
    });
    const e4 = await anEnrollment(t, {
      patientId: p4.id,
      world: w2,
      program: 'post_involuntary_support',
      startedOn: '2023-05-01',
    });
    await aJourney(t, e4.id, [
      ['planned', '2023-06-01'],
      ['discharged', '2024-03-31'],
      ['supporting', '2024-04-01'],
      ['completed', '2024-09-30'],
    ]);
    // P5 みどりの森, voluntary: 2023-09-01 → 2023-11-15 (home_alone, 75 days); readmitted on DAY 90
    //   (2024-02-13) → within 3 months; that stay ends 2024-04-10 (FY2024): 57 days, leap February included.
    const p5 = await aCase(t, w2);
    await aStay(t, {
      patientId: p5.id,
      hospitalId: h2.id,
      admittedOn: '2023-09-01',
      dischargedOn: '2023-11-15',
      destination: 'home_alone',
      admissionType: 'voluntary',
    });
    await aStay(t, {
      patientId: p5.id,
      hospitalId: h2.id,
      admittedOn: '2024-02-13',
      dischargedOn: '2024-04-10',
      destination: 'home_alone',
      admissionType: 'voluntary',
    });
    // P6 あおば: 2023-05-01 → 2023-07-01 (home_family, 61 days); readmitted on DAY 91 (2023-09-30) → not within
    //   3 months, within 6; that stay is still open.
    const p6 = await aCase(t, w1);
    await aStay(t, {
      patientId: p6.id,
      hospitalId: h1.id,
      admittedOn: '2023-05-01',
      dischargedOn: '2023-07-01',
      destination: 'home_family',
    });
    await aStay(t, { patientId: p6.id, hospitalId: h1.id, admittedOn: '2023-09-30' });
    // P7 あおば, emergency_involuntary: 2023-06-01 → 2023-06-20, died: a discharge, but not to the community.
    const p7 = await aCase(t, w1);
    await aStay(t, {
      patientId: p7.id,
      hospitalId: h1.id,
      admittedOn: '2023-06-01',
      dischargedOn: '2023-06-20',
      destination: 'death',
      admissionType: 'emergency_involuntary',
    });
    // P8 あおば, in hospital since 2019: E5 referred 2023-07-01, engaged 08-01, withdrawn 10-01 (declined).
    const p8 = await aCase(t, w1);
    await aStay(t, { patientId: p8.id, hospitalId: h1.id, admittedOn: '2019-01-01' });
    const e5 = await anEnrollment(t, { patientId: p8.id, world: w1, startedOn: '2023-07-01' });
    await aJourney(t, e5.id, [
      ['engaged', '2023-08-01'],
      ['withdrawn', '2023-10-01', 'declined'],
    ]);
    // P9 あおば: E6 referred on 31 March 2024 (FY2023), withdrawn on 1 April 2024 (FY2024, condition_worsened).
    const p9 = await aCase(t, w1);
    await aStay(t, { patientId: p9.id, hospitalId: h1.id, admittedOn: '2020-01-01' });
    const e6 = await anEnrollment(t, { patientId: p9.id, world: w1, startedOn: '2024-03-31' });
    await aJourney(t, e6.id, [['withdrawn', '2024-04-01', 'condition_worsened']]);

    // ---- Contact intensity: FY2025 (every enrollment above ended before 2025-04-01) ---------------------------
    const peer = await aPeer(t, { municipalityId: city.id });
    // C1 (transition, チームA) 2025-04-01, discharged 05-31, completed 06-30. Open Apr–Jun = 3 months; in-hospital
    //   phase Apr–May = 2 months with 8 face-to-face days + a 3-day trial stay (05-10…05-12) = 11 → 5.5/month.
    const c1 = await anEnrollment(t, {
      patientId: (await aCase(t, w1)).id,
      world: w1,
      startedOn: '2025-04-01',
    });
    await aJourney(t, c1.id, [
      ['discharged', '2025-05-31'],
      ['completed', '2025-06-30'],
    ]);
    await contactsOn(t, c1.id, 'face_to_face', [
      '2025-04-03',
      '2025-04-10',
      '2025-04-17',
      '2025-05-01',
      '2025-05-08',
      '2025-05-15',
      '2025-05-22',
      '2025-05-29',
    ]);
    await aContactOn(t, { enrollmentId: c1.id, kind: 'phone', occurredOn: '2025-04-05' });
    await aContactOn(t, {
      enrollmentId: c1.id,
      kind: 'trial_stay',
      occurredOn: '2025-05-10',
      endsOn: '2025-05-12',
    });
    // C2 (transition, チームA) 2025-04-15, still supporting: 12 months (Apr … Mar); 2 face-to-face days
    //   (a peer visit without staff does not count) → 0.17/month.
    const c2 = await anEnrollment(t, {
      patientId: (await aCase(t, w1)).id,
      world: w1,
      startedOn: '2025-04-15',
    });
    await aJourney(t, c2.id, [['supporting', '2025-05-01']]);
    await aContactOn(t, { enrollmentId: c2.id, kind: 'face_to_face', occurredOn: '2025-06-01' });
    await aContactOn(t, { enrollmentId: c2.id, kind: 'home_visit', occurredOn: '2025-07-01' });
    await aContactOn(t, {
      enrollmentId: c2.id,
      kind: 'peer_visit',
      occurredOn: '2025-08-01',
      staff: false,
      peerIds: [peer.id],
    });
    // C3 (transition, チームB) 2025-09-01, discharged 09-30, completed 10-31: open Sep–Oct = 2 months; phase
    //   September: 6 face-to-face + accompanied outing + peer visit with staff = 8 days → 8/month.
    const c3 = await anEnrollment(t, {
      patientId: (await aCase(t, w2)).id,
      world: w2,
      startedOn: '2025-09-01',
    });
    await aJourney(t, c3.id, [
      ['discharged', '2025-09-30'],
      ['completed', '2025-10-31'],
    ]);
    await contactsOn(t, c3.id, 'face_to_face', [
      '2025-09-02',
      '2025-09-03',
      '2025-09-04',
      '2025-09-06',
      '2025-09-10',
      '2025-09-20',
    ]);
    await aContactOn(t, { enrollmentId: c3.id, kind: 'accompanied_outing', occurredOn: '2025-09-05' });
    await aContactOn(t, {
      enrollmentId: c3.id,
      kind: 'peer_visit',
      occurredOn: '2025-09-25',
      peerIds: [peer.id],
    });
    // C4 (post-involuntary, チームA) 2025-10-01, withdrawn 12-15: Oct–Dec = 3 months, 6 days → 2.0/month.
    const c4 = await anEnrollment(t, {
      patientId: (await aCase(t, w1)).id,
      world: w1,
      program: 'post_involuntary_support',
      startedOn: '2025-10-01',
    });
    await aJourney(t, c4.id, [['withdrawn', '2025-12-15', 'other']]);
    await contactsOn(t, c4.id, 'face_to_face', [
      '2025-10-01',
      '2025-10-15',
      '2025-11-01',
      '2025-11-15',
      '2025-12-01',
      '2025-12-10',
    ]);
    // C5 (settlement, チームA) 2025-04-01, open all year: 12 months; 2 phone calls + 1 home visit (1 day).
    const c5 = await anEnrollment(t, {
      patientId: (await aCase(t, w1)).id,
      world: w1,
      program: 'community_settlement',
      startedOn: '2025-04-01',
    });
    await aJourney(t, c5.id, [['granted', '2025-04-01']]);
    await contactsOn(t, c5.id, 'phone', ['2025-05-01', '2025-06-01']);
    await aContactOn(t, { enrollmentId: c5.id, kind: 'home_visit', occurredOn: '2025-07-01' });

    Object.assign(ids, { h1: h1.id, h2: h2.id, t1: w1.team.id, t2: w2.team.id, city: city.id });
  });
  afterAll(() => t.close());

  const get = (path: string, user: TestUser = admin) =>
    t.http().get(`${API}/reports/${path}`).set(bearer(user));
  const FY2023 = 'from=2023-04-01&to=2024-03-31';

  describe('discharges', () => {
    it('counts all, long-stay (≥ 365 days, leap day included) and programme discharges, with the median days', async () => {
      const res = await get(`discharges?${FY2023}`);
      expect(res.status).toBe(200);
      // P2, P7, P6, P5, P3, P4; long-stay P2 (365) and P4 (365 across 29 Feb); through E2, E3, E4: 182, 222, 335.
      expect(res.body).toMatchObject({
        report: 'discharges',
        from: '2023-04-01',
        to: '2024-03-31',
        groupBy: [],
        rows: [],
        suppressBelow: null,
      });
      expect(res.body.total).toEqual({
        discharges: 6,
        longStayDischarges: 2,
        programDischarges: 3,
        medianDaysEnrollmentToDischarge: 222,
        withheld: [],
      });
    });

    it('puts 31 March in the old fiscal year and 1 April in the new one', async () => {
      const res = await get('discharges?from=2023-03-01&to=2024-04-30&groupBy=fiscalYear');
      expect(res.status).toBe(200);
      // FY2022: P1 (31 March, 395 days). FY2023: the six. FY2024: P5's readmission, discharged 2024-04-10.
      expect(res.body.rows).toEqual([
        {
          fiscalYear: 2022,
          discharges: 1,
          longStayDischarges: 1,
          programDischarges: 0,
          medianDaysEnrollmentToDischarge: null,
          withheld: [],
        },
        {
          fiscalYear: 2023,
          discharges: 6,
          longStayDischarges: 2,
          programDischarges: 3,
          medianDaysEnrollmentToDischarge: 222,
          withheld: [],
        },
        {
          fiscalYear: 2024,
          discharges: 1,
          longStayDischarges: 0,
          programDischarges: 0,
          medianDaysEnrollmentToDischarge: null,
          withheld: [],
        },
      ]);
      expect(res.body.total.discharges).toBe(8);
    });

    it('defaults to the fiscal year of `from` when `to` is absent', async () => {
      const res = await get('discharges?from=2023-04-01');
      expect(res.body).toMatchObject({ from: '2023-04-01', to: '2024-03-31' });
      expect(res.body.total.discharges).toBe(6);
    });

    it('groups by month', async () => {
      const res = await get(`discharges?${FY2023}&groupBy=month`);
      expect(
        res.body.rows.map((r: { month: string; discharges: number }) => [r.month, r.discharges]),
      ).toEqual([
        ['2023-04', 1],
        ['2023-06', 1],
        ['2023-07', 1],
        ['2023-11', 1],
        ['2024-01', 1],
        ['2024-03', 1],
      ]);
    });

    it('groups by hospital, the median per hospital', async () => {
      const res = await get(`discharges?${FY2023}&groupBy=hospital`);
      expect(res.body.rows).toHaveLength(2);
      // あおば: P2, P7, P6, P3 — long P2; through E2 (182) and E3 (222) → median 202.
      expect(rowWhere(res.body.rows, { hospitalId: ids.h1 })).toEqual({
        hospitalId: ids.h1,
        hospitalName: 'あおば病院',
        discharges: 4,
        longStayDischarges: 1,
        programDischarges: 2,
        medianDaysEnrollmentToDischarge: 202,
        withheld: [],
      });
      expect(rowWhere(res.body.rows, { hospitalId: ids.h2 })).toEqual({
        hospitalId: ids.h2,
        hospitalName: H2_NAME,
        discharges: 2,
        longStayDischarges: 1,
        programDischarges: 1,
        medianDaysEnrollmentToDischarge: 335,
        withheld: [],
      });
    });

    it('groups by team and by programme; discharges without an enrollment have none', async () => {
      const team = await get(`discharges?${FY2023}&groupBy=team`);
      expect(rowWhere(team.body.rows, { teamName: 'チームA' })).toMatchObject({
        teamId: ids.t1,
        discharges: 2,
        programDischarges: 2,
        medianDaysEnrollmentToDischarge: 202,
      });
      expect(rowWhere(team.body.rows, { teamName: 'チームB' })).toMatchObject({
        teamId: ids.t2,
        discharges: 1,
        programDischarges: 1,
      });
      expect(rowWhere(team.body.rows, { teamId: null })).toMatchObject({
        teamName: null,
        discharges: 3,
        programDischarges: 0,
        medianDaysEnrollmentToDischarge: null,
      });
      const program = await get(`discharges?${FY2023}&groupBy=program`);
      expect(
        program.body.rows.map((r: { program: string | null; discharges: number }) => [
          r.program,
          r.discharges,
        ]),
      ).toEqual([
        ['community_transition', 2],
        ['post_involuntary_support', 1],
        [null, 3],
      ]);
    });

    it('groups by destination and by admission type', async () => {
      const dest = await get(`discharges?${FY2023}&groupBy=destination`);
      const byDest = Object.fromEntries(
        dest.body.rows.map((r: { destination: string; discharges: number }) => [r.destination, r.discharges]),
      );
      expect(byDest).toEqual({ home_alone: 2, home_family: 2, welfare_facility: 1, death: 1 });
      const type = await get(`discharges?${FY2023}&groupBy=admissionType`);
      const byType = Object.fromEntries(
        type.body.rows.map((r: { admissionType: string; discharges: number }) => [
          r.admissionType,
          r.discharges,
        ]),
      );
      expect(byType).toEqual({
        voluntary: 2,
        medical_protection: 2,
        involuntary: 1,
        emergency_involuntary: 1,
      });
    });

    it('combines dimensions in the order given', async () => {
      const res = await get(`discharges?${FY2023}&groupBy=hospital,program`);
      const cells = res.body.rows.map(
        (r: { hospitalId: string; program: string | null; discharges: number }) => [
          r.hospitalId === ids.h1 ? 'あおば' : 'みどり',
          r.program,
          r.discharges,
        ],
      );
      expect(cells).toEqual(
        expect.arrayContaining([
          ['あおば', 'community_transition', 2],
          ['あおば', null, 2],
          ['みどり', 'post_involuntary_support', 1],
          ['みどり', null, 1],
        ]),
      );
      expect(cells).toHaveLength(4);
      expect(res.body.total.discharges).toBe(6);
    });

    it('answers an empty period with zero counts and no median', async () => {
      const res = await get('discharges?from=2010-04-01&to=2011-03-31&groupBy=hospital');
      expect(res.status).toBe(200);
      expect(res.body.rows).toEqual([]);
      expect(res.body.total).toEqual({
        discharges: 0,
        longStayDischarges: 0,
        programDischarges: 0,
        medianDaysEnrollmentToDischarge: null,
        withheld: [],
      });
    });

    it.each([
      ['an unknown dimension', 'groupBy=ward', 'groupBy'],
      ['a repeated dimension', 'groupBy=month,month', 'groupBy'],
      ['an impossible date', 'from=2023-02-30', 'from'],
      ['from after to', 'from=2024-04-01&to=2024-03-31', 'from'],
      ['a suppression threshold of 1', 'suppressBelow=1', 'suppressBelow'],
      ['a non-numeric threshold', 'suppressBelow=five', 'suppressBelow'],
      ['an unknown format', 'format=xlsx', 'format'],
      ['a malformed municipalityId', 'municipalityId=abc', 'municipalityId'],
      ['an unknown parameter', 'colour=red', 'colour'],
    ])('answers 400 problem+json with a field error for %s', async (_label, query, field) => {
      const res = await get(`discharges?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('answers 404 for a municipalityId that is not a municipality', async () => {
      const res = await get(`discharges?municipalityId=${ids.h1}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    });
  });

  describe('suppression (?suppressBelow=5)', () => {
    it('reads counts 1–4 as "<5", keeps 0 and ≥ 5, and withholds medians from fewer than 5 people', async () => {
      const res = await get(`discharges?${FY2023}&groupBy=hospital&suppressBelow=5`);
      expect(res.status).toBe(200);
      expect(res.body.suppressBelow).toBe(5);
      expect(res.body.total).toEqual({
        discharges: 6,
        longStayDischarges: '<5',
        programDischarges: '<5',
        medianDaysEnrollmentToDischarge: null,
        withheld: ['medianDaysEnrollmentToDischarge'],
      });
      expect(rowWhere(res.body.rows, { hospitalId: ids.h1 })).toMatchObject({
        discharges: '<5',
        longStayDischarges: '<5',
        programDischarges: '<5',
        medianDaysEnrollmentToDischarge: null,
      });
      const empty = await get('discharges?from=2010-04-01&to=2011-03-31&suppressBelow=5');
      expect(empty.body.total).toMatchObject({ discharges: 0, withheld: [] });
    });

    it('withholds rates of the outcomes from fewer than N people, and shows them from N on', async () => {
      const res = await get('outcomes?fiscalYear=2023&suppressBelow=5');
      // 5 community discharges: the readmission rates stay; 1 and 2 readmissions read "<5".
      expect(res.body.readmission.windows[0]).toMatchObject({
        observed: 5,
        readmitted: '<5',
        ratePercent: 20,
        withheld: [],
      });
      expect(res.body.communityLivingDays).toMatchObject({ observed: 5, meanDays: 298.6 });
      const six = await get('outcomes?fiscalYear=2023&suppressBelow=6');
      expect(six.body.readmission.windows[0]).toMatchObject({
        observed: '<6',
        ratePercent: null,
        withheld: ['ratePercent'],
      });
      expect(six.body.communityLivingDays).toMatchObject({ meanDays: null, withheld: ['meanDays'] });
      expect(six.body.dischargeRates.windows[0]).toMatchObject({
        observed: 6,
        discharged: '<6',
        ratePercent: 50,
      });
    });
  });

  describe('CSV', () => {
    it('is UTF-8 with a BOM, a header row, and quotes commas, quotes and newlines in names', async () => {
      const res = await get(`discharges?${FY2023}&groupBy=hospital&format=csv`).buffer(true);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="kizuna-discharges-2023-04-01_2024-03-31.csv"',
      );
      const text = csvText(res);
      expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(text).toBe(
        '\uFEFF' +
          'hospital_id,hospital_name,discharges,long_stay_discharges,program_discharges,median_days_enrollment_to_discharge,withheld\n' +
          `${ids.h1},あおば病院,4,1,2,202,\n` +
          `${ids.h2},"みどりの森病院, ""本院""\n分院",2,1,1,335,\n` +
          'total,,6,2,3,222,\n',
      );
    });

    it('has Japanese headers with ?lang=ja and shows "<5" cells under suppression', async () => {
      const res = await get(`discharges?${FY2023}&format=csv&lang=ja&suppressBelow=5`).buffer(true);
      const [header, total] = csvText(res).replace('\uFEFF', '').trim().split('\n');
      expect(header).toBe(
        '退院数,長期入院者（1年以上）の退院数,プログラムを通じた退院数,利用開始から退院までの日数（中央値）,秘匿した項目',
      );
      expect(total).toBe('6,<5,<5,,medianDaysEnrollmentToDischarge');
    });

    it('is also chosen by Accept: text/csv', async () => {
      const res = await t
        .http()
        .get(`${API}/reports/funnel?fiscalYear=2023`)
        .set(bearer(admin))
        .set('accept', 'text/csv')
        .buffer(true);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csvText(res).startsWith('\uFEFFprogram,measure,key,label,enrollments\n')).toBe(true);
    });

    it('writes one export audit row with the report and its parameters, and none for JSON', async () => {
      const before = await t.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'export'`,
      );
      await get('outcomes?fiscalYear=2023');
      await get('outcomes?fiscalYear=2023&format=csv').buffer(true);
      const rows = await t.sql<{
        actor_id: string;
        entity_type: string;
        details: { report: string; params: Record<string, unknown> };
      }>(
        `SELECT actor_id, entity_type, details FROM audit_events WHERE action = 'export' ORDER BY id DESC LIMIT 1`,
      );
      const after = await t.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'export'`,
      );
      expect(after[0].n - before[0].n).toBe(1);
      expect(rows[0]).toEqual({
        actor_id: admin.id,
        entity_type: 'report',
        details: { report: 'outcomes', params: { fiscalYear: 2023, format: 'csv' } },
      });
    });

    it.each([
      'funnel?fiscalYear=2023',
      'outcomes?fiscalYear=2023',
      'contact-intensity?fiscalYear=2025',
      'indicators?fiscalYear=2023',
    ])('%s has a BOM and a header row', async (path) => {
      const res = await get(`${path}&format=csv`).buffer(true);
      expect(res.status).toBe(200);
      const text = csvText(res);
      expect(text.charCodeAt(0)).toBe(0xfeff);
      expect(text.split('\n').length).toBeGreaterThan(2);
    });
  });

  describe('funnel', () => {
    it('counts the enrollments reaching each step in FY2023, withdrawals by reason, per programme', async () => {
      const res = await get('funnel?fiscalYear=2023');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ fiscalYear: 2023, from: '2023-04-01', to: '2024-03-31' });
      const steps = (program: string) =>
        Object.fromEntries(
          res.body.programs
            .find((p: { program: string }) => p.program === program)
            .steps.map((s: { step: string; enrollments: number }) => [s.step, s.enrollments]),
        );
      const program = (p: string) => res.body.programs.find((x: { program: string }) => x.program === p);
      // E3, E5 and E6 (referred on 31 March 2024); E2's discharge on 1 April 2023 is FY2023, its earlier steps are not.
      expect(steps('community_transition')).toEqual({
        referred: 3,
        engaged: 2,
        applied: 1,
        granted: 1,
        planned: 1,
        supporting: 1,
        discharged: 2,
        settling: 2,
        completed: 1,
        withdrawn: 1,
      });
      expect(program('community_transition').started).toBe(3);
      expect(program('community_transition').withdrawals).toEqual([
        { reason: 'declined', label: '本人の辞退', enrollments: 1 },
        { reason: 'condition_worsened', label: '病状の悪化', enrollments: 0 },
        { reason: 'transferred', label: '転院・転居', enrollments: 0 },
        { reason: 'died', label: '死亡', enrollments: 0 },
        { reason: 'other', label: 'その他', enrollments: 0 },
      ]);
      expect(steps('post_involuntary_support')).toEqual({
        referred: 1,
        planned: 1,
        discharged: 1,
        supporting: 0,
        completed: 0,
        withdrawn: 0,
      });
      expect(steps('community_settlement')).toEqual({
        referred: 1,
        granted: 1,
        supporting: 1,
        completed: 0,
        withdrawn: 0,
      });
    });

    it('puts a withdrawal on 1 April in the next fiscal year', async () => {
      const res = await get('funnel?fiscalYear=2024');
      const ct = res.body.programs.find((p: { program: string }) => p.program === 'community_transition');
      expect(ct.started).toBe(0);
      expect(
        ct.withdrawals.find((w: { reason: string }) => w.reason === 'condition_worsened').enrollments,
      ).toBe(1);
      expect(ct.steps.find((s: { step: string }) => s.step === 'completed').enrollments).toBe(1); // E2, 2024-05-01
    });
  });

  describe('outcomes', () => {
    it('counts a readmission on day 90 within 3 months and one on day 91 within 6 months only', async () => {
      const res = await get('outcomes?fiscalYear=2023');
      expect(res.status).toBe(200);
      // Community discharges: P2, P6, P5, P3, P4 (P7 died). Readmitted: P5 (day 90), P6 (day 91).
      expect(res.body.readmission).toEqual({
        discharges: 5,
        windows: [
          {
            months: 3,
            withinDays: 90,
            observed: 5,
            readmitted: 1,
            ratePercent: 20,
            pending: 0,
            withheld: [],
          },
          {
            months: 6,
            withinDays: 180,
            observed: 5,
            readmitted: 2,
            ratePercent: 40,
            pending: 0,
            withheld: [],
          },
          {
            months: 12,
            withinDays: 365,
            observed: 5,
            readmitted: 2,
            ratePercent: 40,
            pending: 0,
            withheld: [],
          },
        ],
      });
    });

    it('averages the days lived in the community in the 365 days after discharge, readmission days excluded', async () => {
      const res = await get('outcomes?fiscalYear=2023');
      // P2, P3, P4: 365 each. P5: 365 − 57 (2024-02-13 … 04-09, a 29-day February) = 308. P6: days 1–90 only = 90.
      // (3 × 365 + 308 + 90) / 5 = 1493 / 5 = 298.6
      expect(res.body.communityLivingDays).toEqual({
        observed: 5,
        meanDays: 298.6,
        pending: 0,
        nationalTarget: 325.3,
        withheld: [],
      });
    });

    it('gives the discharge rate at 3/6/12 months after admission, next to the national targets', async () => {
      const res = await get('outcomes?fiscalYear=2023');
      // Admitted in FY2023: P4 (365 days), P6 (61), P7 (died), P5 (75), P6 again (open), P5 again (57).
      expect(res.body.dischargeRates).toEqual({
        admissions: 6,
        windows: [
          {
            months: 3,
            withinDays: 90,
            observed: 6,
            discharged: 3,
            ratePercent: 50,
            nationalTargetPercent: 68.9,
            pending: 0,
            withheld: [],
          },
          {
            months: 6,
            withinDays: 180,
            observed: 6,
            discharged: 3,
            ratePercent: 50,
            nationalTargetPercent: 84.5,
            pending: 0,
            withheld: [],
          },
          {
            months: 12,
            withinDays: 365,
            observed: 6,
            discharged: 4,
            ratePercent: 66.7,
            nationalTargetPercent: 91,
            pending: 0,
            withheld: [],
          },
        ],
      });
      expect(res.body.nationalTargets).toEqual({
        source: expect.stringContaining('national targets'),
        communityLivingDays: 325.3,
        dischargeRatePercent: { 3: 68.9, 6: 84.5, 12: 91 },
      });
    });

    it('reports a discharge whose window is not over yet as pending, not as "not readmitted"', async () => {
      const dischargedOn = addDays(todayInTokyo(), -10);
      const p = await aCase(t, w1);
      await aStay(t, {
        patientId: p.id,
        hospitalId: ids.h1,
        admittedOn: addDays(dischargedOn, -400),
        dischargedOn,
      });
      const res = await get(`outcomes?fiscalYear=${fiscalYearOf(dischargedOn)}`);
      expect(res.status).toBe(200);
      expect(res.body.readmission.windows).toEqual([
        {
          months: 3,
          withinDays: 90,
          observed: 0,
          readmitted: 0,
          ratePercent: null,
          pending: 1,
          withheld: [],
        },
        {
          months: 6,
          withinDays: 180,
          observed: 0,
          readmitted: 0,
          ratePercent: null,
          pending: 1,
          withheld: [],
        },
        {
          months: 12,
          withinDays: 365,
          observed: 0,
          readmitted: 0,
          ratePercent: null,
          pending: 1,
          withheld: [],
        },
      ]);
      expect(res.body.communityLivingDays).toMatchObject({ observed: 0, meanDays: null, pending: 1 });
    });
  });

  describe('contact intensity (FY2025)', () => {
    it('counts contacts per enrollment-month by kind', async () => {
      const res = await get('contact-intensity?fiscalYear=2025');
      expect(res.status).toBe(200);
      // Open: C1 3 + C2 12 + C3 2 + C4 3 + C5 12 = 32 enrollment-months; 30 contacts; 28 face-to-face days.
      expect(res.body).toMatchObject({
        enrollments: 5,
        enrollmentMonths: 32,
        contacts: 30,
        contactsPerEnrollmentMonth: 0.94,
        faceToFaceDays: 28,
        faceToFaceDaysPerEnrollmentMonth: 0.88,
      });
      const byKind = Object.fromEntries(
        res.body.byKind.map((k: { kind: string; contacts: number; perEnrollmentMonth: number }) => [
          k.kind,
          [k.contacts, k.perEnrollmentMonth],
        ]),
      );
      expect(byKind).toEqual({
        face_to_face: [21, 0.66],
        phone: [3, 0.09],
        accompanied_outing: [1, 0.03],
        trial_stay: [1, 0.03],
        trial_service_use: [0, 0],
        home_visit: [2, 0.06],
        case_conference: [0, 0],
        peer_visit: [2, 0.06],
        other: [0, 0],
      });
    });

    it('gives the discharge rate by face-to-face days per month of the in-hospital phase', async () => {
      const res = await get('contact-intensity?fiscalYear=2025');
      // C2 2/12 = 0.17 → <2; C4 6/3 = 2.0 → 2–3; C1 11/2 = 5.5 → 4–7 (discharged); C3 8/1 → ≥8 (discharged).
      expect(res.body.cohortEnrollments).toBe(4);
      expect(res.body.bands).toEqual([
        { band: '<2', enrollments: 1, discharged: 0, ratePercent: 0, withheld: [] },
        { band: '2-3', enrollments: 1, discharged: 0, ratePercent: 0, withheld: [] },
        { band: '4-7', enrollments: 1, discharged: 1, ratePercent: 100, withheld: [] },
        { band: '>=8', enrollments: 1, discharged: 1, ratePercent: 100, withheld: [] },
      ]);
    });

    it('gives the discharge rate by approach and each approach’s share of contacts', async () => {
      const res = await get('contact-intensity?fiscalYear=2025');
      const a = (approach: string, used: boolean) => rowWhere(res.body.approaches, { approach, used });
      expect(a('trial', true)).toMatchObject({ enrollments: 1, discharged: 1, ratePercent: 100 }); // C1
      expect(a('trial', false)).toMatchObject({ enrollments: 3, discharged: 1, ratePercent: 33.3 }); // C2, C3, C4
      expect(a('accompaniment', true)).toMatchObject({ enrollments: 1, discharged: 1, ratePercent: 100 }); // C3
      expect(a('peer', true)).toMatchObject({ enrollments: 2, discharged: 1, ratePercent: 50 }); // C2, C3
      expect(a('peer', false)).toMatchObject({ enrollments: 2, discharged: 1, ratePercent: 50 }); // C1, C4
      // 27 contacts in the phases: trial 1, accompaniment 1, peer 2.
      expect(
        res.body.approachShares.map(
          (s: { approach: string; contacts: number; shareOfContactsPercent: number }) => [
            s.approach,
            s.contacts,
            s.shareOfContactsPercent,
          ],
        ),
      ).toEqual([
        ['trial', 1, 3.7],
        ['accompaniment', 1, 3.7],
        ['peer', 2, 7.4],
      ]);
    });

    it('withholds per-month figures and band rates under suppression', async () => {
      // 5 open enrollments: exact under suppressBelow=5, withheld under 6; each band holds 1 enrollment.
      const five = await get('contact-intensity?fiscalYear=2025&suppressBelow=5');
      expect(five.body).toMatchObject({
        enrollments: 5,
        contactsPerEnrollmentMonth: 0.94,
        cohortEnrollments: '<5',
      });
      expect(five.body.bands[2]).toMatchObject({
        enrollments: '<5',
        discharged: '<5',
        ratePercent: null,
        withheld: ['ratePercent'],
      });
      const six = await get('contact-intensity?fiscalYear=2025&suppressBelow=6');
      expect(six.body).toMatchObject({
        enrollments: '<6',
        contacts: 30,
        contactsPerEnrollmentMonth: null,
        faceToFaceDaysPerEnrollmentMonth: null,
      });
      expect(six.body.withheld).toEqual(
        expect.arrayContaining(['contactsPerEnrollmentMonth', 'faceToFaceDaysPerEnrollmentMonth']),
      );
    });
  });

  it('documents every report route, its parameters and errors in OpenAPI', async () => {
    const res = await t.http().get('/docs-json');
    expect(res.status).toBe(200);
    for (const path of ['discharges', 'funnel', 'outcomes', 'contact-intensity', 'indicators', 'comparison']) {
      const op = res.body.paths[`/api/v1/reports/${path}`]?.get;
      expect(op).toBeDefined();
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
      expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['format', 'lang', 'suppressBelow']));
    }
    const put = res.body.paths['/api/v1/indicator-targets/{fiscalYear}/{code}']?.put;
    expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '403', '404', '412']));
    expect(JSON.stringify(res.body.components.schemas.OutcomesReport)).toMatch(/national/i);
  });

  describe('READ_REPLICA_URL', () => {
    it('reads the reports from the replica when it is set', async () => {
      const replica = await createTestDatabase();
      const client = new pg.Client({ connectionString: replica.url });
      await client.connect();
      let t2: TestApp | undefined;
      try {
        // The replica holds one discharge the primary of t2 does not have.
        const [h] = (
          await client.query(
            `INSERT INTO organizations (kind, name) VALUES ('hospital', 'レプリカ病院') RETURNING id`,
          )
        ).rows;
        const [p] = (
          await client.query(
            `INSERT INTO patients (hospital_id, record_number, family_name, given_name, family_name_kana, given_name_kana, birth_date, sex)
             VALUES ($1, 'R1', '山田', '花子', 'ヤマダ', 'ハナコ', '1960-04-01', 'female') RETURNING id`,
            [h.id],
          )
        ).rows;
        await client.query(
          `INSERT INTO admissions (patient_id, hospital_id, admission_type, admitted_on, discharged_on, discharge_destination)
           VALUES ($1, $2, 'voluntary', '2020-01-01', '2023-06-01', 'home_alone')`,
          [p.id, h.id],
        );
        t2 = await startTestApp({ config: { readReplicaUrl: replica.url } });
        const admin2 = await aUser(t2, 'admin', null);
        const res = await t2.http().get(`${API}/reports/discharges?${FY2023}`).set(bearer(admin2));
        expect(res.status).toBe(200);
        expect(res.body.total).toMatchObject({ discharges: 1, longStayDischarges: 1 });
        expect(await t2.sql(`SELECT 1 FROM admissions`)).toEqual([]);
      } finally {
        await client.end();
        await t2?.close();
        await dropTestDatabase(replica.name);
      }
    });
  });
});
