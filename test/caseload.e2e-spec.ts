import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, daysInMonth } from '../src/common/dates.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { aContact, anEnrollment } from './helpers/domain-factories.js';
import { anOrganization, bearer, type TestUser } from './helpers/factories.js';
import { aCaseWorld, anInpatient, API, aPatient, daysAgo, today, type CaseWorld } from './helpers/enrollments-test-helpers.js';

describe('GET /caseload', () => {
  let t: TestApp;
  let w: CaseWorld;
  let w2: CaseWorld;
  /** Enrollment ids by name. */
  const e: Record<string, string> = {};
  const month = () => today().slice(0, 7);
  const monthDay = (d: number) => `${month()}-${String(d).padStart(2, '0')}`;

  const caseload = (user: TestUser, q = '') => t.http().get(`${API}/caseload${q}`).set(bearer(user));
  const idsOf = (res: { body: { items: { enrollmentId: string }[] } }) => res.body.items.map((i) => i.enrollmentId);

  beforeAll(async () => {
    t = await startTestApp();
    w = await aCaseWorld(t);
    w2 = await aCaseWorld(t);
    const enrol = async (name: string, kana: [string, string], o: { step?: string; isActive?: boolean; nurseStation?: boolean; world?: CaseWorld; office?: string } = {}) => {
      const world = o.world ?? w;
      const { patient } = await anInpatient(t, world, { familyNameKana: kana[0], givenNameKana: kana[1], familyName: name });
      const row = await anEnrollment(t, {
        patientId: patient.id,
        world: o.office ? { ...world, office: { id: o.office } } : world,
        step: o.step ?? 'supporting',
        startedOn: daysAgo(120),
        stepEnteredOn: daysAgo(12),
        isActive: o.isActive ?? true,
        nurseStation: o.nurseStation,
      });
      e[name] = row.id;
    };
    await enrol('イ', ['イトウ', 'ハナコ'], { nurseStation: true });
    await enrol('ア', ['アオキ', 'タロウ']);
    await enrol('ウ1', ['ウエダ', 'アキラ'], { step: 'planned' });
    await enrol('ウ2', ['ウエダ', 'アキラ'], { step: 'granted' });
    await enrol('終了', ['エンドウ', 'ジロウ'], { step: 'completed', isActive: false });
    await enrol('他事業所', ['オオタ', 'サブロウ'], { office: w.otherOffice.id });
    await enrol('他市', ['カトウ', 'シロウ'], { world: w2 });
    // Pages and figures of イトウ: a running benefit period ending in 9 days, contacts this month.
    await t.sql(`INSERT INTO benefit_periods (enrollment_id, starts_on, ends_on) VALUES ($1, $2, $3)`, [e['イ'], daysAgo(100), addDays(today(), 9)]);
  });
  afterAll(() => t.close());

  it('shows the office exactly its own active cases, in kana order, with patient name and step', async () => {
    const res = await caseload(w.officeStaff);
    expect(res.status).toBe(200);
    expect(idsOf(res)).toEqual([e['ア'], e['イ'], ...[e['ウ1'], e['ウ2']].sort()]);
    expect(res.body.items[0]).toMatchObject({
      patient: { familyName: 'ア', familyNameKana: 'アオキ', givenNameKana: 'タロウ' },
      program: 'community_transition',
      step: 'supporting',
      stepLabel: '支援実施',
      allowedNext: ['discharged', 'withdrawn'],
      daysInStep: 12,
      benefitPeriodEndsOn: null,
      benefitDaysLeft: null,
      lastContactOn: null,
      faceToFaceDaysThisMonth: 0,
      version: 1,
    });
    expect(res.body.items[1]).toMatchObject({ benefitPeriodEndsOn: addDays(today(), 9), benefitDaysLeft: 10 });
  });

  it('never shows others’ cases: the team’s other office, another municipality, another hospital', async () => {
    expect(idsOf(await caseload(w.otherOfficeStaff))).toEqual([e['他事業所']]);
    expect(idsOf(await caseload(w2.officeStaff))).toEqual([e['他市']]);
    expect(idsOf(await caseload(w.strangerPsw))).toEqual([]);
    expect(idsOf(await caseload(w.strangerOfficer))).toEqual([]);
    const officerIds = idsOf(await caseload(w.officer, '?limit=200'));
    expect(officerIds).not.toContain(e['他市']);
    expect(officerIds).toHaveLength(5);
    expect(idsOf(await caseload(w2.officer))).toEqual([e['他市']]);
  });

  it('shows the nurse station only enrollments naming it, and the PSW their hospital’s', async () => {
    expect(idsOf(await caseload(w.nurse))).toEqual([e['イ']]);
    const psw = idsOf(await caseload(w.psw, '?limit=200'));
    expect(psw).toHaveLength(5);
    expect(psw).not.toContain(e['終了']);
  });

  it('answers 403 to the prefectural officer (no patient-level data)', async () => {
    const res = await caseload(w.prefectural);
    expect(res.status).toBe(403);
  });

  it('filters by step and programme', async () => {
    expect(idsOf(await caseload(w.officeStaff, '?step=planned'))).toEqual([e['ウ1']]);
    expect(idsOf(await caseload(w.officeStaff, '?program=community_settlement'))).toEqual([]);
    expect((await caseload(w.officeStaff, '?step=flying')).status).toBe(400);
  });

  it('pages with a keyset cursor, ties on kana broken by id, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await caseload(w.officeStaff, `?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...idsOf(res));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(idsOf(await caseload(w.officeStaff)));
    expect(pages).toBe(4);
    expect((await caseload(w.officeStaff, '?cursor=garbage')).status).toBe(400);
  });

  it('audits the read of every patient shown', async () => {
    const res = await caseload(w.nurse);
    const [patientId] = res.body.items.map((i: { patient: { id: string } }) => i.patient.id);
    const reads = await t.sql<{ ids: string[] }>(
      `SELECT entity_ids::text[] AS ids FROM audit_events WHERE action = 'read' AND entity_type = 'patient' AND actor_id = $1`,
      [w.nurse.id],
    );
    expect(reads.length).toBeGreaterThanOrEqual(1);
    expect(reads.every((r) => r.ids.length === 1 && r.ids[0] === patientId)).toBe(true);
  });

  describe('contacts: last contact date and this month’s face-to-face days (Asia/Tokyo)', () => {
    let world: CaseWorld;
    let enrollmentId: string;
    const only = async () => {
      const res = await caseload(world.officeStaff);
      expect(res.body.items).toHaveLength(1);
      return res.body.items[0];
    };
    beforeAll(async () => {
      world = await aCaseWorld(t);
      const patient = await aPatient(t, { hospitalId: world.hospital.id });
      enrollmentId = (await anEnrollment(t, { patientId: patient.id, world, step: 'supporting', startedOn: '2025-01-06' })).id;
    });
    const contact = (kind: string, occurredOn: string, endsOn?: string) =>
      aContact(t, { enrollmentId, createdById: world.officeStaff.id, kind, occurredOn, endsOn });

    it('counts two contacts on the same day once', async () => {
      await contact('face_to_face', monthDay(1));
      await contact('home_visit', monthDay(1));
      expect(await only()).toMatchObject({ faceToFaceDaysThisMonth: 1, lastContactOn: monthDay(1) });
    });

    it('does not count phone calls, case conferences or last month', async () => {
      await contact('phone', monthDay(2));
      await contact('case_conference', monthDay(2));
      await contact('face_to_face', addDays(monthDay(1), -3));
      expect(await only()).toMatchObject({ faceToFaceDaysThisMonth: 1, lastContactOn: monthDay(2) });
    });

    it('counts a trial stay across the month boundary for each of its days inside this month', async () => {
      await contact('trial_stay', addDays(monthDay(1), -2), monthDay(3));
      // Days 1 (already counted), 2 and 3.
      expect((await only()).faceToFaceDaysThisMonth).toBe(3);
    });

    it('counts a peer visit only with staff taking part', async () => {
      const last = daysInMonth(Number(month().slice(0, 4)), Number(month().slice(5, 7)));
      // A peer supporter visiting alone (no staff on the record).
      await t.sql(
        `INSERT INTO contacts (enrollment_id, kind, occurred_on, place, staff_ids, created_by_id) VALUES ($1, 'peer_visit', $2, 'hospital', '{}', $3)`,
        [enrollmentId, monthDay(last), world.officeStaff.id],
      );
      expect((await only()).faceToFaceDaysThisMonth).toBe(3);
      await contact('peer_visit', monthDay(last));
      const item = await only();
      expect(item.faceToFaceDaysThisMonth).toBe(4);
      expect(item.lastContactOn).toBe(monthDay(last));
    });

    it('does not show the contacts’ enrollment to an office of another world', async () => {
      expect(idsOf(await caseload(w.officeStaff, '?limit=200'))).not.toContain(enrollmentId);
    });
  });

  it('follows the patient when they move hospital: the old hospital’s PSW no longer sees the case', async () => {
    const world = await aCaseWorld(t);
    const { patient } = await anInpatient(t, world);
    const row = await anEnrollment(t, { patientId: patient.id, world });
    expect(idsOf(await caseload(world.psw))).toEqual([row.id]);
    const elsewhere = await anOrganization(t, { kind: 'hospital' });
    await t.sql(`UPDATE patients SET hospital_id = $2 WHERE id = $1`, [patient.id, elsewhere.id]);
    expect(idsOf(await caseload(world.psw))).toEqual([]);
  });
});
