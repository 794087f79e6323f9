import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, daysBetween, todayInTokyo } from '../src/common/dates.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { aUser, bearer, type TestUser } from './helpers/factories.js';
import { aPatient, aWorld, anEnrollment, type World } from './helpers/domain-factories.js';
import { API, aBenefitPeriod, aPeerSupporter, aStep, contactBody, nextMonth, postContact, thisMonth } from './helpers/contacts-test-helpers.js';

const PROBLEM = /application\/problem\+json/;

interface Item {
  enrollmentId: string;
  status: string;
  faceToFaceDays: number;
  faceToFaceDates: string[];
  daysRemaining: number;
  coveredFrom: string;
  coveredTo: string;
  familyName: string;
}

/**
 * The monthly face-to-face rule through the API. Past months (September/October 2026) make the statuses
 * deterministic; the current month checks at_risk and days remaining against today's date in Tokyo.
 */
describe('GET /contacts/compliance (monthly face-to-face rule)', () => {
  let t: TestApp;
  let world: World;
  let other: World;
  let office: TestUser;
  let office2: TestUser;
  let city: TestUser;
  let otherCity: TestUser;
  let admin: TestUser;
  let prefecture: TestUser;
  const e: Record<string, string> = {};

  const anEnrollmentOf = async (key: string, o: { step?: string; startedOn?: string; program?: string; isActive?: boolean; w?: World; familyName?: string } = {}) => {
    const w = o.w ?? world;
    const p = await aPatient(t, { hospitalId: w.hospital.id, familyName: o.familyName ?? `患者${key}` });
    e[key] = (await anEnrollment(t, { patientId: p.id, world: w, step: o.step ?? 'supporting', startedOn: o.startedOn ?? '2026-04-01', program: o.program, isActive: o.isActive })).id;
    return e[key];
  };
  const log = async (key: string, o: Record<string, unknown>, who = office) => {
    const res = await postContact(t, who, e[key], contactBody(o));
    expect(res.status).toBe(201);
  };
  const dueList = async (month: string, who = office, q: Record<string, string> = {}) => {
    const res = await t.http().get(`${API}/contacts/compliance`).query({ month, ...q }).set(bearer(who));
    expect(res.status).toBe(200);
    return res.body as { month: string; asOf: string; isMonthOver: boolean; daysRemaining: number; counts: Record<string, number>; items: Item[]; benefitPeriodsEnding: { enrollmentId: string; endsOn: string; daysLeft: number }[] };
  };
  const itemOf = (body: { items: Item[] }, key: string) => body.items.find((i) => i.enrollmentId === e[key]);

  beforeAll(async () => {
    t = await startTestApp();
    world = await aWorld(t);
    other = await aWorld(t);
    office = await aUser(t, 'support_office_staff', world.office.id);
    office2 = await aUser(t, 'support_office_staff', other.office.id);
    city = await aUser(t, 'municipal_officer', world.municipality.id);
    otherCity = await aUser(t, 'municipal_officer', other.municipality.id);
    admin = await aUser(t, 'admin', null);
    const pref = await t.sql<{ id: string }>(`INSERT INTO organizations (kind, name) VALUES ('prefecture', '千葉県-compliance') RETURNING id`);
    prefecture = await aUser(t, 'prefectural_officer', pref[0].id);
    const peer = await aPeerSupporter(t);

    await anEnrollmentOf('sameDay');
    await log('sameDay', { occurredOn: '2026-09-10' });
    await log('sameDay', { occurredOn: '2026-09-10', kind: 'home_visit', place: 'home' });

    await anEnrollmentOf('stay');
    await log('stay', { occurredOn: '2026-09-05' });
    await log('stay', { occurredOn: '2026-09-30', endsOn: '2026-10-01', kind: 'trial_stay', place: 'community' });
    await log('stay', { occurredOn: '2026-10-20', kind: 'accompanied_outing', place: 'community' });

    await anEnrollmentOf('phone');
    await log('phone', { occurredOn: '2026-09-03', kind: 'phone', place: 'phone' });
    await log('phone', { occurredOn: '2026-09-04', kind: 'phone', place: 'phone' });
    await log('phone', { occurredOn: '2026-09-05' });

    await anEnrollmentOf('peer');
    await log('peer', { occurredOn: '2026-09-06', kind: 'peer_visit', place: 'home', peerSupporterIds: [peer.id] });
    await log('peer', { occurredOn: '2026-09-07', kind: 'peer_visit', place: 'home', peerSupporterIds: [peer.id], staffIds: [] });
    await log('peer', { occurredOn: '2026-09-08', kind: 'trial_service_use', place: 'community' });

    await anEnrollmentOf('referred', { step: 'referred' });
    await log('referred', { occurredOn: '2026-09-10' });
    await anEnrollmentOf('settlement', { program: 'community_settlement', step: 'supporting' });
    await log('settlement', { occurredOn: '2026-09-10' });

    // Granted mid-October: not yet under the rule in September.
    await anEnrollmentOf('late', { step: 'granted', startedOn: '2026-10-15' });

    // Discharged on 15 September: in supporting for 1–14 September, not in October.
    await anEnrollmentOf('discharged', { step: 'discharged', startedOn: '2026-04-01' });
    await t.sql(`UPDATE enrollments SET step_entered_on = '2026-09-15' WHERE id = $1`, [e.discharged]);
    await aStep(t, e.discharged, 'referred', 'supporting', '2026-04-01');
    await aStep(t, e.discharged, 'supporting', 'discharged', '2026-09-15');

    await anEnrollmentOf('otherOffice', { w: other });
    await log('otherOffice', { occurredOn: '2026-09-10' }, office2);
    await log('otherOffice', { occurredOn: '2026-09-11' }, office2);
  });
  afterAll(() => t.close());

  it('counts two contacts on the same day once → missed', async () => {
    expect(itemOf(await dueList('2026-09'), 'sameDay')).toMatchObject({ faceToFaceDays: 1, faceToFaceDates: ['2026-09-10'], status: 'missed', daysRemaining: 0 });
  });

  it('splits a trial stay across the month boundary: a day in each month', async () => {
    expect(itemOf(await dueList('2026-09'), 'stay')).toMatchObject({ faceToFaceDays: 2, faceToFaceDates: ['2026-09-05', '2026-09-30'], status: 'met' });
    expect(itemOf(await dueList('2026-10'), 'stay')).toMatchObject({ faceToFaceDays: 2, faceToFaceDates: ['2026-10-01', '2026-10-20'], status: 'met' });
  });

  it('does not count phone calls', async () => {
    expect(itemOf(await dueList('2026-09'), 'phone')).toMatchObject({ faceToFaceDays: 1, faceToFaceDates: ['2026-09-05'], status: 'missed' });
  });

  it('counts a peer visit with staff, not one by peer supporters alone', async () => {
    expect(itemOf(await dueList('2026-09'), 'peer')).toMatchObject({ faceToFaceDates: ['2026-09-06', '2026-09-08'], status: 'met' });
  });

  it('lists only community_transition enrollments in granted/planned/supporting during the month', async () => {
    const sep = await dueList('2026-09');
    expect(itemOf(sep, 'referred')).toBeUndefined();
    expect(itemOf(sep, 'settlement')).toBeUndefined();
    expect(itemOf(sep, 'late')).toBeUndefined();
    expect(itemOf(sep, 'discharged')).toMatchObject({ coveredFrom: '2026-09-01', coveredTo: '2026-09-14', status: 'missed', faceToFaceDays: 0 });
    const oct = await dueList('2026-10');
    expect(itemOf(oct, 'late')).toMatchObject({ coveredFrom: '2026-10-15', coveredTo: '2026-10-31', status: 'missed' });
    expect(itemOf(oct, 'discharged')).toBeUndefined();
  });

  it('covers an undated referral from the steps recorded before its registration (the referral row keeps the registration day)', async () => {
    // Registered on 1 September without a referral date, then its past recorded: engaged … planned in June,
    // supporting from 20 September. The append-only referral row says 1 September; started_on was lowered to 1 June.
    const w = await aWorld(t);
    const staff = await aUser(t, 'support_office_staff', w.office.id);
    const id = await anEnrollmentOf('undated', { w, step: 'supporting', startedOn: '2026-09-01' });
    await t.sql(`UPDATE enrollments SET started_on = '2026-06-01', started_on_recorded = false, step_entered_on = '2026-09-20' WHERE id = $1`, [id]);
    await aStep(t, id, 'referred', 'engaged', '2026-06-01');
    await aStep(t, id, 'engaged', 'applied', '2026-06-05');
    await aStep(t, id, 'applied', 'granted', '2026-06-10');
    await aStep(t, id, 'granted', 'planned', '2026-06-20');
    await aStep(t, id, 'planned', 'supporting', '2026-09-20');
    expect(itemOf(await dueList('2026-06', staff), 'undated')).toMatchObject({ coveredFrom: '2026-06-10', coveredTo: '2026-06-30' });
    // In planned through the registration day and on to supporting: all of September is under the rule.
    expect(itemOf(await dueList('2026-09', staff), 'undated')).toMatchObject({ coveredFrom: '2026-09-01', coveredTo: '2026-09-30' });
  });

  it('sums the statuses and orders missed before met', async () => {
    const sep = await dueList('2026-09');
    expect(sep).toMatchObject({ month: '2026-09', isMonthOver: true, daysRemaining: 0 });
    expect(sep.counts).toEqual({ met: 2, atRisk: 0, missed: 3 });
    const statuses = sep.items.map((i) => i.status);
    expect(statuses).toEqual([...statuses].sort((a, b) => ['missed', 'at_risk', 'met'].indexOf(a) - ['missed', 'at_risk', 'met'].indexOf(b)));
    expect((await dueList('2026-09', office, { status: 'met' })).items.map((i) => i.enrollmentId).sort()).toEqual([e.stay, e.peer].sort());
  });

  it('shows the current month as at_risk with the days remaining, today included', async () => {
    const today = todayInTokyo();
    const body = await dueList(thisMonth());
    const lastDay = addDays(`${nextMonth()}-01`, -1);
    const remaining = daysBetween(today, lastDay) + 1;
    expect(body).toMatchObject({ asOf: today, isMonthOver: false, daysRemaining: remaining });
    expect(itemOf(body, 'sameDay')).toMatchObject({ status: 'at_risk', faceToFaceDays: 0, daysRemaining: remaining });
  });

  it('defaults to the current month', async () => {
    const res = await t.http().get(`${API}/contacts/compliance`).set(bearer(office));
    expect(res.status).toBe(200);
    expect(res.body.month).toBe(thisMonth());
  });

  it.each([
    ['a future month', () => nextMonth()],
    ['a month far ahead', () => '2099-01'],
    ['month 13', () => '2026-13'],
    ['a one-digit month', () => '2026-1'],
    ['a date', () => '2026-09-01'],
    ['text', () => 'september'],
  ])('answers 400 problem+json for %s', async (_label, month) => {
    const res = await t.http().get(`${API}/contacts/compliance`).query({ month: month() }).set(bearer(office));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.detail).toMatch(/month/);
  });

  describe('who sees what', () => {
    it('never shows another office’s enrollments, nor its own to the other office', async () => {
      const mine = await dueList('2026-09', office);
      expect(itemOf(mine, 'otherOffice')).toBeUndefined();
      const theirs = await dueList('2026-09', office2);
      expect(theirs.items.map((i) => i.enrollmentId)).toEqual([e.otherOffice]);
      expect(theirs.items[0]).toMatchObject({ status: 'met', faceToFaceDays: 2 });
    });

    it('shows a municipal officer their municipality’s enrollments only, an admin all', async () => {
      const cityView = await dueList('2026-09', city);
      expect(itemOf(cityView, 'stay')).toBeDefined();
      expect(itemOf(cityView, 'otherOffice')).toBeUndefined();
      expect((await dueList('2026-09', otherCity)).items.map((i) => i.enrollmentId)).toEqual([e.otherOffice]);
      const all = await dueList('2026-09', admin);
      expect(itemOf(all, 'stay')).toBeDefined();
      expect(itemOf(all, 'otherOffice')).toBeDefined();
    });

    it('filters by support office without widening the scope', async () => {
      const res = await dueList('2026-09', office, { supportOfficeId: other.office.id });
      expect(res.items).toEqual([]);
      expect((await dueList('2026-09', admin, { supportOfficeId: other.office.id })).items.map((i) => i.enrollmentId)).toEqual([e.otherOffice]);
    });

    it('refuses a prefectural officer (no patient-level data) with 403', async () => {
      const res = await t.http().get(`${API}/contacts/compliance`).query({ month: '2026-09' }).set(bearer(prefecture));
      expect(res.status).toBe(403);
    });

    it('audits the due list as a read of every enrollment and patient shown', async () => {
      const body = await dueList('2026-09', office2);
      const rows = await t.sql<{ entity_type: string; entity_ids: string[] }>(
        `SELECT entity_type, entity_ids FROM audit_events WHERE actor_id = $1 AND action = 'read' ORDER BY id DESC LIMIT 2`,
        [office2.id],
      );
      expect(rows.map((r) => r.entity_type).sort()).toEqual(['enrollment', 'patient']);
      expect(rows.find((r) => r.entity_type === 'enrollment')?.entity_ids).toEqual(body.items.map((i) => i.enrollmentId));
    });
  });

  describe('benefit periods ending within 30 days', () => {
    it('lists periods ending within 30 days of today that have no renewal, for visible active enrollments', async () => {
      const today = todayInTokyo();
      const ending = await anEnrollmentOf('ending', { step: 'supporting' });
      await aBenefitPeriod(t, ending, addDays(today, -170), addDays(today, 10));
      const far = await anEnrollmentOf('far');
      await aBenefitPeriod(t, far, addDays(today, -100), addDays(today, 40));
      const renewed = await anEnrollmentOf('renewed');
      await aBenefitPeriod(t, renewed, addDays(today, -170), addDays(today, 5));
      await aBenefitPeriod(t, renewed, addDays(today, 6), addDays(today, 180));
      const elsewhere = await anEnrollmentOf('elsewhere', { w: other });
      await aBenefitPeriod(t, elsewhere, addDays(today, -170), addDays(today, 3));

      const body = await dueList(thisMonth());
      expect(body.benefitPeriodsEnding.map((p) => p.enrollmentId)).toEqual([ending]);
      expect(body.benefitPeriodsEnding[0]).toMatchObject({ endsOn: addDays(today, 10), daysLeft: 10 });
      expect((await dueList(thisMonth(), office2)).benefitPeriodsEnding.map((p) => p.enrollmentId)).toEqual([elsewhere]);
    });
  });

  describe('CSV', () => {
    it('answers ?format=csv with a UTF-8 BOM, a header row and one row per enrollment', async () => {
      const res = await t.http().get(`${API}/contacts/compliance`).query({ month: '2026-09', format: 'csv' }).set(bearer(office)).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      const text = res.body as string;
      expect(text.charCodeAt(0)).toBe(0xfeff);
      const lines = text.slice(1).trim().split(/\r?\n/);
      expect(lines[0]).toMatch(/^month,supportOffice,hospital,familyName,givenName/);
      const json = await dueList('2026-09', office);
      expect(lines).toHaveLength(json.items.length + 1);
      expect(text).toContain('患者stay');
      expect(lines.find((l) => l.includes('患者sameDay'))).toMatch(/,missed,1,2026-09-10,1,0,/);
    });

    it('writes Japanese headers with lang=ja and answers Accept: text/csv', async () => {
      const res = await t.http().get(`${API}/contacts/compliance`).query({ month: '2026-09', lang: 'ja' }).set(bearer(office)).set('accept', 'text/csv').buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
      });
      expect(res.status).toBe(200);
      expect((res.body as string).slice(1).split(/\r?\n/)[0]).toMatch(/^対象月,相談支援事業所,病院,氏,名/);
    });

    it('audits a CSV download as an export', async () => {
      await t.http().get(`${API}/contacts/compliance`).query({ month: '2026-09', format: 'csv' }).set(bearer(city));
      const rows = await t.sql(`SELECT DISTINCT action FROM audit_events WHERE actor_id = $1`, [city.id]);
      expect(rows).toContainEqual({ action: 'export' });
    });
  });
});
