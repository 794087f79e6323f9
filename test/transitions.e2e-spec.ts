import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PROGRAMS, STEP_TABLES, type Program } from '../src/enrollments/programs.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { anEnrollment } from './helpers/domain-factories.js';
import { bearer } from './helpers/factories.js';
import {
  aCaseWorld,
  anInpatient,
  API,
  createEnrollment,
  daysAgo,
  enrollmentRow,
  etagOf,
  historyCount,
  mainPath,
  move,
  moveNow,
  PROBLEM,
  requiredFieldsFor,
  today,
  type CaseWorld,
} from './helpers/enrollments-test-helpers.js';

describe('step transitions', () => {
  let t: TestApp;
  let w: CaseWorld;

  beforeAll(async () => {
    t = await startTestApp();
    w = await aCaseWorld(t);
  });
  afterAll(() => t.close());

  /** An enrollment already at `step` (SQL), of an inpatient of the world's hospital. */
  async function enrollmentAt(program: Program, step: string, o: { stepEnteredOn?: string; admitted?: boolean } = {}) {
    const { patient, admission } = await anInpatient(t, w);
    const e = await anEnrollment(t, { patientId: patient.id, world: w, program, step, startedOn: daysAgo(200), stepEnteredOn: o.stepEnteredOn ?? daysAgo(100) });
    return { id: e.id, patientId: patient.id, admissionId: admission.id };
  }

  /** Who the table lets record a move to `to`: the PSW, or the city for `granted`. */
  const moverFor = (program: Program, to: string) => (STEP_TABLES[program].steps[to].enteredBy.includes('patient_hospital') ? w.psw : w.officer);

  describe('walking every programme from its first to its final step through the API', () => {
    it.each(PROGRAMS)('%s', async (program) => {
      const { patient, admission } = await anInpatient(t, w);
      const created = await createEnrollment(
        t,
        w.psw,
        { patientId: patient.id, program, teamId: w.team.id, supportOfficeId: w.office.id, startedOn: daysAgo(60) },
        { 'idempotency-key': randomUUID() },
      );
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const path = mainPath(program);
      let etag = created.headers.etag as string;
      for (let i = 1; i < path.length; i++) {
        const occurredOn = daysAgo(60 - i * 5);
        const res = await move(t, moverFor(program, path[i]), id, { to: path[i], occurredOn, note: `step ${i}`, ...requiredFieldsFor(program, path[i], occurredOn) }, { ifMatch: etag });
        expect({ to: path[i], status: res.status }).toEqual({ to: path[i], status: 201 });
        expect(res.body.step).toBe(path[i]);
        expect(res.body.version).toBe(i + 1);
        expect(res.headers.etag).toBe(`"${i + 1}"`);
        etag = res.headers.etag as string;
      }
      const final = await t.http().get(`${API}/enrollments/${id}`).set(bearer(w.psw));
      expect(final.body).toMatchObject({ step: 'completed', isActive: false, endedOn: daysAgo(60 - (path.length - 1) * 5), allowedNext: [] });
      expect(final.body.history.map((h: { to: string }) => h.to)).toEqual(path);
      expect(final.body.history.map((h: { from: string | null }) => h.from)).toEqual([null, ...path.slice(0, -1)]);
      const [adm] = await t.sql<{ discharged_on: string | null }>(`SELECT to_char(discharged_on, 'YYYY-MM-DD') AS discharged_on FROM admissions WHERE id = $1`, [admission.id]);
      const dischargeIndex = path.indexOf('discharged');
      expect(adm.discharged_on).toBe(dischargeIndex === -1 ? null : daysAgo(60 - dischargeIndex * 5));
      // One audit row per move, each in the transaction of the move it records.
      const audits = await t.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_events WHERE entity_type = 'enrollment' AND action = 'update' AND $1 = ANY(entity_ids)`,
        [id],
      );
      expect(audits[0].n).toBe(path.length - 1);
    });
  });

  describe('every illegal transition of every step of every programme → 422 naming the allowed targets', () => {
    const cases = PROGRAMS.flatMap((program) => {
      const steps = STEP_TABLES[program].steps;
      return Object.keys(steps).map((from) => [program, from, Object.keys(steps).filter((to) => !steps[from].next.includes(to))] as const);
    });

    it.each(cases)('%s at %s', async (program, from, illegalTargets) => {
      const e = await enrollmentAt(program, from, { stepEnteredOn: daysAgo(10) });
      const etag = await etagOf(t, w.admin, e.id);
      for (const to of illegalTargets) {
        const occurredOn = daysAgo(5);
        const res = await move(t, w.admin, e.id, { to, occurredOn, ...requiredFieldsFor(program, to, occurredOn) }, { ifMatch: etag });
        expect({ to, status: res.status }).toEqual({ to, status: 422 });
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect(res.body.allowed).toEqual([...STEP_TABLES[program].steps[from].next]);
      }
      expect(await historyCount(t, e.id)).toBe(1);
      expect((await enrollmentRow(t, e.id)).step).toBe(from);
    });

    it('answers 422 to a step of another programme and 400 to a step of no programme', async () => {
      const e = await enrollmentAt('community_settlement', 'referred');
      const other = await moveNow(t, w.psw, e.id, { to: 'engaged', occurredOn: daysAgo(1) });
      expect(other.status).toBe(422);
      expect(other.body.detail).toMatch(/allowed: granted, withdrawn/);
      const none = await moveNow(t, w.psw, e.id, { to: 'teleported', occurredOn: daysAgo(1) });
      expect(none.status).toBe(400);
      expect(none.body.errors.map((x: { field: string }) => x.field)).toContain('to');
    });
  });

  describe('dates', () => {
    it('refuses backdating before the previous step with 422, storing nothing', async () => {
      const e = await enrollmentAt('community_transition', 'referred', { stepEnteredOn: daysAgo(10) });
      const res = await moveNow(t, w.psw, e.id, { to: 'engaged', occurredOn: daysAgo(11) });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ field: 'occurredOn', previousOccurredOn: daysAgo(10) });
      expect(await historyCount(t, e.id)).toBe(1);
      expect(await enrollmentRow(t, e.id)).toMatchObject({ step: 'referred', version: 1 });
    });

    it('accepts the same day as the previous step', async () => {
      const e = await enrollmentAt('community_transition', 'referred', { stepEnteredOn: daysAgo(10) });
      expect((await moveNow(t, w.psw, e.id, { to: 'engaged', occurredOn: daysAgo(10) })).status).toBe(201);
    });

    it('refuses a date in the future (Asia/Tokyo) with 422 and accepts today', async () => {
      const e = await enrollmentAt('community_transition', 'referred', { stepEnteredOn: daysAgo(10) });
      const res = await moveNow(t, w.psw, e.id, { to: 'engaged', occurredOn: daysAgo(-1) });
      expect(res.status).toBe(422);
      expect(res.body.field).toBe('occurredOn');
      expect(await historyCount(t, e.id)).toBe(1);
      expect((await moveNow(t, w.psw, e.id, { to: 'engaged', occurredOn: today() })).status).toBe(201);
    });

    it('refuses an impossible date with 400', async () => {
      const e = await enrollmentAt('community_transition', 'referred');
      const res = await moveNow(t, w.psw, e.id, { to: 'engaged', occurredOn: '2026-02-30' });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((x: { field: string }) => x.field)).toContain('occurredOn');
    });
  });

  describe('an undated referral (enrollment created without startedOn)', () => {
    /** Registered today through the API without startedOn: the referral date is not recorded. */
    async function undated(program: Program = 'community_transition') {
      const { patient, admission } = await anInpatient(t, w);
      const res = await createEnrollment(
        t,
        w.psw,
        { patientId: patient.id, program, teamId: w.team.id, supportOfficeId: w.office.id },
        { 'idempotency-key': randomUUID() },
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ startedOn: today(), startedOnRecorded: false, step: 'referred', version: 1 });
      return { id: res.body.id as string, etag: res.headers.etag as string, admissionId: admission.id };
    }
    const startRow = async (id: string) =>
      (
        await t.sql<{ started_on: string; started_on_recorded: boolean; step_entered_on: string }>(
          `SELECT to_char(started_on, 'YYYY-MM-DD') AS started_on, started_on_recorded, to_char(step_entered_on, 'YYYY-MM-DD') AS step_entered_on
             FROM enrollments WHERE id = $1`,
          [id],
        )
      )[0];

    it('accepts a first move dated months before the registration and lowers startedOn to it; a later move before that step is still 422', async () => {
      const e = await undated();
      const first = await move(t, w.psw, e.id, { to: 'engaged', occurredOn: daysAgo(150) }, { ifMatch: e.etag, key: randomUUID() });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ step: 'engaged', stepEnteredOn: daysAgo(150), startedOn: daysAgo(150), startedOnRecorded: false, version: 2 });
      // The stored referral row keeps the registration day (append-only); the history shows the referral's date.
      expect(first.body.history.map((h: { to: string; occurredOn: string }) => [h.to, h.occurredOn])).toEqual([
        ['referred', daysAgo(150)],
        ['engaged', daysAgo(150)],
      ]);
      expect(await startRow(e.id)).toEqual({ started_on: daysAgo(150), started_on_recorded: false, step_entered_on: daysAgo(150) });
      const [audit] = await t.sql<{ changed_fields: string[]; details: { startedOn?: string } }>(
        `SELECT changed_fields, details FROM audit_events WHERE entity_type = 'enrollment' AND action = 'update' AND $1 = ANY(entity_ids)`,
        [e.id],
      );
      expect(audit.changed_fields).toContain('startedOn');
      expect(audit.details.startedOn).toBe(daysAgo(150));

      // Every later move keeps the strict rule: not before the previous step.
      const back = await moveNow(t, w.psw, e.id, { to: 'applied', occurredOn: daysAgo(151) });
      expect(back.status).toBe(422);
      expect(back.headers['content-type']).toMatch(PROBLEM);
      expect(back.body).toMatchObject({ field: 'occurredOn', previousOccurredOn: daysAgo(150) });
      expect(await historyCount(t, e.id)).toBe(2);
      expect(await enrollmentRow(t, e.id)).toMatchObject({ step: 'engaged', version: 2 });

      const next = await moveNow(t, w.psw, e.id, { to: 'applied', occurredOn: daysAgo(140) });
      expect(next.status).toBe(201);
      expect(next.body).toMatchObject({ step: 'applied', startedOn: daysAgo(150), startedOnRecorded: false });
    });

    it('keeps startedOn when the first move is not earlier than it, and still refuses a first move in the future', async () => {
      const e = await undated('community_settlement');
      const future = await move(t, w.officer, e.id, { to: 'granted', occurredOn: daysAgo(-1), ...requiredFieldsFor('community_settlement', 'granted', today()) }, { ifMatch: e.etag });
      expect(future.status).toBe(422);
      expect(future.body.field).toBe('occurredOn');
      expect(await historyCount(t, e.id)).toBe(1);
      const res = await move(t, w.officer, e.id, { to: 'granted', occurredOn: today(), ...requiredFieldsFor('community_settlement', 'granted', today()) }, { ifMatch: e.etag });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ startedOn: today(), startedOnRecorded: false, step: 'granted' });
    });

    it('lets the first move out of an undated referral be a withdrawal dated before the registration', async () => {
      const e = await undated();
      const res = await move(t, w.psw, e.id, { to: 'withdrawn', occurredOn: daysAgo(40), reason: 'declined' }, { ifMatch: e.etag });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ step: 'withdrawn', isActive: false, endedOn: daysAgo(40), startedOn: daysAgo(40) });
    });

    it('keeps the strict rule for a referral dated at registration (startedOn given)', async () => {
      const { patient } = await anInpatient(t, w);
      const created = await createEnrollment(
        t,
        w.psw,
        { patientId: patient.id, program: 'community_transition', teamId: w.team.id, supportOfficeId: w.office.id, startedOn: daysAgo(10) },
        { 'idempotency-key': randomUUID() },
      );
      expect(created.body).toMatchObject({ startedOn: daysAgo(10), startedOnRecorded: true });
      const res = await move(t, w.psw, created.body.id, { to: 'engaged', occurredOn: daysAgo(11) }, { ifMatch: created.headers.etag as string });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ field: 'occurredOn', previousOccurredOn: daysAgo(10) });
      expect(await startRow(created.body.id)).toEqual({ started_on: daysAgo(10), started_on_recorded: true, step_entered_on: daysAgo(10) });
    });
  });

  describe('fields the table requires', () => {
    it('refuses granted without a benefit period, and a benefit period on another step', async () => {
      const e = await enrollmentAt('community_transition', 'applied');
      const missing = await moveNow(t, w.officer, e.id, { to: 'granted', occurredOn: daysAgo(1) });
      expect(missing.status).toBe(422);
      expect(missing.body.errors).toEqual([{ field: 'benefitPeriod', messages: ['benefitPeriod is required to move to granted'] }]);
      const e2 = await enrollmentAt('community_transition', 'referred');
      const extra = await moveNow(t, w.psw, e2.id, { to: 'engaged', occurredOn: daysAgo(1), benefitPeriod: { startsOn: daysAgo(1), endsOn: today() } });
      expect(extra.status).toBe(422);
      expect(extra.body.errors[0].field).toBe('benefitPeriod');
    });

    it('refuses a transition benefit period longer than 6 months, storing nothing', async () => {
      const e = await enrollmentAt('community_transition', 'applied');
      const res = await moveNow(t, w.officer, e.id, { to: 'granted', occurredOn: daysAgo(1), benefitPeriod: { startsOn: '2026-06-01', endsOn: '2026-12-01' } });
      expect(res.status).toBe(422);
      expect(res.body.detail).toMatch(/at most 6 months.*2026-11-30/);
      expect(await t.sql(`SELECT id FROM benefit_periods WHERE enrollment_id = $1`, [e.id])).toEqual([]);
      expect(await historyCount(t, e.id)).toBe(1);
    });

    it('grants a settlement benefit period of one year and shows it as the current period with days left', async () => {
      const e = await enrollmentAt('community_settlement', 'referred');
      const startsOn = daysAgo(30);
      const endsOn = daysAgo(-334);
      const res = await moveNow(t, w.officer, e.id, { to: 'granted', occurredOn: daysAgo(30), benefitPeriod: { startsOn, endsOn } });
      expect(res.status).toBe(201);
      expect(res.body.currentBenefitPeriod).toMatchObject({ startsOn, endsOn, isRenewal: false, status: 'running', daysLeft: 335, grantedById: w.officer.id });
    });

    it('refuses withdrawn without a reason or with an unknown one, and stores the reason', async () => {
      const e = await enrollmentAt('community_transition', 'engaged');
      expect((await moveNow(t, w.psw, e.id, { to: 'withdrawn', occurredOn: daysAgo(1) })).status).toBe(422);
      expect((await moveNow(t, w.psw, e.id, { to: 'withdrawn', occurredOn: daysAgo(1), reason: 'bored' })).status).toBe(400);
      const ok = await moveNow(t, w.psw, e.id, { to: 'withdrawn', occurredOn: daysAgo(1), reason: 'condition_worsened', note: '病状悪化のため中止' });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ step: 'withdrawn', isActive: false, endedOn: daysAgo(1), allowedNext: [] });
      expect(ok.body.history.at(-1)).toMatchObject({ from: 'engaged', to: 'withdrawn', reason: 'condition_worsened', note: '病状悪化のため中止', actorId: w.psw.id, actorRole: 'hospital_staff' });
      const after = await moveNow(t, w.psw, e.id, { to: 'engaged', occurredOn: today() });
      expect(after.status).toBe(422);
      expect(after.body.detail).toMatch(/final/);
    });

    it('refuses a note over 2,000 characters with 400', async () => {
      const e = await enrollmentAt('community_transition', 'referred');
      const res = await moveNow(t, w.psw, e.id, { to: 'engaged', occurredOn: daysAgo(1), note: 'あ'.repeat(2001) });
      expect(res.status).toBe(400);
      expect(await historyCount(t, e.id)).toBe(1);
    });
  });

  describe('who may move which step', () => {
    it('lets the assigned office move steps, but not the team’s other office (404) nor the nurse station (403)', async () => {
      const e = await enrollmentAt('community_transition', 'referred');
      const etag = await etagOf(t, w.officeStaff, e.id);
      const other = await move(t, w.otherOfficeStaff, e.id, { to: 'engaged', occurredOn: daysAgo(1) }, { ifMatch: etag });
      expect(other.status).toBe(404);
      expect(other.body.detail).not.toMatch(/referred|engaged/);
      const nurse = await move(t, w.nurse, e.id, { to: 'engaged', occurredOn: daysAgo(1) }, { ifMatch: etag });
      expect(nurse.status).toBe(403);
      expect(await historyCount(t, e.id)).toBe(1);
      expect((await move(t, w.officeStaff, e.id, { to: 'engaged', occurredOn: daysAgo(1) }, { ifMatch: etag })).status).toBe(201);
    });

    it('refuses granted by the hospital PSW (403, naming who may) and records it from the city', async () => {
      const e = await enrollmentAt('community_transition', 'applied');
      const body = { to: 'granted', occurredOn: daysAgo(2), benefitPeriod: { startsOn: daysAgo(2), endsOn: daysAgo(-150) } };
      const psw = await moveNow(t, w.psw, e.id, body);
      expect(psw.status).toBe(403);
      expect(psw.body.detail).toMatch(/municipal officers/i);
      const city = await moveNow(t, w.officer, e.id, body);
      expect(city.status).toBe(201);
      expect(city.body.history.at(-1)).toMatchObject({ to: 'granted', actorRole: 'municipal_officer', onBehalfOfId: null });
    });

    it('lets the assigned office record granted on behalf of the municipality, audited as such', async () => {
      const e = await enrollmentAt('community_transition', 'applied');
      const res = await moveNow(t, w.officeStaff, e.id, { to: 'granted', occurredOn: daysAgo(2), benefitPeriod: { startsOn: daysAgo(2), endsOn: daysAgo(-150) } });
      expect(res.status).toBe(201);
      expect(res.body.history.at(-1)).toMatchObject({ to: 'granted', actorId: w.officeStaff.id, onBehalfOfId: w.municipality.id });
      const [row] = await t.sql<{ on_behalf_of_id: string }>(`SELECT on_behalf_of_id FROM enrollment_steps WHERE enrollment_id = $1 AND to_step = 'granted'`, [e.id]);
      expect(row.on_behalf_of_id).toBe(w.municipality.id);
      const [audit] = await t.sql<{ details: Record<string, unknown> }>(
        `SELECT details FROM audit_events WHERE action = 'update' AND entity_type = 'enrollment' AND $1 = ANY(entity_ids)`,
        [e.id],
      );
      expect(audit.details).toMatchObject({ from: 'applied', to: 'granted', onBehalfOfId: w.municipality.id });
    });

    it('refuses other steps to the municipal officer in the benefit programmes (403)', async () => {
      const e = await enrollmentAt('community_transition', 'referred');
      expect((await moveNow(t, w.officer, e.id, { to: 'engaged', occurredOn: daysAgo(1) })).status).toBe(403);
    });

    it('answers 404 to a municipal officer of another municipality and to a PSW of another hospital', async () => {
      const e = await enrollmentAt('community_transition', 'applied');
      const etag = await etagOf(t, w.admin, e.id);
      const body = { to: 'granted', occurredOn: daysAgo(2), benefitPeriod: { startsOn: daysAgo(2), endsOn: daysAgo(-150) } };
      expect((await move(t, w.strangerOfficer, e.id, body, { ifMatch: etag })).status).toBe(404);
      expect((await move(t, w.strangerPsw, e.id, { to: 'withdrawn', occurredOn: daysAgo(1), reason: 'other' }, { ifMatch: etag })).status).toBe(404);
      expect(await historyCount(t, e.id)).toBe(1);
    });
  });

  describe('If-Match', () => {
    it('requires If-Match (428) and refuses a stale one (412)', async () => {
      const e = await enrollmentAt('community_transition', 'referred');
      const none = await move(t, w.psw, e.id, { to: 'engaged', occurredOn: daysAgo(1) });
      expect(none.status).toBe(428);
      expect(none.headers['content-type']).toMatch(PROBLEM);
      const stale = await move(t, w.psw, e.id, { to: 'engaged', occurredOn: daysAgo(1) }, { ifMatch: '"7"' });
      expect(stale.status).toBe(412);
      expect(stale.body.currentVersion).toBe(1);
      expect(await historyCount(t, e.id)).toBe(1);
    });

    it('lets exactly one of 20 parallel moves with the same If-Match succeed; the rest get 412', async () => {
      const e = await enrollmentAt('community_transition', 'referred');
      const etag = await etagOf(t, w.psw, e.id);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => move(t, w.psw, e.id, { to: 'engaged', occurredOn: daysAgo(1), note: `race ${i}` }, { ifMatch: etag })),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 412)).toHaveLength(19);
      expect(await historyCount(t, e.id)).toBe(2);
      expect(await enrollmentRow(t, e.id)).toMatchObject({ step: 'engaged', version: 2 });
    });
  });

  describe('Idempotency-Key', () => {
    it('stores one history row for 20 parallel retries with one key; the others replay or are told it is in flight', async () => {
      const e = await enrollmentAt('community_transition', 'referred');
      const etag = await etagOf(t, w.psw, e.id);
      const key = randomUUID();
      const body = { to: 'engaged', occurredOn: daysAgo(1), note: '本人の意向を確認' };
      const results = await Promise.all(Array.from({ length: 20 }, () => move(t, w.psw, e.id, body, { ifMatch: etag, key })));
      expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
      const created = results.filter((r) => r.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      for (const r of created) expect(r.body).toEqual(created[0].body);
      expect(await historyCount(t, e.id)).toBe(2);
      // A retry after the response was lost replays the original.
      const retry = await move(t, w.psw, e.id, body, { ifMatch: etag, key });
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body).toEqual(created[0].body);
      expect(retry.headers.etag).toBe('"2"');
      expect(await historyCount(t, e.id)).toBe(2);
    });

    it('answers 422 to the same key with another body', async () => {
      const e = await enrollmentAt('community_transition', 'referred');
      const etag = await etagOf(t, w.psw, e.id);
      const key = randomUUID();
      expect((await move(t, w.psw, e.id, { to: 'engaged', occurredOn: daysAgo(1) }, { ifMatch: etag, key })).status).toBe(201);
      const other = await move(t, w.psw, e.id, { to: 'withdrawn', occurredOn: daysAgo(1), reason: 'other' }, { ifMatch: etag, key });
      expect(other.status).toBe(422);
      expect(await historyCount(t, e.id)).toBe(2);
    });
  });

  describe('discharge (退院) closes the admission in the same transaction', () => {
    it('closes the open admission with the same date and destination, and audits both', async () => {
      const e = await enrollmentAt('community_transition', 'supporting');
      const res = await moveNow(t, w.officeStaff, e.id, { to: 'discharged', occurredOn: daysAgo(3), discharge: { dischargedOn: daysAgo(3), destination: 'home_alone' } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ step: 'discharged', isActive: true, stepEnteredOn: daysAgo(3) });
      const [adm] = await t.sql<{ discharged_on: string; discharge_destination: string; version: number }>(
        `SELECT to_char(discharged_on, 'YYYY-MM-DD') AS discharged_on, discharge_destination, version FROM admissions WHERE id = $1`,
        [e.admissionId],
      );
      expect(adm).toEqual({ discharged_on: daysAgo(3), discharge_destination: 'home_alone', version: 2 });
      const audits = await t.sql(`SELECT entity_type, changed_fields FROM audit_events WHERE $1 = ANY(entity_ids) AND action = 'update'`, [e.admissionId]);
      expect(audits).toEqual([{ entity_type: 'admission', changed_fields: ['dischargedOn', 'dischargeDestination'] }]);
    });

    it('refuses a discharge date that differs from the step date (422), storing nothing', async () => {
      const e = await enrollmentAt('community_transition', 'supporting');
      const res = await moveNow(t, w.psw, e.id, { to: 'discharged', occurredOn: daysAgo(3), discharge: { dischargedOn: daysAgo(4), destination: 'home_alone' } });
      expect(res.status).toBe(422);
      expect(await historyCount(t, e.id)).toBe(1);
    });

    it('stores nothing of the transition when the patient has no open admission (422)', async () => {
      const e = await enrollmentAt('community_transition', 'supporting');
      await t.sql(`UPDATE admissions SET discharged_on = $2, discharge_destination = 'other' WHERE id = $1`, [e.admissionId, daysAgo(20)]);
      const auditsBefore = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE $1 = ANY(entity_ids) AND action = 'update'`, [e.id]);
      const res = await moveNow(t, w.psw, e.id, { to: 'discharged', occurredOn: daysAgo(3), discharge: { dischargedOn: daysAgo(3), destination: 'group_home' } });
      expect(res.status).toBe(422);
      expect(res.body.detail).toMatch(/no open admission/);
      expect(await enrollmentRow(t, e.id)).toMatchObject({ step: 'supporting', version: 1, is_active: true });
      expect(await historyCount(t, e.id)).toBe(1);
      const auditsAfter = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE $1 = ANY(entity_ids) AND action = 'update'`, [e.id]);
      expect(auditsAfter[0].n).toBe(auditsBefore[0].n);
    });

    it('stores nothing of the transition when the admission is closed meanwhile (while the move waits for it)', async () => {
      const e = await enrollmentAt('community_transition', 'supporting');
      const etag = await etagOf(t, w.psw, e.id);
      // Another session closes the admission and holds its row lock while the discharge comes in.
      const other = new pg.Client({ connectionString: t.databaseUrl });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query(`UPDATE admissions SET discharged_on = $2, discharge_destination = 'transfer_hospital' WHERE id = $1`, [e.admissionId, daysAgo(4)]);
        const pending = move(t, w.psw, e.id, { to: 'discharged', occurredOn: daysAgo(3), discharge: { dischargedOn: daysAgo(3), destination: 'group_home' } }, { ifMatch: etag }).then((r) => r);
        // Wait until the move is blocked on the admission row (its enrollment update already done), then commit.
        let blocked = false;
        for (let i = 0; i < 250 && !blocked; i++) {
          const [waiting] = await t.sql<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%FROM admissions%FOR UPDATE%'`,
          );
          blocked = waiting.n > 0;
          if (!blocked) await new Promise((r) => setTimeout(r, 20));
        }
        await other.query('COMMIT');
        const res = await pending;
        expect(blocked).toBe(true);
        expect(res.status).toBe(422);
        expect(res.headers['content-type']).toMatch(PROBLEM);
      } finally {
        await other.end();
      }
      expect(await enrollmentRow(t, e.id)).toMatchObject({ step: 'supporting', version: 1, is_active: true });
      expect(await historyCount(t, e.id)).toBe(1);
      const [adm] = await t.sql<{ discharged_on: string; discharge_destination: string }>(
        `SELECT to_char(discharged_on, 'YYYY-MM-DD') AS discharged_on, discharge_destination FROM admissions WHERE id = $1`,
        [e.admissionId],
      );
      expect(adm).toEqual({ discharged_on: daysAgo(4), discharge_destination: 'transfer_hospital' });
    });

    it('closes the admission for a post-involuntary discharge too', async () => {
      const e = await enrollmentAt('post_involuntary_support', 'planned');
      const res = await moveNow(t, w.officer, e.id, { to: 'discharged', occurredOn: daysAgo(2), discharge: { dischargedOn: daysAgo(2), destination: 'home_family' } });
      expect(res.status).toBe(201);
      const [adm] = await t.sql<{ discharge_destination: string }>(`SELECT discharge_destination FROM admissions WHERE id = $1`, [e.admissionId]);
      expect(adm.discharge_destination).toBe('home_family');
    });
  });
});
