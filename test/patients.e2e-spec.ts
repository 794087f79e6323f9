import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, todayInTokyo } from '../src/common/dates.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { aPatient, aWorld, anAdmission, anEnrollment, type World } from './helpers/domain-factories.js';
import { aUser, anOrganization, bearer, type TestUser } from './helpers/factories.js';
import { manyPatients, patientBody, readCounts } from './helpers/patients-test-helpers.js';

const API = '/api/v1';
const PROBLEM = /application\/problem\+json/;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const PLANTED_NAME = '秘密乃名前';

describe('patients', () => {
  let t: TestApp;
  let admin: TestUser;
  let w: World;
  let psw: TestUser;
  let officer: TestUser;
  let otherHospital: { id: string };

  beforeAll(async () => {
    t = await startTestApp({ captureLogs: true });
    admin = await aUser(t, 'admin', null);
    w = await aWorld(t);
    psw = await aUser(t, 'hospital_staff', w.hospital.id);
    officer = await aUser(t, 'municipal_officer', w.municipality.id);
    otherHospital = await anOrganization(t, { kind: 'hospital' });
  });
  afterAll(() => t.close());

  const post = (b: Record<string, unknown>, user = psw, key?: string) => {
    const req = t.http().post(`${API}/patients`).set(bearer(user));
    if (key) req.set('idempotency-key', key);
    return req.send(b);
  };
  const count = async () => (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM patients'))[0].n;
  const list = (query: Record<string, string | number>, user = psw) =>
    t.http().get(`${API}/patients`).query(query).set(bearer(user));
  const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((x) => x.id);

  describe('registration', () => {
    it('registers a patient at the PSW’s own hospital (the default) and audits the create', async () => {
      const res = await post(
        patientBody({
          recordNumber: 'A-0001',
          responsibleMunicipalityId: w.municipality.id,
          residenceWard: '若葉区',
          consentOn: '2025-05-01',
          consentScope: '地域移行支援のための情報共有',
        }),
      );
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        hospitalId: w.hospital.id,
        recordNumber: 'A-0001',
        familyNameKana: 'ヤマダ',
        responsibleMunicipalityId: w.municipality.id,
        residenceWard: '若葉区',
        consentOn: '2025-05-01',
        currentAdmission: null,
        currentEnrollments: [],
        version: 1,
      });
      const audit = await t.sql(
        `SELECT action, entity_type, actor_id FROM audit_events WHERE $1 = ANY(entity_ids)`,
        [res.body.id],
      );
      expect(audit).toEqual([{ action: 'create', entity_type: 'patient', actor_id: psw.id }]);
    });

    it('answers 409 to a duplicate record number at the same hospital, but allows it at another', async () => {
      expect((await post(patientBody({ recordNumber: 'DUP-1' }))).status).toBe(201);
      const before = await count();
      const dup = await post(patientBody({ recordNumber: 'DUP-1' }));
      expect(dup.status).toBe(409);
      expect(dup.headers['content-type']).toMatch(PROBLEM);
      expect(dup.body.detail).not.toContain('DUP-1');
      expect(await count()).toBe(before);
      expect(
        (await post(patientBody({ recordNumber: 'DUP-1', hospitalId: otherHospital.id }), admin)).status,
      ).toBe(201);
    });

    it('answers 403 to hospital staff registering at another hospital; admins must name the hospital', async () => {
      const before = await count();
      expect((await post(patientBody({ hospitalId: otherHospital.id }))).status).toBe(403);
      const res = await post(patientBody(), admin);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['hospitalId']);
      expect(await count()).toBe(before);
    });

    it.each([
      ['a support office as the hospital', () => ({ hospitalId: w.office.id }), 422],
      ['an unknown hospital', () => ({ hospitalId: UNKNOWN }), 404],
      [
        'a hospital as the responsible municipality (援護市町村)',
        () => ({ hospitalId: w.hospital.id, responsibleMunicipalityId: w.hospital.id }),
        422,
      ],
      [
        'an unknown responsible municipality',
        () => ({ hospitalId: w.hospital.id, responsibleMunicipalityId: UNKNOWN }),
        404,
      ],
    ])('answers problem+json for %s, writing nothing', async (_label, override, status) => {
      const before = await count();
      const res = await post(patientBody(override()), admin);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(await count()).toBe(before);
    });

    it.each([
      ['kana in hiragana', { familyNameKana: 'やまだ' }, 'familyNameKana'],
      ['kana in latin letters', { givenNameKana: 'Hanako' }, 'givenNameKana'],
      ['half-width katakana', { givenNameKana: 'ﾊﾅｺ' }, 'givenNameKana'],
      ['a birth date in the future', { birthDate: addDays(todayInTokyo(), 1) }, 'birthDate'],
      ['a birth date of today', { birthDate: todayInTokyo() }, 'birthDate'],
      ['a birth date before 1900', { birthDate: '1899-12-31' }, 'birthDate'],
      ['an impossible birth date', { birthDate: '1960-02-30' }, 'birthDate'],
      ['an unknown sex', { sex: 'x' }, 'sex'],
      ['a consent date in the future', { consentOn: addDays(todayInTokyo(), 1) }, 'consentOn'],
      ['a 51-character record number', { recordNumber: '1'.repeat(51) }, 'recordNumber'],
      ['a 10,000-character name', { familyName: '山'.repeat(10000) }, 'familyName'],
      ['a malformed municipality id', { responsibleMunicipalityId: 'city' }, 'responsibleMunicipalityId'],
      ['a server-owned field', { version: 7 }, 'version'],
      ['a missing name', { familyName: undefined }, 'familyName'],
    ])('answers 400 with a field error for %s, writing nothing', async (_label, override, field) => {
      const before = await count();
      const res = await post(patientBody(override));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await count()).toBe(before);
    });

    it('honours Idempotency-Key: a retry returns the first response and creates one row', async () => {
      const key = randomUUID();
      const b = patientBody({ recordNumber: 'IDEM-1' });
      const [one, two] = await Promise.all([post(b, psw, key), post(b, psw, key)]);
      // Concurrent: one creates, the other is told to retry (409) or replays (201).
      expect([one.status, two.status]).toContain(201);
      expect([201, 409]).toContain(one.status);
      expect([201, 409]).toContain(two.status);
      const again = await post(b, psw, key);
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      const created = [one, two].find((r) => r.status === 201 && !r.headers['idempotent-replayed'])!;
      expect(again.body.id).toBe(created.body.id);
      expect((await t.sql(`SELECT id FROM patients WHERE record_number = 'IDEM-1'`)).length).toBe(1);
      const replayReads = await t.sql(
        `SELECT 1 FROM audit_events WHERE action = 'read' AND $1 = ANY(entity_ids)`,
        [again.body.id],
      );
      expect(replayReads.length).toBeGreaterThanOrEqual(1); // handing the stored patient out again is a read
      const different = await post(patientBody({ recordNumber: 'IDEM-2' }), psw, key);
      expect(different.status).toBe(422);
    });
  });

  describe('detail', () => {
    it('shows the current admission with length of stay, long-stay and the current enrollment step, and audits the read', async () => {
      const p = await aPatient(t, { hospitalId: w.hospital.id, familyName: PLANTED_NAME });
      await anAdmission(t, {
        patientId: p.id,
        hospitalId: w.hospital.id,
        admittedOn: '2020-05-01',
        dischargedOn: '2020-09-01',
      });
      const admission = await anAdmission(t, {
        patientId: p.id,
        hospitalId: w.hospital.id,
        admittedOn: '2021-01-10',
        admissionType: 'voluntary',
      });
      const enrollment = await anEnrollment(t, { patientId: p.id, world: w, step: 'planned' });
      const res = await t
        .http()
        .get(`${API}/patients/${p.id}`)
        .query({ asOf: '2022-01-10' })
        .set(bearer(psw));
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body.currentAdmission).toEqual({
        id: admission.id,
        admissionType: 'voluntary',
        admittedOn: '2021-01-10',
        hospitalWard: '3病棟',
        lengthOfStayDays: 365,
        longStay: true,
      });
      expect(res.body.currentEnrollments).toEqual([
        expect.objectContaining({
          id: enrollment.id,
          program: 'community_transition',
          step: 'planned',
          supportOfficeId: w.office.id,
        }),
      ]);
      const day364 = await t
        .http()
        .get(`${API}/patients/${p.id}`)
        .query({ asOf: '2022-01-09' })
        .set(bearer(psw));
      expect(day364.body.currentAdmission).toMatchObject({ lengthOfStayDays: 364, longStay: false });
      const reads = await t.sql(
        `SELECT actor_id FROM audit_events WHERE action = 'read' AND entity_type = 'patient' AND $1 = ANY(entity_ids)`,
        [p.id],
      );
      expect(reads).toEqual([{ actor_id: psw.id }, { actor_id: psw.id }]);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expect((await t.http().get(`${API}/patients/${UNKNOWN}`).set(bearer(psw))).status).toBe(404);
      const bad = await t.http().get(`${API}/patients/123`).set(bearer(psw));
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(PROBLEM);
    });
  });

  describe('list and search', () => {
    let h: { id: string };
    let pswH: TestUser;
    const made: Record<string, string> = {};

    beforeAll(async () => {
      const world = await aWorld(t);
      h = world.hospital;
      pswH = await aUser(t, 'hospital_staff', h.id);
      const mk = async (
        key: string,
        o: {
          kana: [string, string];
          name?: [string, string];
          admittedOn?: string;
          step?: string;
          city?: string;
        },
      ) => {
        const p = await aPatient(t, {
          hospitalId: h.id,
          familyNameKana: o.kana[0],
          givenNameKana: o.kana[1],
          familyName: o.name?.[0] ?? '試験',
          givenName: o.name?.[1] ?? '太郎',
          responsibleMunicipalityId: o.city ?? null,
        });
        if (o.admittedOn)
          await anAdmission(t, { patientId: p.id, hospitalId: h.id, admittedOn: o.admittedOn });
        if (o.step) await anEnrollment(t, { patientId: p.id, world, step: o.step });
        made[key] = p.id;
      };
      const today = todayInTokyo();
      await mk('long', {
        kana: ['アオキ', 'イチロウ'],
        name: ['青木', '一郎'],
        admittedOn: addDays(today, -365),
        step: 'supporting',
        city: world.municipality.id,
      });
      await mk('short', {
        kana: ['イノウエ', 'ジロウ'],
        name: ['井上', '次郎'],
        admittedOn: addDays(today, -364),
      });
      await mk('none', { kana: ['ウエダ', 'サブロウ'], name: ['上田', '三郎'], step: 'referred' });
      await mk('suzuki', { kana: ['スズキ', 'ハナコ'], name: ['鈴木', '花子'], admittedOn: '2010-01-01' });
    });

    it('lists the hospital’s patients in kana order with current admission and step', async () => {
      const res = await list({}, pswH);
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual([made.long, made.short, made.none, made.suzuki]);
      const long = res.body.items[0];
      expect(long.currentAdmission).toMatchObject({ lengthOfStayDays: 365, longStay: true });
      expect(long.currentEnrollments.map((e: { step: string }) => e.step)).toEqual(['supporting']);
      expect(res.body.items[2].currentAdmission).toBeNull();
    });

    it('is the PSW’s work list with longStay=true (≥ 365 days today), and longStay=false the rest', async () => {
      expect(ids(await list({ longStay: 'true', hospitalId: h.id }, pswH))).toEqual([made.long, made.suzuki]);
      expect(ids(await list({ longStay: 'false' }, pswH))).toEqual([made.short, made.none]);
      expect(ids(await list({ longStay: 'true', asOf: '2010-12-31' }, pswH))).toEqual([]);
      expect(ids(await list({ longStay: 'true', asOf: '2011-01-01' }, pswH))).toEqual([made.suzuki]);
    });

    it('filters by step and by responsible municipality', async () => {
      expect(ids(await list({ step: 'referred' }, pswH))).toEqual([made.none]);
      const [pRow] = await t.sql<{ m: string }>(
        `SELECT responsible_municipality_id AS m FROM patients WHERE id = $1`,
        [made.long],
      );
      expect(ids(await list({ responsibleMunicipalityId: pRow.m }, pswH))).toEqual([made.long]);
      expect((await list({ step: 'Not-A-Step' }, pswH)).status).toBe(400);
    });

    it.each([
      ['kanji', '鈴木', 'suzuki'],
      ['katakana', 'スズキ', 'suzuki'],
      ['hiragana (searched as katakana)', 'すずき', 'suzuki'],
      ['family and given kana with a space', 'スズキ　ハナコ', 'suzuki'],
      ['full name in kanji with a space', '鈴木 花子', 'suzuki'],
      ['part of a given name', 'ジロ', 'short'],
    ])('searches name and kana with q (%s)', async (_label, q, key) => {
      const res = await list({ q }, pswH);
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual([made[key]]);
    });

    it('treats LIKE wildcards in q as text, and refuses a blank q', async () => {
      expect(ids(await list({ q: '%' }, pswH))).toEqual([]);
      expect(ids(await list({ q: '_' }, pswH))).toEqual([]);
      expect((await list({ q: '　' }, pswH)).status).toBe(400);
      expect((await list({ q: 'あ'.repeat(101) }, pswH)).status).toBe(400);
    });

    it('pages with an encrypted cursor that never shows kana, and refuses a tampered one', async () => {
      const first = await list({ limit: 2 }, pswH);
      expect(ids(first)).toEqual([made.long, made.short]);
      const cursor = first.body.nextCursor as string;
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(cursor, 'base64url').toString('utf8')).not.toContain('イノウエ');
      const second = await list({ limit: 2, cursor }, pswH);
      expect(ids(second)).toEqual([made.none, made.suzuki]);
      expect(second.body.nextCursor).toBeNull();
      const tampered = cursor.slice(0, -2) + (cursor.endsWith('AA') ? 'BB' : 'AA');
      const bad = await list({ limit: 2, cursor: tampered }, pswH);
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(PROBLEM);
      expect((await list({ limit: 0 }, pswH)).status).toBe(400);
      expect((await list({ limit: 201 }, pswH)).status).toBe(400);
    });
  });

  describe('update', () => {
    const patch = (id: string, b: Record<string, unknown>, user = psw, etag = '*') =>
      t.http().patch(`${API}/patients/${id}`).set(bearer(user)).set('if-match', etag).send(b);

    it('corrects fields with If-Match; a stale ETag answers 412 and changes nothing', async () => {
      const p = await aPatient(t, { hospitalId: w.hospital.id });
      const res = await patch(p.id, { givenNameKana: 'ハナエ', residenceWard: '緑区' }, psw, '"1"');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ givenNameKana: 'ハナエ', residenceWard: '緑区', version: 2 });
      expect(res.headers.etag).toBe('"2"');
      const stale = await patch(p.id, { givenNameKana: 'ハナミ' }, psw, '"1"');
      expect(stale.status).toBe(412);
      const [row] = await t.sql(`SELECT given_name_kana FROM patients WHERE id = $1`, [p.id]);
      expect(row).toEqual({ given_name_kana: 'ハナエ' });
      const audit = await t.sql(
        `SELECT changed_fields FROM audit_events WHERE action = 'update' AND $1 = ANY(entity_ids)`,
        [p.id],
      );
      expect(audit).toEqual([{ changed_fields: ['givenNameKana', 'residenceWard'] }]);
    });

    it('audits a change of 援護市町村 with the old and new ids, never names', async () => {
      const cityB = await anOrganization(t, { kind: 'municipality' });
      const p = await aPatient(t, {
        hospitalId: w.hospital.id,
        responsibleMunicipalityId: w.municipality.id,
        familyName: PLANTED_NAME,
      });
      const res = await patch(p.id, { responsibleMunicipalityId: cityB.id });
      expect(res.status).toBe(200);
      expect(res.body.responsibleMunicipalityId).toBe(cityB.id);
      const [audit] = await t.sql<{ details: unknown; changed_fields: string[] }>(
        `SELECT details, changed_fields FROM audit_events WHERE action = 'update' AND $1 = ANY(entity_ids)`,
        [p.id],
      );
      expect(audit).toEqual({
        details: { responsibleMunicipalityId: { old: w.municipality.id, new: cityB.id } },
        changed_fields: ['responsibleMunicipalityId'],
      });
      const cleared = await patch(p.id, { responsibleMunicipalityId: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.responsibleMunicipalityId).toBeNull();
      expect(
        JSON.stringify(await t.sql(`SELECT details FROM audit_events WHERE $1 = ANY(entity_ids)`, [p.id])),
      ).not.toContain(PLANTED_NAME);
    });

    it('lets a municipal officer change only the 援護市町村 (other fields → 403)', async () => {
      const p = await aPatient(t, {
        hospitalId: w.hospital.id,
        responsibleMunicipalityId: w.municipality.id,
      });
      expect((await patch(p.id, { familyName: '変更' }, officer)).status).toBe(403);
      const cityC = await anOrganization(t, { kind: 'municipality' });
      const moved = await patch(p.id, { responsibleMunicipalityId: cityC.id }, officer);
      expect(moved.status).toBe(200);
      // Handed over: the officer no longer sees the patient.
      expect((await t.http().get(`${API}/patients/${p.id}`).set(bearer(officer))).status).toBe(404);
    });

    it.each([
      ['a hospital as 援護市町村', () => ({ responsibleMunicipalityId: w.hospital.id }), 422],
      ['an unknown 援護市町村', () => ({ responsibleMunicipalityId: UNKNOWN }), 404],
      ['the hospital (not changeable here)', () => ({ hospitalId: otherHospital.id }), 400],
      ['a null family name', () => ({ familyName: null }), 400],
      ['hiragana kana', () => ({ familyNameKana: 'やまだ' }), 400],
      ['a future birth date', () => ({ birthDate: addDays(todayInTokyo(), 3) }), 400],
      ['an empty body', () => ({}), 400],
    ])('refuses %s, changing nothing', async (_label, body, status) => {
      const p = await aPatient(t, { hospitalId: w.hospital.id });
      const res = await patch(p.id, body());
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      const [row] = await t.sql<{ version: number }>(`SELECT version FROM patients WHERE id = $1`, [p.id]);
      expect(row.version).toBe(1);
    });

    it('refuses a birth date after the first admission (422) and a duplicate record number (409)', async () => {
      const p = await aPatient(t, { hospitalId: w.hospital.id, recordNumber: 'UPD-1' });
      await aPatient(t, { hospitalId: w.hospital.id, recordNumber: 'UPD-2' });
      await anAdmission(t, { patientId: p.id, hospitalId: w.hospital.id, admittedOn: '2000-01-01' });
      expect((await patch(p.id, { birthDate: '2000-01-02' })).status).toBe(422);
      expect((await patch(p.id, { recordNumber: 'UPD-2' })).status).toBe(409);
      expect((await patch(p.id, { recordNumber: 'UPD-1' })).status).toBe(200); // unchanged value is fine
    });
  });

  describe('audit of list reads', () => {
    it('audits each of 1,000 listed patients exactly once when paged through with limit=200', async () => {
      const hospital = await anOrganization(t, { kind: 'hospital' });
      const reader = await aUser(t, 'hospital_staff', hospital.id);
      const created = await manyPatients(t, hospital.id, 1000);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await list(cursor ? { limit: 200, cursor } : { limit: 200 }, reader);
        expect(res.status).toBe(200);
        seen.push(...ids(res));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(5);
      expect(new Set(seen).size).toBe(1000);
      expect([...seen].sort()).toEqual([...created].sort());
      const rows = await t.sql<{ id: string; n: number }>(
        `SELECT u.pid AS id, count(*)::int AS n FROM audit_events, unnest(entity_ids) AS u(pid)
         WHERE action = 'read' AND entity_type = 'patient' AND actor_id = $1 GROUP BY u.pid`,
        [reader.id],
      );
      expect(rows).toHaveLength(1000);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      const auditRows = await t.sql(`SELECT 1 FROM audit_events WHERE action = 'read' AND actor_id = $1`, [
        reader.id,
      ]);
      expect(auditRows).toHaveLength(5); // one audit row per request
      const counts = await readCounts(t, 'patient');
      expect(created.every((id) => counts.get(id) === 1)).toBe(true);
    });
  });

  it('never writes a patient name to the logs', async () => {
    const p = await aPatient(t, {
      hospitalId: w.hospital.id,
      familyName: PLANTED_NAME,
      recordNumber: 'LOG-REC-77',
    });
    await t.http().get(`${API}/patients/${p.id}`).set(bearer(psw));
    await list({ q: PLANTED_NAME });
    await post(patientBody({ familyName: PLANTED_NAME, recordNumber: 'LOG-REC-77' })); // 409: the problem is not logged with the body
    await t
      .http()
      .patch(`${API}/patients/${p.id}`)
      .set(bearer(psw))
      .set('if-match', '*')
      .send({ givenName: PLANTED_NAME });
    const logs = t.logs();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(PLANTED_NAME);
    expect(logs).not.toContain('LOG-REC-77');
  });
});
