import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './helpers/app.js';
import { aUser, bearer, type TestUser } from './helpers/factories.js';
import { aContact, aPatient, aWorld, anAdmission, anEnrollment, type World } from './helpers/domain-factories.js';
import { API, aPeerSupporter, amend, contactBody, countRows, daysAgo, postContact, today } from './helpers/contacts-test-helpers.js';

const PROBLEM = /application\/problem\+json/;

describe('contacts (支援記録)', () => {
  let t: TestApp;
  let world: World;
  let other: World;
  let office: TestUser;
  let office2: TestUser;
  let colleague: TestUser;
  let psw: TestUser;
  let otherPsw: TestUser;
  let nurse: TestUser;
  let city: TestUser;
  let otherCity: TestUser;
  let prefecture: TestUser;
  let admin: TestUser;
  let enrollmentId: string;
  let patientId: string;

  beforeAll(async () => {
    t = await startTestApp();
    world = await aWorld(t);
    other = await aWorld(t);
    office = await aUser(t, 'support_office_staff', world.office.id);
    colleague = await aUser(t, 'support_office_staff', world.office.id);
    office2 = await aUser(t, 'support_office_staff', other.office.id);
    psw = await aUser(t, 'hospital_staff', world.hospital.id);
    otherPsw = await aUser(t, 'hospital_staff', other.hospital.id);
    nurse = await aUser(t, 'nurse_staff', world.station.id);
    city = await aUser(t, 'municipal_officer', world.municipality.id);
    otherCity = await aUser(t, 'municipal_officer', other.municipality.id);
    const pref = await t.sql<{ id: string }>(`INSERT INTO organizations (kind, name) VALUES ('prefecture', '千葉県-contacts') RETURNING id`);
    prefecture = await aUser(t, 'prefectural_officer', pref[0].id);
    admin = await aUser(t, 'admin', null);
    const patient = await aPatient(t, { hospitalId: world.hospital.id });
    patientId = patient.id;
    await anAdmission(t, { patientId, hospitalId: world.hospital.id });
    enrollmentId = (await anEnrollment(t, { patientId, world, step: 'supporting', startedOn: '2026-04-01' })).id;
  });
  afterAll(() => t.close());

  describe('POST /enrollments/:id/contacts', () => {
    it('logs a contact with the caller as staff by default, revision 1, and an ETag', async () => {
      const res = await postContact(t, office, enrollmentId, contactBody({ occurredOn: '2026-10-05', startTime: '14:30', place: 'hospital' }));
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        enrollmentId,
        patientId,
        revision: 1,
        kind: 'face_to_face',
        occurredOn: '2026-10-05',
        endsOn: null,
        startTime: '14:30',
        minutes: 30,
        place: 'hospital',
        staffIds: [office.id],
        peerSupporterIds: [],
        summary: '退院後の生活について面接',
        createdById: office.id,
      });
      const [c] = await t.sql(`SELECT revision, kind, occurred_on::text, start_time::text, staff_ids FROM contacts WHERE id = $1`, [res.body.id]);
      expect(c).toEqual({ revision: 1, kind: 'face_to_face', occurred_on: '2026-10-05', start_time: '14:30:00', staff_ids: [office.id] });
      const revs = await t.sql(`SELECT revision, summary, reason, recorded_by_id FROM contact_revisions WHERE contact_id = $1`, [res.body.id]);
      expect(revs).toEqual([{ revision: 1, summary: '退院後の生活について面接', reason: null, recorded_by_id: office.id }]);
    });

    it('audits the create without the summary', async () => {
      const res = await postContact(t, office, enrollmentId, contactBody({ summary: 'AUDIT-SECRET-面接' }));
      const audit = await t.sql<{ action: string; entity_type: string; actor_id: string; details: unknown; changed_fields: unknown }>(
        `SELECT action, entity_type, actor_id, details, changed_fields FROM audit_events WHERE $1 = ANY(entity_ids)`,
        [res.body.id],
      );
      expect(audit).toEqual([{ action: 'create', entity_type: 'contact', actor_id: office.id, details: { enrollmentId, revision: 1 }, changed_fields: null }]);
      expect(JSON.stringify(audit)).not.toContain('AUDIT-SECRET');
    });

    it('names other staff and peer supporters who took part', async () => {
      const peer = await aPeerSupporter(t);
      const res = await postContact(t, office, enrollmentId, contactBody({ kind: 'peer_visit', staffIds: [office.id, colleague.id], peerSupporterIds: [peer.id] }));
      expect(res.status).toBe(201);
      expect(res.body.staffIds).toEqual([office.id, colleague.id]);
      expect(res.body.peerSupporterIds).toEqual([peer.id]);
    });

    it('accepts a trial stay over several days with endsOn', async () => {
      const res = await postContact(t, office, enrollmentId, contactBody({ kind: 'trial_stay', place: 'community', occurredOn: '2026-09-29', endsOn: '2026-10-02' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ kind: 'trial_stay', occurredOn: '2026-09-29', endsOn: '2026-10-02' });
    });

    it('answers 400 with a clear message when the Idempotency-Key is missing, writing nothing', async () => {
      const before = await countRows(t, 'contacts');
      const res = await postContact(t, office, enrollmentId, contactBody(), null);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.detail).toMatch(/Idempotency-Key header is required/);
      expect(await countRows(t, 'contacts')).toBe(before);
    });

    it('refuses a malformed Idempotency-Key with 400', async () => {
      const res = await postContact(t, office, enrollmentId, contactBody(), 'x'.repeat(201));
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/Idempotency-Key/);
    });

    it.each([
      ['an unknown kind', { kind: 'telepathy' }, 'kind'],
      ['an unknown place', { place: 'moon' }, 'place'],
      ['an impossible date', { occurredOn: '2026-02-30' }, 'occurredOn'],
      ['minutes 0', { minutes: 0 }, 'minutes'],
      ['minutes 1441', { minutes: 1441 }, 'minutes'],
      ['fractional minutes', { minutes: 1.5 }, 'minutes'],
      ['a start time of 24:00', { startTime: '24:00' }, 'startTime'],
      ['a 4,001-character summary', { summary: 'あ'.repeat(4001) }, 'summary'],
      ['a staff id that is not a uuid', { staffIds: ['nobody'] }, 'staffIds'],
      ['duplicate staff ids', { staffIds: ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001'] }, 'staffIds'],
      ['31 staff', { staffIds: Array.from({ length: 31 }, () => randomUUID()) }, 'staffIds'],
      ['an unknown field', { mood: 'good' }, 'mood'],
      ['a server-owned field', { revision: 7 }, 'revision'],
    ])('answers 400 problem+json with a field error for %s, writing nothing', async (_label, override, field) => {
      const before = await countRows(t, 'contacts');
      const res = await postContact(t, office, enrollmentId, contactBody(override));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await countRows(t, 'contacts')).toBe(before);
    });

    it('accepts a 4,000-character summary', async () => {
      const res = await postContact(t, office, enrollmentId, contactBody({ summary: 'あ'.repeat(4000) }));
      expect(res.status).toBe(201);
      expect(res.body.summary).toHaveLength(4000);
    });

    it.each([
      ['occurredOn in the future', () => ({ occurredOn: '2099-01-01' }), 'occurredOn'],
      ['occurredOn before the enrollment began', () => ({ occurredOn: '2026-03-31' }), 'occurredOn'],
      ['endsOn on a face-to-face contact', () => ({ endsOn: daysAgo(1), occurredOn: daysAgo(2) }), 'endsOn'],
      ['a stay ending before it began', () => ({ kind: 'trial_stay', occurredOn: daysAgo(2), endsOn: daysAgo(3) }), 'endsOn'],
      ['a stay ending in the future', () => ({ kind: 'trial_stay', occurredOn: daysAgo(1), endsOn: '2099-01-01' }), 'endsOn'],
      ['a stay of 31 nights', () => ({ kind: 'trial_stay', occurredOn: '2026-06-01', endsOn: '2026-07-02' }), 'endsOn'],
      ['an unknown staff member', () => ({ staffIds: [randomUUID()] }), 'staffIds'],
      ['an unknown peer supporter', () => ({ peerSupporterIds: [randomUUID()] }), 'peerSupporterIds'],
      ['a peer visit without a peer supporter', () => ({ kind: 'peer_visit' }), 'peerSupporterIds'],
      ['no staff on a face-to-face contact', () => ({ staffIds: [] }), 'staffIds'],
    ])('answers 422 for %s, writing nothing', async (_label, override, field) => {
      const before = await countRows(t, 'contacts');
      const res = await postContact(t, office, enrollmentId, contactBody(override()));
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await countRows(t, 'contacts')).toBe(before);
    });

    it('answers 422 on an enrollment that has ended', async () => {
      const p = await aPatient(t, { hospitalId: world.hospital.id });
      const ended = await anEnrollment(t, { patientId: p.id, world, step: 'completed', isActive: false });
      const res = await postContact(t, office, ended.id, contactBody());
      expect(res.status).toBe(422);
      expect(res.body.detail).toMatch(/only while the enrollment is active/);
      expect(await countRows(t, 'contacts', ended.id)).toBe(0);
    });

    it('answers 404 for an unknown enrollment and 400 for a malformed id', async () => {
      expect((await postContact(t, office, randomUUID(), contactBody())).status).toBe(404);
      expect((await postContact(t, office, 'not-a-uuid', contactBody())).status).toBe(400);
    });

    it('lets a peer supporter visit alone (no staff) but then it is a peer visit only', async () => {
      const peer = await aPeerSupporter(t);
      const res = await postContact(t, office, enrollmentId, contactBody({ kind: 'peer_visit', staffIds: [], peerSupporterIds: [peer.id] }));
      expect(res.status).toBe(201);
      expect(res.body.staffIds).toEqual([]);
    });
  });

  describe('Idempotency-Key', () => {
    it('turns 50 parallel POSTs with one key into exactly one contact and identical bodies (or 409 while in flight)', async () => {
      const p = await aPatient(t, { hospitalId: world.hospital.id });
      const e = await anEnrollment(t, { patientId: p.id, world, step: 'supporting' });
      const key = randomUUID();
      const body = contactBody({ occurredOn: daysAgo(2) });
      const responses = await Promise.all(Array.from({ length: 50 }, () => postContact(t, office, e.id, body, key)));
      const statuses = responses.map((r) => r.status);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      const created = responses.filter((r) => r.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((r) => r.text)).size).toBe(1);
      for (const r of responses.filter((x) => x.status === 409)) expect(r.body.detail).toMatch(/in progress|being processed/);
      expect(await countRows(t, 'contacts', e.id)).toBe(1);
      expect(await countRows(t, 'contact_revisions', e.id)).toBe(1);
      // Once the first has finished, a retry replays the original 201 byte for byte.
      const replay = await postContact(t, office, e.id, body, key);
      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.text).toBe(created[0].text);
      expect(await countRows(t, 'contacts', e.id)).toBe(1);
    });

    it('returns the same contact to a retry after a lost response', async () => {
      const p = await aPatient(t, { hospitalId: world.hospital.id });
      const e = await anEnrollment(t, { patientId: p.id, world, step: 'supporting' });
      const key = randomUUID();
      const body = contactBody({ kind: 'home_visit', place: 'home' });
      // The client never reads this response (the Wi-Fi dropped); it only learns the key was used by retrying.
      void (await postContact(t, office, e.id, body, key));
      const retry = await postContact(t, office, e.id, body, key);
      expect(retry.status).toBe(201);
      const [stored] = await t.sql<{ id: string }>(`SELECT id FROM contacts WHERE enrollment_id = $1`, [e.id]);
      expect(retry.body.id).toBe(stored.id);
      expect(await countRows(t, 'contacts', e.id)).toBe(1);
    });

    it('answers 422 to the same key with a different body, writing nothing', async () => {
      const p = await aPatient(t, { hospitalId: world.hospital.id });
      const e = await anEnrollment(t, { patientId: p.id, world, step: 'supporting' });
      const key = randomUUID();
      expect((await postContact(t, office, e.id, contactBody({ minutes: 30 }), key)).status).toBe(201);
      const res = await postContact(t, office, e.id, contactBody({ minutes: 31 }), key);
      expect(res.status).toBe(422);
      expect(res.body.detail).toMatch(/already used for a different request/);
      expect(await countRows(t, 'contacts', e.id)).toBe(1);
    });

    it('keeps keys per user: another user with the same key logs their own contact', async () => {
      const p = await aPatient(t, { hospitalId: world.hospital.id });
      const e = await anEnrollment(t, { patientId: p.id, world, step: 'supporting' });
      const key = randomUUID();
      const a = await postContact(t, office, e.id, contactBody(), key);
      const b = await postContact(t, colleague, e.id, contactBody(), key);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.body.id).not.toBe(b.body.id);
    });

    it('frees the key when the request failed a rule, so the corrected retry succeeds', async () => {
      const key = randomUUID();
      const bad = await postContact(t, office, enrollmentId, contactBody({ occurredOn: '2099-01-01' }), key);
      expect(bad.status).toBe(422);
      const good = await postContact(t, office, enrollmentId, contactBody({ occurredOn: daysAgo(3) }), key);
      expect(good.status).toBe(201);
    });
  });

  describe('reading', () => {
    let contactId: string;
    beforeAll(async () => {
      contactId = (await postContact(t, office, enrollmentId, contactBody({ occurredOn: '2026-08-20', summary: '読み取り用の記録' }))).body.id;
    });

    it('GET /contacts/:id returns the current revision, its history and an ETag; the read is audited', async () => {
      const res = await t.http().get(`${API}/contacts/${contactId}`).set(bearer(colleague));
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({ id: contactId, revision: 1, summary: '読み取り用の記録', occurredOn: '2026-08-20' });
      expect(res.body.history).toHaveLength(1);
      expect(res.body.history[0]).toMatchObject({ revision: 1, summary: '読み取り用の記録', reason: null, recordedById: office.id });
      const audit = await t.sql(`SELECT action, entity_type FROM audit_events WHERE actor_id = $1 AND $2 = ANY(entity_ids)`, [colleague.id, contactId]);
      expect(audit).toEqual([{ action: 'read', entity_type: 'contact' }]);
    });

    it.each([
      ['the assigned office', () => colleague, 200],
      ['the patient’s hospital', () => psw, 200],
      ['the team’s municipality', () => city, 200],
      ['an admin', () => admin, 200],
      ['another office', () => office2, 404],
      ['another hospital', () => otherPsw, 404],
      ['a nurse station the enrollment does not name', () => nurse, 404],
      ['another municipality', () => otherCity, 404],
      ['a prefectural officer (no patient-level data)', () => prefecture, 404],
    ])('is visible to %s → %i', async (_label, who, status) => {
      const res = await t.http().get(`${API}/contacts/${contactId}`).set(bearer(who()));
      expect(res.status).toBe(status);
      if (status === 404) {
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect(res.text).not.toContain('読み取り用の記録');
      }
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expect((await t.http().get(`${API}/contacts/${randomUUID()}`).set(bearer(office))).status).toBe(404);
      expect((await t.http().get(`${API}/contacts/nope`).set(bearer(office))).status).toBe(400);
    });

    it('never shows another office’s contact in its lists, nor lets it log on the enrollment', async () => {
      const list = await t.http().get(`${API}/contacts?limit=200`).set(bearer(office2));
      expect(list.status).toBe(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(contactId);
      expect((await t.http().get(`${API}/enrollments/${enrollmentId}/contacts`).set(bearer(office2))).status).toBe(404);
      expect((await postContact(t, office2, enrollmentId, contactBody())).status).toBe(404);
      expect((await amend(t, office2, contactId, { minutes: 5, reason: '訂正' })).status).toBe(404);
    });
  });

  describe('lists', () => {
    let e: string;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      const p = await aPatient(t, { hospitalId: world.hospital.id });
      e = (await anEnrollment(t, { patientId: p.id, world, step: 'supporting' })).id;
      for (const [name, o] of Object.entries({
        a: { occurredOn: '2026-07-01' },
        b: { occurredOn: '2026-07-03', kind: 'phone', place: 'phone' },
        c: { occurredOn: '2026-07-03', staffIds: [colleague.id] },
        d: { occurredOn: '2026-07-10', kind: 'home_visit', place: 'home' },
        e: { occurredOn: '2026-07-20' },
      })) {
        ids[name] = (await postContact(t, office, e, contactBody(o))).body.id;
      }
    });

    it('pages an enrollment’s contacts newest first (occurredOn desc, id desc) with a keyset cursor', async () => {
      const seen: { id: string; occurredOn: string }[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string | number> = cursor ? { limit: 2, cursor } : { limit: 2 };
        const res: { status: number; body: { items: { id: string; occurredOn: string }[]; nextCursor: string | null } } = await t
          .http()
          .get(`${API}/enrollments/${e}/contacts`)
          .query(query)
          .set(bearer(office));
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen.map((c) => c.occurredOn)).toEqual(['2026-07-20', '2026-07-10', '2026-07-03', '2026-07-03', '2026-07-01']);
      const sameDay = [ids.b, ids.c].sort().reverse();
      expect(seen.slice(2, 4).map((c) => c.id)).toEqual(sameDay);
      expect(new Set(seen.map((c) => c.id)).size).toBe(5);
    });

    it('carries the summary of the current revision in list items', async () => {
      const res = await t.http().get(`${API}/enrollments/${e}/contacts`).query({ limit: 1 }).set(bearer(office));
      expect(res.body.items[0]).toMatchObject({ id: ids.e, summary: '退院後の生活について面接', revision: 1 });
    });

    it('audits every row of a list page as a read', async () => {
      const res = await t.http().get(`${API}/enrollments/${e}/contacts`).query({ limit: 3 }).set(bearer(psw));
      const [row] = await t.sql<{ entity_ids: string[] }>(
        `SELECT entity_ids FROM audit_events WHERE actor_id = $1 AND action = 'read' AND entity_type = 'contact' ORDER BY id DESC LIMIT 1`,
        [psw.id],
      );
      expect(row.entity_ids.sort()).toEqual(res.body.items.map((c: { id: string }) => c.id).sort());
    });

    it('filters GET /contacts by from, to, kind and staffId', async () => {
      const get = async (q: Record<string, string>) =>
        ((await t.http().get(`${API}/contacts`).query({ enrollmentId: e, ...q }).set(bearer(office))).body.items as { id: string }[]).map((c) => c.id);
      expect(await get({ from: '2026-07-03', to: '2026-07-10' })).toEqual(expect.arrayContaining([ids.b, ids.c, ids.d]));
      expect(await get({ from: '2026-07-03', to: '2026-07-10' })).toHaveLength(3);
      expect(await get({ kind: 'phone' })).toEqual([ids.b]);
      expect(await get({ staffId: colleague.id })).toEqual([ids.c]);
      expect(await get({ kind: 'home_visit', from: '2026-07-11' })).toEqual([]);
    });

    it('refuses from after to, bad filters and a tampered cursor with 400', async () => {
      for (const q of [{ from: '2026-07-10', to: '2026-07-01' }, { kind: 'x' }, { staffId: 'me' }, { limit: '0' }, { cursor: 'abc' }]) {
        const res = await t.http().get(`${API}/contacts`).query(q).set(bearer(office));
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(PROBLEM);
      }
    });

    it('shows a municipal officer their municipality’s contacts and not another’s', async () => {
      const mine = await t.http().get(`${API}/contacts`).query({ enrollmentId: e }).set(bearer(city));
      expect(mine.body.items).toHaveLength(5);
      const theirs = await t.http().get(`${API}/contacts`).query({ enrollmentId: e }).set(bearer(otherCity));
      expect(theirs.status).toBe(200);
      expect(theirs.body.items).toEqual([]);
    });
  });

  describe('append-only', () => {
    let contactId: string;
    beforeAll(async () => {
      contactId = (await postContact(t, office, enrollmentId, contactBody({ occurredOn: '2026-09-01', minutes: 30, summary: '元の記録' }))).body.id;
    });

    it.each(['patch', 'put', 'delete'] as const)('answers %s with 405 problem+json and changes nothing', async (method) => {
      const res = await t.http()[method](`${API}/contacts/${contactId}`).set(bearer(office)).send({ minutes: 5 });
      expect(res.status).toBe(405);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.headers.allow).toBe('GET');
      expect(res.body.detail).toMatch(/amendments/);
      const [c] = await t.sql(`SELECT minutes, revision FROM contacts WHERE id = $1`, [contactId]);
      expect(c).toEqual({ minutes: 30, revision: 1 });
    });

    it('rejects UPDATE and DELETE of a stored revision in the database itself', async () => {
      await expect(t.sql(`UPDATE contact_revisions SET summary = 'rewritten' WHERE contact_id = $1`, [contactId])).rejects.toThrow(/append-only/);
      await expect(t.sql(`DELETE FROM contact_revisions WHERE contact_id = $1`, [contactId])).rejects.toThrow(/append-only/);
      await expect(t.sql(`TRUNCATE contact_revisions CASCADE`)).rejects.toThrow(/append-only/);
      const [r] = await t.sql(`SELECT summary FROM contact_revisions WHERE contact_id = $1`, [contactId]);
      expect(r).toEqual({ summary: '元の記録' });
    });

    it('rejects DELETE of a contact, and an UPDATE of its current fields that is not an amendment', async () => {
      await expect(t.sql(`DELETE FROM contacts WHERE id = $1`, [contactId])).rejects.toThrow(/append-only/);
      await expect(t.sql(`UPDATE contacts SET minutes = 5 WHERE id = $1`, [contactId])).rejects.toThrow(/only by an amendment/);
      await expect(t.sql(`UPDATE contacts SET minutes = 5, revision = 2 WHERE id = $1`, [contactId])).rejects.toThrow(/only by an amendment/);
      const [c] = await t.sql(`SELECT minutes, revision FROM contacts WHERE id = $1`, [contactId]);
      expect(c).toEqual({ minutes: 30, revision: 1 });
    });
  });

  describe('amendments', () => {
    it('adds revisions with reasons; the contact shows the latest and the full history in order', async () => {
      const created = await postContact(t, office, enrollmentId, contactBody({ occurredOn: '2026-09-02', minutes: 30, summary: '初回の記録' }));
      const id = created.body.id;
      const first = await amend(t, office, id, { minutes: 45, reason: '時間の誤記' });
      expect(first.status).toBe(201);
      expect(first.headers.etag).toBe('"2"');
      expect(first.body).toMatchObject({ id, revision: 2, minutes: 45, summary: '初回の記録' });
      const second = await amend(t, colleague, id, { summary: '訂正後の記録', kind: 'home_visit', place: 'home', reason: '内容の追記' }, { 'if-match': '"2"' });
      expect(second.status).toBe(201);
      const third = await amend(t, office, id, { startTime: '09:15', reason: '開始時刻の追記' });
      expect(third.status).toBe(201);

      const res = await t.http().get(`${API}/contacts/${id}`).set(bearer(office));
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"4"');
      expect(res.body).toMatchObject({ revision: 4, kind: 'home_visit', place: 'home', minutes: 45, startTime: '09:15', summary: '訂正後の記録' });
      expect(res.body.history.map((h: { revision: number }) => h.revision)).toEqual([1, 2, 3, 4]);
      expect(res.body.history.map((h: { reason: string | null }) => h.reason)).toEqual([null, '時間の誤記', '内容の追記', '開始時刻の追記']);
      expect(res.body.history.map((h: { minutes: number }) => h.minutes)).toEqual([30, 45, 45, 45]);
      expect(res.body.history.map((h: { summary: string }) => h.summary)).toEqual(['初回の記録', '初回の記録', '訂正後の記録', '訂正後の記録']);
      expect(res.body.history[2].recordedById).toBe(colleague.id);

      const [c] = await t.sql(`SELECT revision, kind, minutes, start_time::text FROM contacts WHERE id = $1`, [id]);
      expect(c).toEqual({ revision: 4, kind: 'home_visit', minutes: 45, start_time: '09:15:00' });
      const list = await t.http().get(`${API}/contacts`).query({ enrollmentId, from: '2026-09-02', to: '2026-09-02' }).set(bearer(office));
      expect(list.body.items.find((x: { id: string }) => x.id === id)).toMatchObject({ revision: 4, summary: '訂正後の記録' });
      const audit = await t.sql(`SELECT action, changed_fields FROM audit_events WHERE $1 = ANY(entity_ids) AND action = 'update' ORDER BY id`, [id]);
      expect(audit).toEqual([
        { action: 'update', changed_fields: ['minutes'] },
        { action: 'update', changed_fields: ['kind', 'place', 'summary'] },
        { action: 'update', changed_fields: ['startTime'] },
      ]);
    });

    it('clears an optional field with null', async () => {
      const id = (await postContact(t, office, enrollmentId, contactBody({ startTime: '10:00' }))).body.id;
      const res = await amend(t, office, id, { startTime: null, minutes: null, reason: '不明のため削除' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ startTime: null, minutes: null, revision: 2 });
    });

    it('serializes parallel amendments: every one gets its own revision', async () => {
      const id = (await postContact(t, office, enrollmentId, contactBody({ minutes: 10 }))).body.id;
      const results = await Promise.all([11, 12, 13, 14, 15].map((m) => amend(t, office, id, { minutes: m, reason: `並行訂正${m}` })));
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      const revs = await t.sql<{ revision: number }>(`SELECT revision FROM contact_revisions WHERE contact_id = $1 ORDER BY revision`, [id]);
      expect(revs.map((r) => r.revision)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('answers 412 to a stale If-Match and writes nothing', async () => {
      const id = (await postContact(t, office, enrollmentId, contactBody())).body.id;
      expect((await amend(t, office, id, { minutes: 50, reason: '一回目' })).status).toBe(201);
      const stale = await amend(t, office, id, { minutes: 55, reason: '古い版から' }, { 'if-match': '"1"' });
      expect(stale.status).toBe(412);
      expect(await t.sql(`SELECT count(*)::int AS n FROM contact_revisions WHERE contact_id = $1`, [id])).toEqual([{ n: 2 }]);
    });

    it('replays an amendment sent twice with the same Idempotency-Key', async () => {
      const id = (await postContact(t, office, enrollmentId, contactBody())).body.id;
      const key = randomUUID();
      const a = await amend(t, office, id, { minutes: 70, reason: '再送' }, { 'idempotency-key': key });
      const b = await amend(t, office, id, { minutes: 70, reason: '再送' }, { 'idempotency-key': key });
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.text).toBe(a.text);
      expect(await t.sql(`SELECT count(*)::int AS n FROM contact_revisions WHERE contact_id = $1`, [id])).toEqual([{ n: 2 }]);
    });

    it.each([
      ['no reason', { minutes: 5 }, 400],
      ['a reason over 1,000 characters', { minutes: 5, reason: 'あ'.repeat(1001) }, 400],
      ['no corrected field', { reason: '理由のみ' }, 400],
      ['kind set to null', { kind: null, reason: 'x' }, 400],
      ['an unknown field', { mood: 'x', reason: 'x' }, 400],
      ['the same values as now', { minutes: 30, reason: '変更なし' }, 422],
      ['a date in the future', { occurredOn: '2099-01-01', reason: '日付訂正' }, 422],
      ['a date before the enrollment began', { occurredOn: '2026-01-01', reason: '日付訂正' }, 422],
      ['endsOn on a face-to-face contact', { endsOn: daysAgo(1), reason: '日付訂正' }, 422],
      ['an unknown staff member', { staffIds: [randomUUID()], reason: '担当者訂正' }, 422],
    ])('refuses an amendment with %s (→ %i), writing nothing', async (_label, body, status) => {
      const id = (await postContact(t, office, enrollmentId, contactBody({ minutes: 30, occurredOn: daysAgo(5) }))).body.id;
      const res = await amend(t, office, id, body);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(await t.sql(`SELECT count(*)::int AS n FROM contact_revisions WHERE contact_id = $1`, [id])).toEqual([{ n: 1 }]);
    });

    it('lets a trial stay be corrected to end later, and back to a one-day visit', async () => {
      const id = (await postContact(t, office, enrollmentId, contactBody({ kind: 'trial_stay', place: 'community', occurredOn: '2026-08-01', endsOn: '2026-08-02' }))).body.id;
      expect((await amend(t, office, id, { endsOn: '2026-08-04', reason: '延泊' })).body).toMatchObject({ endsOn: '2026-08-04', revision: 2 });
      expect((await amend(t, office, id, { kind: 'face_to_face', endsOn: null, reason: '種別訂正' })).body).toMatchObject({ kind: 'face_to_face', endsOn: null, revision: 3 });
    });

    it('answers 404 to an amendment of an unknown contact', async () => {
      expect((await amend(t, office, randomUUID(), { minutes: 5, reason: 'x' })).status).toBe(404);
    });
  });

  describe('an undated referral (enrollment created without startedOn)', () => {
    const enrollmentOf = async (id: string) => t.http().get(`${API}/enrollments/${id}`).set(bearer(office));

    it('accepts a contact dated before the registration, lowers startedOn to it and leaves the enrollment ETag alone', async () => {
      const p = await aPatient(t, { hospitalId: world.hospital.id });
      await anAdmission(t, { patientId: p.id, hospitalId: world.hospital.id });
      const created = await t.http().post(`${API}/enrollments`).set(bearer(psw)).set('idempotency-key', randomUUID())
        .send({ patientId: p.id, program: 'community_transition', teamId: world.team.id, supportOfficeId: world.office.id });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ startedOn: today(), startedOnRecorded: false });
      const id = created.body.id as string;
      const etag = created.headers.etag as string;

      const early = await postContact(t, office, id, contactBody({ occurredOn: daysAgo(100) }));
      expect(early.status).toBe(201);
      expect(early.body.occurredOn).toBe(daysAgo(100));
      let e = await enrollmentOf(id);
      expect(e.body).toMatchObject({ startedOn: daysAgo(100), startedOnRecorded: false, version: 1 });
      expect(e.headers.etag).toBe(etag);

      // A later contact changes nothing; a contact in the future is still refused.
      expect((await postContact(t, office, id, contactBody({ occurredOn: daysAgo(50) }))).status).toBe(201);
      expect((await enrollmentOf(id)).body.startedOn).toBe(daysAgo(100));
      const future = await postContact(t, office, id, contactBody({ occurredOn: daysAgo(-1) }));
      expect(future.status).toBe(422);
      expect(future.body.errors.map((x: { field: string }) => x.field)).toEqual(['occurredOn']);

      // An amendment to an earlier date lowers it the same way.
      const amended = await amend(t, office, early.body.id, { occurredOn: daysAgo(120), reason: '日付訂正' });
      expect(amended.status).toBe(201);
      e = await enrollmentOf(id);
      expect(e.body).toMatchObject({ startedOn: daysAgo(120), version: 1 });
      expect(e.headers.etag).toBe(etag);
      const [row] = await t.sql(`SELECT to_char(started_on, 'YYYY-MM-DD') AS started_on, started_on_recorded, version FROM enrollments WHERE id = $1`, [id]);
      expect(row).toEqual({ started_on: daysAgo(120), started_on_recorded: false, version: 1 });
      const audits = await t.sql<{ details: { startedOn: string } }>(
        `SELECT details FROM audit_events WHERE entity_type = 'enrollment' AND action = 'update' AND $1 = ANY(entity_ids) ORDER BY occurred_at`,
        [id],
      );
      expect(audits.map((a) => a.details.startedOn)).toEqual([daysAgo(100), daysAgo(120)]);

      // The PSW's If-Match from before the contacts still holds.
      const moved = await t.http().post(`${API}/enrollments/${id}/transitions`).set(bearer(psw)).set('if-match', etag)
        .send({ to: 'engaged', occurredOn: daysAgo(110) });
      expect(moved.status).toBe(201);
      expect(moved.body).toMatchObject({ step: 'engaged', startedOn: daysAgo(120), version: 2 });
    });

    it('still refuses a contact before the start of a dated enrollment (startedOn given)', async () => {
      const p = await aPatient(t, { hospitalId: world.hospital.id });
      await anAdmission(t, { patientId: p.id, hospitalId: world.hospital.id });
      const created = await t.http().post(`${API}/enrollments`).set(bearer(psw)).set('idempotency-key', randomUUID())
        .send({ patientId: p.id, program: 'community_transition', teamId: world.team.id, supportOfficeId: world.office.id, startedOn: daysAgo(10) });
      expect(created.body.startedOnRecorded).toBe(true);
      const res = await postContact(t, office, created.body.id, contactBody({ occurredOn: daysAgo(11) }));
      expect(res.status).toBe(422);
      expect(res.body.detail).toMatch(/before the enrollment began/);
      expect(await countRows(t, 'contacts', created.body.id)).toBe(0);
      expect((await enrollmentOf(created.body.id)).body.startedOn).toBe(daysAgo(10));
    });
  });

  it('is documented in OpenAPI with the Idempotency-Key header', async () => {
    const doc = await t.http().get('/docs-json');
    const post = doc.body.paths['/api/v1/enrollments/{id}/contacts'].post;
    expect(post.parameters.some((p: { name: string; in: string; required: boolean }) => p.name === 'Idempotency-Key' && p.required)).toBe(true);
    expect(doc.body.paths['/api/v1/contacts/compliance'].get).toBeDefined();
    expect(doc.body.paths['/api/v1/contacts/{id}/amendments'].post).toBeDefined();
    expect(today()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('works with contacts inserted by the shared factory', async () => {
    const c = await aContact(t, { enrollmentId, createdById: office.id, occurredOn: '2026-05-05', summary: 'factory' });
    const res = await t.http().get(`${API}/contacts/${c.id}`).set(bearer(office));
    expect(res.body).toMatchObject({ id: c.id, summary: 'factory', history: [expect.objectContaining({ revision: 1 })] });
  });
});
