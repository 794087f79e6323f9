import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './helpers/app.js';
import { anOrganization, aUser, bearer, type TestUser } from './helpers/factories.js';
import { anIp, fromIp } from './helpers/auth-factories.js';

const API = '/api/v1';
const PROBLEM = /application\/problem\+json/;

interface EventView {
  id: number;
  occurredAt: string;
  actorId: string | null;
  action: string;
  entityType: string | null;
  entityIds: string[];
  changedFields: string[] | null;
}

describe('the audit trail', () => {
  let t: TestApp;
  let admin: TestUser;
  let officer: TestUser;
  let orgIds: string[];

  beforeAll(async () => {
    t = await startTestApp();
    admin = await aUser(t, 'admin', null);
    const city = await anOrganization(t, { kind: 'municipality' });
    officer = await aUser(t, 'municipal_officer', city.id);
    // Eight writes through the API: 6 creates, 2 updates, each audited once.
    orgIds = [];
    for (let i = 0; i < 6; i++) {
      const res = await t.http().post(`${API}/organizations`).set(bearer(admin)).send({ kind: 'other', name: `監査テスト${i}` });
      orgIds.push(res.body.id);
    }
    for (const id of orgIds.slice(0, 2)) {
      await t.http().patch(`${API}/organizations/${id}`).set(bearer(admin)).set('if-match', '"1"').send({ phone: '043-000-0000' });
    }
  });
  afterAll(() => t.close());

  const list = (query = '', as: { token: string } = admin) => t.http().get(`${API}/audit-events${query}`).set(bearer(as));

  describe('each write', () => {
    it('produces exactly one row with the actor, role, organization, request id and IP', async () => {
      const ip = anIp();
      const res = await t
        .http()
        .post(`${API}/organizations`)
        .set(bearer(admin))
        .set(fromIp(ip))
        .set('x-request-id', 'audit-req-0001')
        .send({ kind: 'other', name: '監査一件' });
      expect(res.status).toBe(201);
      const rows = await t.sql(`SELECT * FROM audit_events WHERE $1 = ANY(entity_ids)`, [res.body.id]);
      expect(rows).toEqual([
        expect.objectContaining({
          actor_id: admin.id,
          actor_role: 'admin',
          actor_organization_id: null,
          action: 'create',
          entity_type: 'organization',
          entity_ids: [res.body.id],
          request_id: 'audit-req-0001',
          ip,
        }),
      ]);
    });

    it('writes nothing when the write is refused', async () => {
      const before = await t.sql(`SELECT count(*)::int AS n FROM audit_events`);
      expect((await t.http().post(`${API}/organizations`).set(bearer(officer)).send({ kind: 'other', name: 'x' })).status).toBe(403);
      expect((await t.http().post(`${API}/organizations`).set(bearer(admin)).send({ kind: 'other', name: 42 })).status).toBe(400);
      expect(await t.sql(`SELECT count(*)::int AS n FROM audit_events`)).toEqual(before);
    });
  });

  describe('append-only', () => {
    it.each([
      ['UPDATE', `UPDATE audit_events SET action = 'read'`],
      ['DELETE', `DELETE FROM audit_events`],
      ['TRUNCATE', `TRUNCATE audit_events`],
    ])('refuses %s through the application’s own database connection', async (_label, sql) => {
      const before = await t.sql(`SELECT count(*)::int AS n, max(id) AS max FROM audit_events`);
      await expect(t.app.get(DataSource).query(sql)).rejects.toThrow(/append-only/);
      await expect(t.sql(sql)).rejects.toThrow(/append-only/);
      expect(await t.sql(`SELECT count(*)::int AS n, max(id) AS max FROM audit_events`)).toEqual(before);
      expect(await t.sql(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'read'`)).toEqual([{ n: 0 }]);
    });
  });

  describe('GET /audit-events', () => {
    it('is for admins only: 403 for other roles, 401 without a token', async () => {
      const res = await list('', officer);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.items).toBeUndefined();
      expect((await t.http().get(`${API}/audit-events`)).status).toBe(401);
    });

    it('lists newest first and walks every page once (keyset on id)', async () => {
      const total = (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events`))[0].n;
      const ids: number[] = [];
      let cursor: string | null = null;
      do {
        const res: { status: number; body: { items: EventView[]; nextCursor: string | null } } = await list(
          `?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(res.status).toBe(200);
        ids.push(...res.body.items.map((e) => e.id));
        cursor = res.body.nextCursor;
      } while (cursor && ids.length < 1000);
      expect(ids).toHaveLength(total);
      expect([...ids].sort((a, b) => b - a)).toEqual(ids);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('shows each event with its fields and nothing else', async () => {
      const res = await list(`?entityId=${orgIds[0]}&action=update`);
      expect(res.body.items).toHaveLength(1);
      const e = res.body.items[0];
      expect(Object.keys(e).sort()).toEqual(
        ['action', 'actorId', 'actorOrganizationId', 'actorRole', 'changedFields', 'details', 'entityIds', 'entityType', 'id', 'ip', 'occurredAt', 'requestId'].sort(),
      );
      expect(e).toMatchObject({ actorId: admin.id, actorRole: 'admin', action: 'update', entityType: 'organization', entityIds: [orgIds[0]], changedFields: ['phone'] });
      expect(e.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });

    it('filters by actor, entity type, entity id and action', async () => {
      const byEntity = await list(`?entityId=${orgIds[1]}`);
      expect(byEntity.body.items.map((e: EventView) => e.action)).toEqual(['update', 'create']);
      const updates = await list(`?action=update&entityType=organization&actorId=${admin.id}`);
      expect(updates.body.items.map((e: EventView) => e.entityIds[0]).sort()).toEqual(orgIds.slice(0, 2).sort());
      expect((await list(`?actorId=${officer.id}`)).body.items).toEqual([]);
      expect((await list(`?entityType=patient`)).body.items).toEqual([]);
    });

    it('filters by time: dates are whole days in Tokyo, instants are exact', async () => {
      await t.sql(`INSERT INTO audit_events (occurred_at, action, entity_type) VALUES ('2026-03-31T14:59:59Z', 'export', 'report')`); // 23:59:59 JST on 31 Mar
      await t.sql(`INSERT INTO audit_events (occurred_at, action, entity_type) VALUES ('2026-03-31T15:00:00Z', 'export', 'report')`); // 00:00 JST on 1 Apr
      const april1 = await list(`?action=export&from=2026-04-01&to=2026-04-01`);
      expect(april1.body.items.map((e: EventView) => e.occurredAt)).toEqual(['2026-03-31T15:00:00.000Z']);
      const march31 = await list(`?action=export&to=2026-03-31`);
      expect(march31.body.items.map((e: EventView) => e.occurredAt)).toEqual(['2026-03-31T14:59:59.000Z']);
      const exact = await list(`?action=export&from=${encodeURIComponent('2026-03-31T23:59:59+09:00')}&to=${encodeURIComponent('2026-03-31T23:59:59+09:00')}`);
      expect(exact.body.items).toHaveLength(1);
      expect((await list(`?action=export&from=2026-04-02`)).body.items).toEqual([]);
    });

    it.each([
      ['an unknown action', '?action=hack'],
      ['a malformed actor id', '?actorId=42'],
      ['a malformed entity id', "?entityId=' OR 1=1 --"],
      ['an entity type with SQL', "?entityType=x' OR '1'='1"],
      ['an impossible date', '?from=2026-02-30'],
      ['an instant without offset', '?from=2026-04-01T09:00:00'],
      ['from after to', '?from=2026-04-02&to=2026-04-01'],
      ['limit 0', '?limit=0'],
      ['limit 201', '?limit=201'],
      ['a tampered cursor', '?cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
      ['an unknown parameter', '?secret=1'],
    ])('answers 400 problem+json for %s', async (_label, query) => {
      const res = await list(query);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.items).toBeUndefined();
    });
  });
});
