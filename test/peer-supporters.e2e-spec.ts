import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './helpers/app.js';
import { aUser, anOrganization, bearer, type TestUser } from './helpers/factories.js';
import { aPeerSupporter, count } from './helpers/events-factories.js';

const API = '/api/v1';
const PROBLEM = /application\/problem\+json/;
const MISSING = '00000000-0000-4000-8000-000000000000';

describe('peer supporters', () => {
  let t: TestApp;
  let admin: TestUser;
  let city: TestUser;
  let otherCity: TestUser;
  let psw: TestUser;
  let office: TestUser;
  let cityId: string;
  let otherCityId: string;
  let officeId: string;
  let hospitalId: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await aUser(t, 'admin', null);
    cityId = (await anOrganization(t, { kind: 'municipality' })).id;
    otherCityId = (await anOrganization(t, { kind: 'municipality' })).id;
    officeId = (await anOrganization(t, { kind: 'support_office', municipalityId: cityId })).id;
    hospitalId = (await anOrganization(t, { kind: 'hospital' })).id;
    city = await aUser(t, 'municipal_officer', cityId);
    otherCity = await aUser(t, 'municipal_officer', otherCityId);
    psw = await aUser(t, 'hospital_staff', hospitalId);
    office = await aUser(t, 'support_office_staff', officeId);
  });
  afterAll(() => t.close());

  const post = (body: unknown, user = city) => t.http().post(`${API}/peer-supporters`).set(bearer(user)).send(body as object);
  const get = (id: string, user = city) => t.http().get(`${API}/peer-supporters/${id}`).set(bearer(user));
  const patch = (id: string, body: unknown, etag: string | undefined, user = city) => {
    const req = t.http().patch(`${API}/peer-supporters/${id}`).set(bearer(user));
    if (etag !== undefined) req.set('if-match', etag);
    return req.send(body as object);
  };

  describe('create', () => {
    it('registers a peer in the creating officer’s municipality, untrained, with an ETag and an audit row', async () => {
      const res = await post({ displayName: 'ピアA（仮名）', affiliationId: officeId });
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        displayName: 'ピアA（仮名）',
        affiliationId: officeId,
        municipalityId: cityId,
        trainedOn: null,
        trainedOutsideOn: null,
        employedById: null,
        employedSince: null,
        active: true,
        version: 1,
      });
      const rows = await t.sql(`SELECT municipality_id, display_name FROM peer_supporters WHERE id = $1`, [res.body.id]);
      expect(rows).toEqual([{ municipality_id: cityId, display_name: 'ピアA（仮名）' }]);
      const audit = await t.sql(`SELECT actor_id, action, entity_type FROM audit_events WHERE $1 = ANY(entity_ids)`, [res.body.id]);
      expect(audit).toEqual([{ actor_id: city.id, action: 'create', entity_type: 'peer_supporter' }]);
    });

    it('records peer employment (employer and since) and training done outside Kizuna', async () => {
      const res = await post({ displayName: 'ピアB', employedById: officeId, employedSince: '2025-10-01', trainedOutsideOn: '2019-03-10' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ employedById: officeId, employedSince: '2025-10-01', trainedOutsideOn: '2019-03-10', trainedOn: '2019-03-10' });
    });

    it('lets an admin name the municipality, and otherwise takes it from the affiliation', async () => {
      const named = await post({ displayName: 'ピアC', municipalityId: otherCityId }, admin);
      expect(named.status).toBe(201);
      expect(named.body.municipalityId).toBe(otherCityId);
      const derived = await post({ displayName: 'ピアD', affiliationId: officeId }, admin);
      expect(derived.status).toBe(201);
      expect(derived.body.municipalityId).toBe(cityId);
      const none = await post({ displayName: 'ピアE' }, admin);
      expect(none.body.municipalityId).toBeNull();
    });

    it('refuses an officer registering a peer for another municipality with 403, writing nothing', async () => {
      const before = await count(t, 'peer_supporters');
      const res = await post({ displayName: 'ピアX', municipalityId: otherCityId });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(await count(t, 'peer_supporters')).toBe(before);
    });

    it.each([
      ['an unknown affiliation', { displayName: 'x', affiliationId: MISSING }, 404],
      ['an unknown employer', { displayName: 'x', employedById: MISSING, employedSince: '2025-04-01' }, 404],
    ])('answers %s with 404 problem+json, writing nothing', async (_label, body, status) => {
      const before = await count(t, 'peer_supporters');
      const res = await post(body);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.detail).toMatch(/organization/);
      expect(await count(t, 'peer_supporters')).toBe(before);
    });

    it('answers 422 when an admin names a hospital as the municipality', async () => {
      const res = await post({ displayName: 'x', municipalityId: hospitalId }, admin);
      expect(res.status).toBe(422);
      expect(res.body.detail).toMatch(/municipality/);
    });

    it.each([
      ['an employer without a start date', { displayName: 'x', employedById: MISSING }, 'employedSince'],
      ['a start date without an employer', { displayName: 'x', employedSince: '2025-04-01' }, 'employedById'],
      ['the derived trainedOn', { displayName: 'x', trainedOn: '2025-04-01' }, 'trainedOn'],
      ['a 101-character name', { displayName: 'あ'.repeat(101) }, 'displayName'],
      ['a 10,000-character name', { displayName: 'あ'.repeat(10000) }, 'displayName'],
      ['an empty name', { displayName: '' }, 'displayName'],
      ['an impossible date', { displayName: 'x', trainedOutsideOn: '2026-13-01' }, 'trainedOutsideOn'],
      ['a malformed id', { displayName: 'x', affiliationId: 'not-a-uuid' }, 'affiliationId'],
      ['a server-owned field', { displayName: 'x', version: 7 }, 'version'],
    ])('answers 400 with a field error for %s, writing nothing', async (_label, body, field) => {
      const before = await count(t, 'peer_supporters');
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await count(t, 'peer_supporters')).toBe(before);
    });

    it('creates at most one peer for retries with the same Idempotency-Key', async () => {
      const before = await count(t, 'peer_supporters');
      const send = () => post({ displayName: 'ピア冪等' }).set('idempotency-key', 'peer-key-1');
      const first = await send();
      const again = await send();
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(first.body.id);
      expect(await count(t, 'peer_supporters')).toBe(before + 1);
    });
  });

  describe('access', () => {
    it('lets hospital and office staff read peers (to name them in contacts) but not write them', async () => {
      const peer = await aPeerSupporter(t, { municipalityId: cityId, displayName: 'ピア閲覧用' });
      for (const staff of [psw, office]) {
        const one = await get(peer.id, staff);
        expect(one.status).toBe(200);
        expect(one.body.displayName).toBe('ピア閲覧用');
        const list = await t.http().get(`${API}/peer-supporters?q=${encodeURIComponent('ピア閲覧用')}`).set(bearer(staff));
        expect(list.status).toBe(200);
        expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([peer.id]);
      }
      const before = await count(t, 'peer_supporters');
      const created = await post({ displayName: 'x' }, psw);
      expect(created.status).toBe(403);
      expect(created.headers['content-type']).toMatch(PROBLEM);
      expect(await count(t, 'peer_supporters')).toBe(before);
      const changed = await patch(peer.id, { displayName: 'changed' }, '"1"', office);
      expect(changed.status).toBe(403);
      expect((await t.sql(`SELECT display_name FROM peer_supporters WHERE id = $1`, [peer.id]))[0]).toEqual({ display_name: 'ピア閲覧用' });
    });

    it('refuses another municipality’s officer editing the peer with 403 (reading is fine)', async () => {
      const peer = await aPeerSupporter(t, { municipalityId: cityId });
      expect((await get(peer.id, otherCity)).status).toBe(200);
      const res = await patch(peer.id, { active: false }, '"1"', otherCity);
      expect(res.status).toBe(403);
      expect((await t.sql(`SELECT active, version FROM peer_supporters WHERE id = $1`, [peer.id]))[0]).toEqual({ active: true, version: 1 });
    });

    it('answers 401 without a token', async () => {
      const res = await t.http().get(`${API}/peer-supporters`);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    });
  });

  describe('update', () => {
    it('changes fields with If-Match, bumps the version and audits the changed field names only', async () => {
      const peer = await aPeerSupporter(t, { municipalityId: cityId, displayName: 'ピア更新' });
      const res = await patch(peer.id, { displayName: 'ピア更新', active: false, employedById: officeId, employedSince: '2026-04-01' }, '"1"');
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.body).toMatchObject({ active: false, employedById: officeId, employedSince: '2026-04-01', version: 2 });
      const audit = await t.sql<{ changed_fields: string[] }>(
        `SELECT changed_fields FROM audit_events WHERE $1 = ANY(entity_ids) AND action = 'update'`,
        [peer.id],
      );
      expect(audit.map((a) => [...a.changed_fields].sort())).toEqual([['active', 'employedById', 'employedSince']]);
    });

    it('ends peer employment when both fields are cleared, and refuses clearing only one', async () => {
      const peer = await aPeerSupporter(t, { municipalityId: cityId, employedById: officeId, employedSince: '2025-04-01' });
      const half = await patch(peer.id, { employedById: null }, '"1"');
      expect(half.status).toBe(400);
      expect(half.body.errors.map((e: { field: string }) => e.field)).toEqual(['employedById']);
      const both = await patch(peer.id, { employedById: null, employedSince: null }, '"1"');
      expect(both.status).toBe(200);
      expect(both.body).toMatchObject({ employedById: null, employedSince: null });
    });

    it('answers 428 without If-Match and 412 with a stale one, changing nothing', async () => {
      const peer = await aPeerSupporter(t, { municipalityId: cityId });
      expect((await patch(peer.id, { active: false }, undefined)).status).toBe(428);
      expect((await patch(peer.id, { active: false }, '"1"')).status).toBe(200);
      const stale = await patch(peer.id, { active: true }, '"1"');
      expect(stale.status).toBe(412);
      expect(stale.headers['content-type']).toMatch(PROBLEM);
      expect((await t.sql(`SELECT active FROM peer_supporters WHERE id = $1`, [peer.id]))[0]).toEqual({ active: false });
    });

    it.each([
      ['a null name', { displayName: null }, 400],
      ['nothing', {}, 400],
      ['an unknown affiliation', { affiliationId: MISSING }, 404],
    ])('refuses %s', async (_label, body, status) => {
      const peer = await aPeerSupporter(t, { municipalityId: cityId });
      const res = await patch(peer.id, body, '"1"');
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect((await t.sql(`SELECT version FROM peer_supporters WHERE id = $1`, [peer.id]))[0]).toEqual({ version: 1 });
    });

    it('answers 404 for an unknown peer and 400 for a malformed id', async () => {
      expect((await get(MISSING)).status).toBe(404);
      expect((await get('not-a-uuid')).status).toBe(400);
    });

    it('derives trainedOn from trainedOutsideOn when there is no training event', async () => {
      const peer = await aPeerSupporter(t, { municipalityId: cityId });
      const res = await patch(peer.id, { trainedOutsideOn: '2018-11-20' }, '"1"');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ trainedOutsideOn: '2018-11-20', trainedOn: '2018-11-20' });
      const cleared = await patch(peer.id, { trainedOutsideOn: null }, '"2"');
      expect(cleared.body).toMatchObject({ trainedOutsideOn: null, trainedOn: null });
    });
  });

  describe('list', () => {
    it('filters by municipality, trained and employed, and walks pages by name without repeats', async () => {
      const town = (await anOrganization(t, { kind: 'municipality' })).id;
      const made: string[] = [];
      for (let i = 0; i < 5; i++) {
        made.push(
          (await aPeerSupporter(t, {
            municipalityId: town,
            displayName: `頁${i}`,
            trainedOutsideOn: i % 2 === 0 ? '2020-01-01' : null,
            employedById: i === 4 ? officeId : null,
            employedSince: i === 4 ? '2024-01-01' : null,
          })).id,
        );
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await t.http()
          .get(`${API}/peer-supporters?municipalityId=${town}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
          .set(bearer(psw));
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((p: { id: string }) => p.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(made);
      const trained = await t.http().get(`${API}/peer-supporters?municipalityId=${town}&trained=true`).set(bearer(psw));
      expect(trained.body.items.map((p: { displayName: string }) => p.displayName)).toEqual(['頁0', '頁2', '頁4']);
      const employed = await t.http().get(`${API}/peer-supporters?municipalityId=${town}&employed=true`).set(bearer(psw));
      expect(employed.body.items.map((p: { displayName: string }) => p.displayName)).toEqual(['頁4']);
    });

    it('answers 400 to a tampered cursor and an unknown filter value', async () => {
      expect((await t.http().get(`${API}/peer-supporters?cursor=garbage`).set(bearer(psw))).status).toBe(400);
      expect((await t.http().get(`${API}/peer-supporters?trained=maybe`).set(bearer(psw))).status).toBe(400);
    });
  });
});
