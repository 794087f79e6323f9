import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './helpers/app.js';
import { aUser, anOrganization, bearer, type TestUser } from './helpers/factories.js';

const API = '/api/v1';
const PROBLEM = /application\/problem\+json/;

describe('organizations', () => {
  let t: TestApp;
  let admin: TestUser;
  let psw: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await aUser(t, 'admin', null);
    const hospital = await anOrganization(t, { kind: 'hospital' });
    psw = await aUser(t, 'hospital_staff', hospital.id);
  });
  afterAll(() => t.close());

  const post = (body: unknown, user = admin) => t.http().post(`${API}/organizations`).set(bearer(user)).send(body as object);
  const countOrgs = async () => Number((await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM organizations'))[0].n);

  describe('create', () => {
    it('creates a hospital with its kind-specific fields and returns an ETag', async () => {
      const res = await post({ kind: 'hospital', name: '若葉こころ病院', nameKana: 'ワカバココロビョウイン', ward: '若葉区', psychiatricBeds: 320 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ kind: 'hospital', name: '若葉こころ病院', psychiatricBeds: 320, caseCapacity: null, version: 1 });
      expect(res.headers.etag).toBe('"1"');
      const rows = await t.sql(`SELECT psychiatric_beds FROM organizations WHERE id = $1`, [res.body.id]);
      expect(rows).toEqual([{ psychiatric_beds: 320 }]);
    });

    it('writes exactly one audit row for the create, with the actor', async () => {
      const res = await post({ kind: 'other', name: `監査-${Date.now()}` });
      const audit = await t.sql(`SELECT actor_id, action, entity_type FROM audit_events WHERE $1 = ANY(entity_ids)`, [res.body.id]);
      expect(audit).toEqual([{ actor_id: admin.id, action: 'create', entity_type: 'organization' }]);
    });

    it('refuses a duplicate name within a kind with 409, but allows it for another kind', async () => {
      expect((await post({ kind: 'support_office', name: '相談支援センターみどり', caseCapacity: 5 })).status).toBe(201);
      const dup = await post({ kind: 'support_office', name: '相談支援センターみどり' });
      expect(dup.status).toBe(409);
      expect(dup.headers['content-type']).toMatch(PROBLEM);
      expect((await post({ kind: 'other', name: '相談支援センターみどり' })).status).toBe(201);
    });

    it.each([
      ['caseCapacity on a hospital', { kind: 'hospital', name: 'x1', caseCapacity: 3 }, 'caseCapacity'],
      ['psychiatricBeds on a support office', { kind: 'support_office', name: 'x2', psychiatricBeds: 3 }, 'psychiatricBeds'],
      ['prefectureId on a hospital', { kind: 'hospital', name: 'x3', prefectureId: '00000000-0000-4000-8000-000000000000' }, 'prefectureId'],
    ])('refuses %s with a field error', async (_label, body, field) => {
      const before = await countOrgs();
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await countOrgs()).toBe(before);
    });

    it.each([
      ['an unknown kind', { kind: 'spaceship', name: 'x' }, 'kind'],
      ['an unknown field', { kind: 'other', name: 'x', hacker: true }, 'hacker'],
      ['a wrong type', { kind: 'other', name: 42 }, 'name'],
      ['a 10,000-character name', { kind: 'other', name: 'あ'.repeat(10000) }, 'name'],
      ['negative beds', { kind: 'hospital', name: 'x', psychiatricBeds: -1 }, 'psychiatricBeds'],
      ['fractional capacity', { kind: 'support_office', name: 'x', caseCapacity: 1.5 }, 'caseCapacity'],
      ['an impossible date', { kind: 'hospital', name: 'x', longStayAsOf: '2026-02-30' }, 'longStayAsOf'],
      ['kana in hiragana', { kind: 'other', name: 'x', nameKana: 'ひらがな' }, 'nameKana'],
      ['server-owned id', { kind: 'other', name: 'x', id: '00000000-0000-4000-8000-000000000000' }, 'id'],
    ])('answers 400 problem+json with field errors for %s, writing nothing', async (_label, body, field) => {
      const before = await countOrgs();
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ status: 400, title: 'Bad Request' });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await countOrgs()).toBe(before);
    });

    it('answers 400 problem+json to invalid JSON', async () => {
      const res = await t.http().post(`${API}/organizations`).set(bearer(admin)).set('content-type', 'application/json').send('{"kind": ');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    });

    it('answers 415 problem+json to a wrong content type', async () => {
      const res = await t.http().post(`${API}/organizations`).set(bearer(admin)).set('content-type', 'text/csv').send('kind,name');
      expect(res.status).toBe(415);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    });

    it('answers 413 problem+json to a 10 MB body', async () => {
      const res = await t
        .http()
        .post(`${API}/organizations`)
        .set(bearer(admin))
        .set('content-type', 'application/json')
        .send(JSON.stringify({ kind: 'other', name: 'x'.repeat(10 * 1024 * 1024) }));
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    });

    it('refuses writes by a non-admin with 403', async () => {
      const res = await post({ kind: 'other', name: 'psw-made' }, psw);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    });

    it('requires a municipality to name a prefecture as its prefecture (422), and a municipality as area (422)', async () => {
      const hospital = await anOrganization(t, { kind: 'hospital' });
      const bad = await post({ kind: 'municipality', name: `市-${Date.now()}`, prefectureId: hospital.id });
      expect(bad.status).toBe(422);
      const pref = await anOrganization(t, { kind: 'prefecture' });
      const badArea = await post({ kind: 'hospital', name: `病院-${Date.now()}`, municipalityId: pref.id });
      expect(badArea.status).toBe(422);
      const ok = await post({ kind: 'municipality', name: `市-ok-${Date.now()}`, prefectureId: pref.id });
      expect(ok.status).toBe(201);
      expect(ok.body.prefectureId).toBe(pref.id);
      const unknown = await post({ kind: 'hospital', name: `病院2-${Date.now()}`, municipalityId: '00000000-0000-4000-8000-000000000000' });
      expect(unknown.status).toBe(404);
    });
  });

  describe('read', () => {
    it('404 problem+json for an unknown id, 400 for a non-UUID id', async () => {
      const missing = await t.http().get(`${API}/organizations/00000000-0000-4000-8000-000000000000`).set(bearer(psw));
      expect(missing.status).toBe(404);
      expect(missing.headers['content-type']).toMatch(PROBLEM);
      const bad = await t.http().get(`${API}/organizations/not-a-uuid`).set(bearer(psw));
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(PROBLEM);
    });

    it('404 problem+json for an unknown route', async () => {
      const res = await t.http().get(`${API}/no-such-route`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.instance).toBe(`${API}/no-such-route`);
    });
  });

  describe('list', () => {
    it('walks 250 rows with keyset pagination: no duplicate, no missing row', async () => {
      const values = Array.from({ length: 250 }, (_, i) => `('other', 'page-${String(i).padStart(3, '0')}', '稲毛区')`).join(',');
      await t.sql(`INSERT INTO organizations (kind, name, ward) VALUES ${values}`);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { status: number; body: { items: { name: string }[]; nextCursor: string | null } } = await t
          .http()
          .get(`${API}/organizations`)
          .query({ ward: '稲毛区', limit: 33, ...(cursor ? { cursor } : {}) })
          .set(bearer(psw));
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((o) => o.name));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(pages).toBe(8);
      expect(new Set(seen).size).toBe(250);
      expect(seen).toEqual([...seen].sort());
    });

    it('filters by kind and by q on name and kana', async () => {
      await anOrganization(t, { kind: 'nurse_station', name: '訪問看護ステーションひまわり' });
      const res = await t.http().get(`${API}/organizations`).query({ kind: 'nurse_station', q: 'ひまわり' }).set(bearer(psw));
      expect(res.status).toBe(200);
      expect(res.body.items.map((o: { name: string }) => o.name)).toEqual(['訪問看護ステーションひまわり']);
    });

    it.each([
      ['limit=0', { limit: 0 }],
      ['limit=100000', { limit: 100000 }],
      ['a tampered cursor', { cursor: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
      ['garbage cursor', { cursor: '%%%garbage' }],
      ['an unknown kind', { kind: 'castle' }],
    ])('answers 400 problem+json to %s', async (_label, query) => {
      const res = await t.http().get(`${API}/organizations`).query(query).set(bearer(psw));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    });
  });

  describe('update with If-Match', () => {
    it('applies a PATCH with the current ETag and refuses a stale one with 412', async () => {
      const made = await post({ kind: 'hospital', name: `更新病院-${Date.now()}`, psychiatricBeds: 100 });
      const etag = made.headers.etag;
      const first = await t.http().patch(`${API}/organizations/${made.body.id}`).set(bearer(admin)).set('if-match', etag).send({ psychiatricBeds: 130 });
      expect(first.status).toBe(200);
      expect(first.headers.etag).toBe('"2"');
      const second = await t.http().patch(`${API}/organizations/${made.body.id}`).set(bearer(admin)).set('if-match', etag).send({ psychiatricBeds: 140 });
      expect(second.status).toBe(412);
      expect(second.headers['content-type']).toMatch(PROBLEM);
      const [row] = await t.sql<{ psychiatric_beds: number }>(`SELECT psychiatric_beds FROM organizations WHERE id = $1`, [made.body.id]);
      expect(row.psychiatric_beds).toBe(130);
    });

    it('lets exactly one of 10 parallel PATCHes with the same If-Match win', async () => {
      const made = await post({ kind: 'other', name: `並行-${Date.now()}` });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          t.http().patch(`${API}/organizations/${made.body.id}`).set(bearer(admin)).set('if-match', '"1"').send({ address: `住所${i}` }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 412)).toHaveLength(9);
    });

    it('requires If-Match (428) and refuses changing the kind (400)', async () => {
      const made = await post({ kind: 'other', name: `種別-${Date.now()}` });
      const noMatch = await t.http().patch(`${API}/organizations/${made.body.id}`).set(bearer(admin)).send({ address: 'x' });
      expect(noMatch.status).toBe(428);
      const kind = await t.http().patch(`${API}/organizations/${made.body.id}`).set(bearer(admin)).set('if-match', '"1"').send({ kind: 'hospital' });
      expect(kind.status).toBe(400);
    });
  });
});
