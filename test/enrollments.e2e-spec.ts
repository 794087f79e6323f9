import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays } from '../src/common/dates.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { anEnrollment } from './helpers/domain-factories.js';
import { anOrganization, bearer } from './helpers/factories.js';
import {
  aCaseWorld,
  anInpatient,
  aPatient,
  API,
  aTeam,
  createEnrollment,
  daysAgo,
  moveNow,
  PROBLEM,
  today,
  type CaseWorld,
} from './helpers/enrollments-test-helpers.js';

describe('enrollments', () => {
  let t: TestApp;
  let w: CaseWorld;

  beforeAll(async () => {
    t = await startTestApp();
    w = await aCaseWorld(t);
  });
  afterAll(() => t.close());

  const countEnrollments = async (patientId: string) =>
    (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM enrollments WHERE patient_id = $1`, [patientId]))[0].n;
  const body = (patientId: string, extra: Record<string, unknown> = {}) => ({
    patientId,
    program: 'community_transition',
    teamId: w.team.id,
    supportOfficeId: w.office.id,
    ...extra,
  });

  describe('GET /programs', () => {
    it('returns the three step tables with Japanese labels, transitions, required fields and movers', async () => {
      const res = await t.http().get(`${API}/programs`).set(bearer(w.nurse));
      expect(res.status).toBe(200);
      expect(res.body.programs.map((p: { program: string }) => p.program)).toEqual(['community_transition', 'community_settlement', 'post_involuntary_support']);
      const ct = res.body.programs[0];
      expect(ct).toMatchObject({ label: '地域移行支援', benefitPeriodMaxMonths: 6, initialStep: 'referred' });
      expect(ct.steps.find((s: { step: string }) => s.step === 'granted')).toMatchObject({
        label: '支給決定',
        requires: ['benefitPeriod'],
        enteredBy: ['municipality', 'admin'],
        onBehalfOfMunicipalityBy: ['assigned_office'],
      });
      expect(ct.transitions).toContainEqual(expect.objectContaining({ from: 'supporting', to: 'discharged', requires: ['discharge'] }));
      expect(ct.transitions).not.toContainEqual(expect.objectContaining({ from: 'referred', to: 'discharged' }));
      expect(res.body.withdrawalReasons.map((r: { code: string }) => r.code)).toEqual(['declined', 'condition_worsened', 'transferred', 'died', 'other']);
      expect(res.body.transitionFields.map((f: { field: string }) => f.field)).toEqual(['benefitPeriod', 'discharge', 'reason']);
    });

    it('needs a token', async () => {
      expect((await t.http().get(`${API}/programs`)).status).toBe(401);
    });

    it('is documented in OpenAPI with every enrollment route and its errors', async () => {
      const res = await t.http().get('/docs-json');
      expect(res.status).toBe(200);
      const paths = res.body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
      expect(Object.keys(paths['/api/v1/enrollments/{id}/transitions'].post.responses).sort()).toEqual(
        expect.arrayContaining(['201', '400', '401', '403', '404', '409', '412', '422', '428']),
      );
      for (const p of ['/api/v1/programs', '/api/v1/enrollments', '/api/v1/enrollments/{id}', '/api/v1/enrollments/{id}/benefit-periods', '/api/v1/caseload']) {
        expect(paths[p]).toBeDefined();
      }
      expect(res.body.components.schemas.CaseloadItemView.properties).toHaveProperty('faceToFaceDaysThisMonth');
    });
  });

  describe('POST /enrollments', () => {
    it('creates an enrollment at referred with a history row, copying the hospital and municipality, and audits it', async () => {
      const { patient } = await anInpatient(t, w);
      const res = await createEnrollment(t, w.psw, body(patient.id, { nurseStationId: w.station.id, startedOn: daysAgo(3), note: '院内PSWより紹介' }));
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        patient: { id: patient.id, familyName: '山田', familyNameKana: 'ヤマダ' },
        program: 'community_transition',
        programLabel: '地域移行支援',
        step: 'referred',
        stepLabel: '把握・紹介',
        allowedNext: ['engaged', 'withdrawn'],
        isActive: true,
        startedOn: daysAgo(3),
        daysInStep: 3,
        hospitalId: w.hospital.id,
        municipalityId: w.municipality.id,
        nurseStationId: w.station.id,
        currentBenefitPeriod: null,
        version: 1,
      });
      expect(res.body.history).toEqual([
        expect.objectContaining({ from: null, to: 'referred', occurredOn: daysAgo(3), actorId: w.psw.id, note: '院内PSWより紹介' }),
      ]);
      const [row] = await t.sql(`SELECT hospital_id, municipality_id, step FROM enrollments WHERE id = $1`, [res.body.id]);
      expect(row).toEqual({ hospital_id: w.hospital.id, municipality_id: w.municipality.id, step: 'referred' });
      const audit = await t.sql(`SELECT actor_id, action FROM audit_events WHERE entity_type = 'enrollment' AND $1 = ANY(entity_ids)`, [res.body.id]);
      expect(audit).toEqual([{ actor_id: w.psw.id, action: 'create' }]);
    });

    it('defaults startedOn to today in Tokyo, marked not recorded, and refuses a future one with 422', async () => {
      const { patient } = await anInpatient(t, w);
      const future = await createEnrollment(t, w.psw, body(patient.id, { startedOn: addDays(today(), 1) }));
      expect(future.status).toBe(422);
      const res = await createEnrollment(t, w.psw, body(patient.id));
      expect(res.body).toMatchObject({ startedOn: today(), startedOnRecorded: false });
      const [row] = await t.sql(`SELECT started_on_recorded FROM enrollments WHERE id = $1`, [res.body.id]);
      expect(row).toEqual({ started_on_recorded: false });
      const dated = await createEnrollment(t, w.psw, body((await anInpatient(t, w)).patient.id, { startedOn: daysAgo(3) }));
      expect(dated.body).toMatchObject({ startedOn: daysAgo(3), startedOnRecorded: true });
    });

    it('creates one enrollment for retries with one Idempotency-Key and replays the first response', async () => {
      const { patient } = await anInpatient(t, w);
      const key = randomUUID();
      const first = await createEnrollment(t, w.psw, body(patient.id), { 'idempotency-key': key });
      const again = await createEnrollment(t, w.psw, body(patient.id), { 'idempotency-key': key });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await countEnrollments(patient.id)).toBe(1);
    });

    it('allows at most one active enrollment per patient per programme (409), but another programme', async () => {
      const { patient } = await anInpatient(t, w);
      expect((await createEnrollment(t, w.psw, body(patient.id))).status).toBe(201);
      const dup = await createEnrollment(t, w.psw, body(patient.id));
      expect(dup.status).toBe(409);
      expect(dup.headers['content-type']).toMatch(PROBLEM);
      expect((await createEnrollment(t, w.psw, body(patient.id, { program: 'post_involuntary_support' }))).status).toBe(201);
      expect(await countEnrollments(patient.id)).toBe(2);
    });

    it('allows a new attempt once the previous one is withdrawn', async () => {
      const { patient } = await anInpatient(t, w);
      const first = await createEnrollment(t, w.psw, body(patient.id, { startedOn: daysAgo(10) }));
      expect((await moveNow(t, w.psw, first.body.id, { to: 'withdrawn', occurredOn: daysAgo(5), reason: 'declined' })).status).toBe(201);
      expect((await createEnrollment(t, w.psw, body(patient.id))).status).toBe(201);
    });

    it('answers 409 to parallel creates racing past the check (one row stored)', async () => {
      const { patient } = await anInpatient(t, w);
      const results = await Promise.all(Array.from({ length: 8 }, () => createEnrollment(t, w.psw, body(patient.id))));
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(7);
      expect(await countEnrollments(patient.id)).toBe(1);
    });

    it('refuses a transition enrollment on a team of another hospital with a clear 422', async () => {
      const otherHospital = await anOrganization(t, { kind: 'hospital' });
      const team = await aTeam(t, { hospitalId: otherHospital.id, municipalityId: w.municipality.id, officeIds: [w.office.id] });
      const { patient } = await anInpatient(t, w);
      const res = await createEnrollment(t, w.psw, body(patient.id, { teamId: team.id }));
      expect(res.status).toBe(422);
      expect(res.body.detail).toMatch(/team of the patient's hospital/);
      expect(res.body.field).toBe('teamId');
      expect(await countEnrollments(patient.id)).toBe(0);
      // 地域定着支援 follows a discharge: any team may carry it.
      expect((await createEnrollment(t, w.psw, body(patient.id, { teamId: team.id, program: 'community_settlement' }))).status).toBe(201);
    });

    it('refuses a support office that is not a current member of the team (left, or never joined)', async () => {
      const { patient } = await anInpatient(t, w);
      const leaver = await anOrganization(t, { kind: 'support_office' });
      await t.sql(
        `INSERT INTO team_members (team_id, organization_id, member_role, joined_on, left_on) VALUES ($1, $2, 'support_office', '2024-04-01', '2025-03-31')`,
        [w.team.id, leaver.id],
      );
      const left = await createEnrollment(t, w.admin, body(patient.id, { supportOfficeId: leaver.id }));
      expect(left.status).toBe(422);
      expect(left.body.field).toBe('supportOfficeId');
      const stranger = await anOrganization(t, { kind: 'support_office' });
      expect((await createEnrollment(t, w.admin, body(patient.id, { supportOfficeId: stranger.id }))).status).toBe(422);
      // A nurse station named as the office is not a support-office member either.
      expect((await createEnrollment(t, w.admin, body(patient.id, { supportOfficeId: w.station.id }))).status).toBe(422);
      expect(await countEnrollments(patient.id)).toBe(0);
    });

    it('refuses a nurse station that is not a member of the team', async () => {
      const { patient } = await anInpatient(t, w);
      const station = await anOrganization(t, { kind: 'nurse_station' });
      const res = await createEnrollment(t, w.psw, body(patient.id, { nurseStationId: station.id }));
      expect(res.status).toBe(422);
      expect(res.body.field).toBe('nurseStationId');
    });

    it('answers 404 for a patient the caller cannot see, and for an unknown team', async () => {
      const { patient } = await anInpatient(t, w);
      const res = await createEnrollment(t, w.strangerPsw, body(patient.id));
      expect(res.status).toBe(404);
      expect(res.body.detail).toMatch(/patient/);
      // The office sees no patient before one is assigned to it.
      expect((await createEnrollment(t, w.officeStaff, body(patient.id))).status).toBe(404);
      expect((await createEnrollment(t, w.psw, body(patient.id, { teamId: randomUUID() }))).status).toBe(404);
      expect(await countEnrollments(patient.id)).toBe(0);
    });

    it('lets office staff enroll only with their own office (403 otherwise), and forbids nurse staff (403)', async () => {
      const { patient } = await anInpatient(t, w);
      await anEnrollment(t, { patientId: patient.id, world: w, program: 'post_involuntary_support' });
      const other = await createEnrollment(t, w.officeStaff, body(patient.id, { supportOfficeId: w.otherOffice.id }));
      expect(other.status).toBe(403);
      expect((await createEnrollment(t, w.nurse, body(patient.id))).status).toBe(403);
      expect((await createEnrollment(t, w.officeStaff, body(patient.id))).status).toBe(201);
    });

    it('lets a municipal officer enroll only on their own municipality’s teams', async () => {
      const patient = await aPatient(t, { hospitalId: w.hospital.id, responsibleMunicipalityId: w.municipality.id });
      const otherCity = await anOrganization(t, { kind: 'municipality' });
      const foreignTeam = await aTeam(t, { hospitalId: w.hospital.id, municipalityId: otherCity.id, officeIds: [w.office.id] });
      expect((await createEnrollment(t, w.officer, body(patient.id, { teamId: foreignTeam.id }))).status).toBe(403);
      const ok = await createEnrollment(t, w.officer, body(patient.id));
      expect(ok.status).toBe(201);
      expect(ok.body.municipalityId).toBe(w.municipality.id);
    });

    it.each([
      ['an unknown programme', { program: 'space_travel' }, 'program'],
      ['a malformed patient id', { patientId: 'not-a-uuid' }, 'patientId'],
      ['a server-owned field', { step: 'completed' }, 'step'],
      ['an impossible date', { startedOn: '2026-02-30' }, 'startedOn'],
      ['a 2,001-character note', { note: 'x'.repeat(2001) }, 'note'],
    ])('answers 400 with field errors for %s', async (_label, extra, field) => {
      const { patient } = await anInpatient(t, w);
      const res = await createEnrollment(t, w.psw, body(patient.id, extra));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await countEnrollments(patient.id)).toBe(0);
    });
  });

  describe('GET /enrollments/:id', () => {
    it('shows step, version, current benefit period with days left and history, with an ETag, and audits the read', async () => {
      const { patient } = await anInpatient(t, w);
      const e = await anEnrollment(t, { patientId: patient.id, world: w, step: 'planned', startedOn: daysAgo(90), stepEnteredOn: daysAgo(20) });
      await t.sql(`INSERT INTO benefit_periods (enrollment_id, starts_on, ends_on) VALUES ($1, $2, $3), ($1, $4, $5)`, [
        e.id,
        daysAgo(200),
        daysAgo(31),
        daysAgo(30),
        addDays(today(), 9),
      ]);
      const res = await t.http().get(`${API}/enrollments/${e.id}`).set(bearer(w.officeStaff));
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({ step: 'planned', stepLabel: '計画作成', daysInStep: 20, version: 1 });
      expect(res.body.currentBenefitPeriod).toMatchObject({ startsOn: daysAgo(30), endsOn: addDays(today(), 9), status: 'running', daysLeft: 10 });
      expect(res.body.history).toHaveLength(1);
      const reads = await t.sql(`SELECT actor_id FROM audit_events WHERE action = 'read' AND entity_type = 'enrollment' AND $1 = ANY(entity_ids)`, [e.id]);
      expect(reads).toEqual([{ actor_id: w.officeStaff.id }]);
    });

    it('answers 404 to the team’s other office, a stranger municipality, another hospital and the prefecture — like a missing id', async () => {
      const { patient } = await anInpatient(t, w);
      const e = await anEnrollment(t, { patientId: patient.id, world: w });
      for (const user of [w.otherOfficeStaff, w.strangerOfficer, w.strangerPsw, w.prefectural, w.nurse]) {
        const res = await t.http().get(`${API}/enrollments/${e.id}`).set(bearer(user));
        expect({ role: user.role, status: res.status }).toEqual({ role: user.role, status: 404 });
        expect(res.body.detail).toBe('The enrollment does not exist or is not visible to you.');
      }
      const missing = await t.http().get(`${API}/enrollments/${randomUUID()}`).set(bearer(w.admin));
      expect(missing.status).toBe(404);
      expect((await t.http().get(`${API}/enrollments/not-a-uuid`).set(bearer(w.admin))).status).toBe(400);
      for (const user of [w.psw, w.officeStaff, w.officer, w.admin]) {
        expect((await t.http().get(`${API}/enrollments/${e.id}`).set(bearer(user))).status).toBe(200);
      }
    });

    it('shows the nurse station its enrollments', async () => {
      const { patient } = await anInpatient(t, w);
      const e = await anEnrollment(t, { patientId: patient.id, world: w, nurseStation: true });
      expect((await t.http().get(`${API}/enrollments/${e.id}`).set(bearer(w.nurse))).status).toBe(200);
    });

    it('shows the officer of the patient’s 援護市町村 an enrollment on another municipality’s team', async () => {
      const patient = await aPatient(t, { hospitalId: w.hospital.id, responsibleMunicipalityId: w.municipality.id });
      const otherCity = await anOrganization(t, { kind: 'municipality' });
      const world2 = { ...w, municipality: otherCity };
      const e = await anEnrollment(t, { patientId: patient.id, world: world2 });
      expect((await t.http().get(`${API}/enrollments/${e.id}`).set(bearer(w.officer))).status).toBe(200);
    });
  });

  describe('GET /enrollments', () => {
    let lt: TestApp;
    let lw: CaseWorld;
    const ids: string[] = [];
    beforeAll(async () => {
      lt = t;
      lw = await aCaseWorld(lt);
      for (let i = 0; i < 7; i++) {
        const { patient } = await anInpatient(lt, lw);
        const e = await anEnrollment(lt, { patientId: patient.id, world: lw, step: i < 3 ? 'engaged' : 'referred', isActive: i !== 6 });
        ids.push(e.id);
      }
    });

    const list = (user: CaseWorld['psw'], q = '') => lt.http().get(`${API}/enrollments${q}`).set(bearer(user));

    it('walks every visible enrollment once with keyset pages, and audits each row read', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await list(lw.officeStaff, `?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...res.body.items.map((e: { id: string }) => e.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen.sort()).toEqual([...ids].sort());
      const reads = await lt.sql<{ ids: string[] }>(
        `SELECT entity_ids::text[] AS ids FROM audit_events WHERE action = 'read' AND entity_type = 'enrollment' AND actor_id = $1`,
        [lw.officeStaff.id],
      );
      expect(reads.flatMap((r) => r.ids).sort()).toEqual([...ids].sort());
    });

    it('filters by step, programme, activity, office and hospital', async () => {
      expect((await list(lw.psw, '?step=engaged')).body.items).toHaveLength(3);
      expect((await list(lw.psw, '?active=false')).body.items.map((e: { id: string }) => e.id)).toEqual([ids[6]]);
      expect((await list(lw.psw, '?program=community_settlement')).body.items).toHaveLength(0);
      expect((await list(lw.admin, `?supportOfficeId=${lw.office.id}&limit=200`)).body.items).toHaveLength(7);
      expect((await list(lw.admin, `?hospitalId=${lw.hospital.id}&limit=200`)).body.items).toHaveLength(7);
    });

    it('never lists what the caller may not see', async () => {
      expect((await list(lw.otherOfficeStaff)).body.items).toEqual([]);
      expect((await list(lw.strangerOfficer)).body.items).toEqual([]);
      expect((await list(lw.prefectural)).body.items).toEqual([]);
      expect((await list(w.psw, `?hospitalId=${lw.hospital.id}`)).body.items).toEqual([]);
    });

    it('answers 400 to a tampered cursor and a bad filter', async () => {
      expect((await list(lw.psw, '?cursor=abc')).status).toBe(400);
      expect((await list(lw.psw, '?step=nowhere')).status).toBe(400);
      expect((await list(lw.psw, '?limit=0')).status).toBe(400);
    });
  });

  describe('benefit periods (支給決定期間)', () => {
    async function grantedEnrollment(program = 'community_transition', ends = daysAgo(-20)) {
      const { patient } = await anInpatient(t, w);
      const e = await anEnrollment(t, { patientId: patient.id, world: w, program, step: 'supporting', startedOn: daysAgo(200), stepEnteredOn: daysAgo(50) });
      await t.sql(`INSERT INTO benefit_periods (enrollment_id, starts_on, ends_on) VALUES ($1, $2, $3)`, [e.id, daysAgo(150), ends]);
      return e.id;
    }
    const renew = (user: CaseWorld['psw'], id: string, b: Record<string, unknown>) =>
      t.http().post(`${API}/enrollments/${id}/benefit-periods`).set(bearer(user)).send(b);
    const periods = async (id: string) => (await t.sql(`SELECT id FROM benefit_periods WHERE enrollment_id = $1`, [id])).length;

    it('renews with a period starting the day after the previous ends, bumps the ETag and lists both', async () => {
      const id = await grantedEnrollment();
      const startsOn = daysAgo(-21);
      const res = await renew(w.officer, id, { startsOn, endsOn: addDays(startsOn, 150) });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ startsOn, isRenewal: true, grantedById: w.officer.id });
      const listed = await t.http().get(`${API}/enrollments/${id}/benefit-periods`).set(bearer(w.officeStaff));
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((p: { isRenewal: boolean }) => p.isRenewal)).toEqual([false, true]);
      expect(listed.body.nextCursor).toBeNull();
      const detail = await t.http().get(`${API}/enrollments/${id}`).set(bearer(w.officeStaff));
      expect(detail.headers.etag).toBe('"2"');
      expect(detail.body.currentBenefitPeriod).toMatchObject({ endsOn: daysAgo(-20), daysLeft: 21, status: 'running' });
    });

    it.each([
      ['a gap', 23],
      ['an overlap', 20],
    ])('refuses %s with 422, naming the day it must start', async (_label, startDaysAhead) => {
      const id = await grantedEnrollment();
      const startsOn = daysAgo(-startDaysAhead);
      const res = await renew(w.officer, id, { startsOn, endsOn: addDays(startsOn, 100) });
      expect(res.status).toBe(422);
      expect(res.body.expectedStartsOn).toBe(daysAgo(-21));
      expect(await periods(id)).toBe(1);
    });

    it('is backed by the exclusion constraint in the database', async () => {
      const id = await grantedEnrollment();
      await expect(t.sql(`INSERT INTO benefit_periods (enrollment_id, starts_on, ends_on) VALUES ($1, $2, $3)`, [id, daysAgo(10), daysAgo(-40)])).rejects.toThrow(
        /benefit_periods_no_overlap/,
      );
    });

    it('refuses a renewal longer than the programme allows (6 months for transition, 1 year for settlement)', async () => {
      const id = await grantedEnrollment();
      const startsOn = daysAgo(-21);
      expect((await renew(w.officer, id, { startsOn, endsOn: addDays(startsOn, 200) })).status).toBe(422);
      const sid = await grantedEnrollment('community_settlement');
      expect((await renew(w.officer, sid, { startsOn, endsOn: addDays(startsOn, 300) })).status).toBe(201);
    });

    it('lets the assigned office renew on behalf of the municipality (audited), not the PSW (403) nor the other office (404)', async () => {
      const id = await grantedEnrollment();
      const startsOn = daysAgo(-21);
      const b = { startsOn, endsOn: addDays(startsOn, 100) };
      expect((await renew(w.psw, id, b)).status).toBe(403);
      expect((await renew(w.otherOfficeStaff, id, b)).status).toBe(404);
      const res = await renew(w.officeStaff, id, b);
      expect(res.status).toBe(201);
      const [audit] = await t.sql<{ details: Record<string, unknown> }>(`SELECT details FROM audit_events WHERE entity_type = 'benefit_period' AND $1 = ANY(entity_ids)`, [
        res.body.id,
      ]);
      expect(audit.details).toMatchObject({ enrollmentId: id, onBehalfOfId: w.municipality.id, isRenewal: true });
    });

    it('refuses a renewal when the benefit is not in use, without a first grant, or for a programme without benefit periods', async () => {
      const b = { startsOn: daysAgo(-21), endsOn: daysAgo(-60) };
      const { patient } = await anInpatient(t, w);
      const referred = await anEnrollment(t, { patientId: patient.id, world: w });
      expect((await renew(w.officer, referred.id, b)).status).toBe(422);
      const p2 = await anInpatient(t, w);
      const noGrant = await anEnrollment(t, { patientId: p2.patient.id, world: w, step: 'supporting' });
      const res = await renew(w.officer, noGrant.id, b);
      expect(res.status).toBe(422);
      expect(res.body.detail).toMatch(/granted transition/);
      const p3 = await anInpatient(t, w);
      const pis = await anEnrollment(t, { patientId: p3.patient.id, world: w, program: 'post_involuntary_support', step: 'supporting' });
      expect((await renew(w.officer, pis.id, b)).status).toBe(422);
    });

    it('answers 400 to a malformed body', async () => {
      const id = await grantedEnrollment();
      const res = await renew(w.officer, id, { startsOn: 'tomorrow', endsOn: daysAgo(-60), extra: 1 });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'startsOn']);
    });
  });
});
