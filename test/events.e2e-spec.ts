import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './helpers/app.js';
import { aUser, anOrganization, bearer, type TestUser } from './helpers/factories.js';
import { aPeerSupporter, anEvent, count } from './helpers/events-factories.js';

const API = '/api/v1';
const PROBLEM = /application\/problem\+json/;
const MISSING = '00000000-0000-4000-8000-000000000000';

describe('events', () => {
  let t: TestApp;
  let admin: TestUser;
  let city: TestUser;
  let otherCity: TestUser;
  let psw: TestUser;
  let prefectural: TestUser;
  let cityId: string;
  let otherCityId: string;
  let hospitalId: string;
  let hospital2Id: string;
  let officeId: string;
  let stationId: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await aUser(t, 'admin', null);
    cityId = (await anOrganization(t, { kind: 'municipality' })).id;
    otherCityId = (await anOrganization(t, { kind: 'municipality' })).id;
    hospitalId = (await anOrganization(t, { kind: 'hospital', municipalityId: cityId })).id;
    hospital2Id = (await anOrganization(t, { kind: 'hospital' })).id;
    officeId = (await anOrganization(t, { kind: 'support_office' })).id;
    stationId = (await anOrganization(t, { kind: 'nurse_station' })).id;
    const prefectureId = (await anOrganization(t, { kind: 'prefecture' })).id;
    city = await aUser(t, 'municipal_officer', cityId);
    otherCity = await aUser(t, 'municipal_officer', otherCityId);
    psw = await aUser(t, 'hospital_staff', hospitalId);
    prefectural = await aUser(t, 'prefectural_officer', prefectureId);
  });
  afterAll(() => t.close());

  const base = () => ({ kind: 'liaison_conference', heldOn: '2026-07-01', title: '連携会議（第1回）', hostId: cityId });
  const post = (body: unknown, user = city) => t.http().post(`${API}/events`).set(bearer(user)).send(body as object);
  const get = (id: string, user = city) => t.http().get(`${API}/events/${id}`).set(bearer(user));
  const patch = (id: string, body: unknown, etag: string | undefined, user = city) => {
    const req = t.http().patch(`${API}/events/${id}`).set(bearer(user));
    if (etag !== undefined) req.set('if-match', etag);
    return req.send(body as object);
  };
  const getPeer = async (id: string) => (await t.http().get(`${API}/peer-supporters/${id}`).set(bearer(city))).body;
  const nothingWritten = async (work: () => Promise<void>) => {
    const before = [await count(t, 'events'), await count(t, 'event_attendance'), await count(t, 'event_peer_supporters')];
    await work();
    expect([await count(t, 'events'), await count(t, 'event_attendance'), await count(t, 'event_peer_supporters')]).toEqual(before);
  };

  describe('create', () => {
    it('records an event with attendance and peers in the officer’s municipality, audited', async () => {
      const p = await aPeerSupporter(t, { municipalityId: cityId });
      const res = await post({
        ...base(),
        attendance: [
          { organizationId: hospitalId, headcount: 3 },
          { organizationId: officeId, headcount: 0 },
        ],
        peerSupporterIds: [p.id],
        notes: '次回は10月',
      });
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        kind: 'liaison_conference',
        heldOn: '2026-07-01',
        fiscalYear: 2026,
        hostId: cityId,
        hospitalId: null,
        municipalityId: cityId,
        totalHeadcount: 3,
        peerSupporterIds: [p.id],
        notes: '次回は10月',
        version: 1,
      });
      expect([...res.body.attendance].sort((a: { headcount: number }, b: { headcount: number }) => a.headcount - b.headcount)).toEqual([
        { organizationId: officeId, headcount: 0 },
        { organizationId: hospitalId, headcount: 3 },
      ]);
      const rows = await t.sql(`SELECT organization_id, headcount FROM event_attendance WHERE event_id = $1 ORDER BY headcount`, [res.body.id]);
      expect(rows).toEqual([
        { organization_id: officeId, headcount: 0 },
        { organization_id: hospitalId, headcount: 3 },
      ]);
      const audit = await t.sql(`SELECT actor_id, action, entity_type FROM audit_events WHERE $1 = ANY(entity_ids)`, [res.body.id]);
      expect(audit).toEqual([{ actor_id: city.id, action: 'create', entity_type: 'event' }]);
      // A liaison conference does not train anyone.
      expect((await getPeer(p.id)).trainedOn).toBeNull();
    });

    it('lets an admin name the municipality, and otherwise takes the host’s', async () => {
      const named = await post({ ...base(), municipalityId: otherCityId }, admin);
      expect(named.status).toBe(201);
      expect(named.body.municipalityId).toBe(otherCityId);
      const fromHost = await post({ ...base(), hostId: hospitalId }, admin);
      expect(fromHost.body.municipalityId).toBe(cityId);
    });

    it('creates at most one event for retries with the same Idempotency-Key', async () => {
      const before = await count(t, 'events');
      const send = () => post(base()).set('idempotency-key', 'event-key-1');
      const [a, b] = [await send(), await send()];
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.body.id).toBe(a.body.id);
      expect(await count(t, 'events')).toBe(before + 1);
    });
  });

  describe('kind-specific rules', () => {
    it('requires a hospital for a transition_program session (422, nothing written)', async () => {
      await nothingWritten(async () => {
        const res = await post({ ...base(), kind: 'transition_program', hostId: officeId });
        expect(res.status).toBe(422);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect(res.body.detail).toMatch(/hospitalId is required/);
      });
    });

    it('refuses a non-hospital as the hospital with 422 and an unknown one with 404', async () => {
      await nothingWritten(async () => {
        const office = await post({ ...base(), kind: 'transition_program', hospitalId: officeId });
        expect(office.status).toBe(422);
        expect(office.body.detail).toMatch(/hospitalId must name an organization of kind hospital/);
        const unknown = await post({ ...base(), kind: 'transition_program', hospitalId: MISSING });
        expect(unknown.status).toBe(404);
      });
    });

    it('accepts a transition_program session held in a hospital', async () => {
      const res = await post({ ...base(), kind: 'transition_program', title: '院内茶話会', hostId: officeId, hospitalId });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ kind: 'transition_program', hospitalId });
    });

    it('keeps the rule on PATCH: turning an event into transition_program needs a hospital, and it cannot be removed', async () => {
      const plain = (await post(base())).body;
      const toProgram = await patch(plain.id, { kind: 'transition_program' }, '"1"');
      expect(toProgram.status).toBe(422);
      const withHospital = await patch(plain.id, { kind: 'transition_program', hospitalId }, '"1"');
      expect(withHospital.status).toBe(200);
      const drop = await patch(plain.id, { hospitalId: null }, '"2"');
      expect(drop.status).toBe(422);
      expect((await t.sql(`SELECT kind, hospital_id, version FROM events WHERE id = $1`, [plain.id]))[0]).toEqual({
        kind: 'transition_program',
        hospital_id: hospitalId,
        version: 2,
      });
    });
  });

  describe('attendance validation', () => {
    it.each([
      ['a negative head count', [{ organizationId: MISSING, headcount: -3 }], 'attendance.0.headcount'],
      ['a fractional head count', [{ organizationId: MISSING, headcount: 1.5 }], 'attendance.0.headcount'],
      ['a head count as text', [{ organizationId: MISSING, headcount: '3' }], 'attendance.0.headcount'],
      ['a missing organization', [{ headcount: 3 }], 'attendance.0.organizationId'],
      ['an extra field', [{ organizationId: MISSING, headcount: 3, name: 'x' }], 'attendance.0.name'],
      ['the same organization twice', [{ organizationId: MISSING, headcount: 1 }, { organizationId: MISSING, headcount: 2 }], 'attendance'],
      ['a number instead of an entry', [3], 'attendance.0'],
      ['an object instead of a list', { organizationId: MISSING, headcount: 1 }, 'attendance'],
    ])('answers 400 with a field error for %s, writing nothing', async (_label, attendance, field) => {
      await nothingWritten(async () => {
        const res = await post({ ...base(), attendance });
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      });
    });

    it('answers 404 for an organization that does not exist, naming the entry, writing nothing', async () => {
      await nothingWritten(async () => {
        const res = await post({ ...base(), attendance: [{ organizationId: hospitalId, headcount: 2 }, { organizationId: MISSING, headcount: 1 }] });
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect(res.body.detail).toMatch(/attendance\.1\.organizationId/);
      });
    });

    it('replaces the attendance on PATCH', async () => {
      const ev = (await post({ ...base(), attendance: [{ organizationId: hospitalId, headcount: 4 }] })).body;
      const res = await patch(ev.id, { attendance: [{ organizationId: stationId, headcount: 2 }] }, '"1"');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ attendance: [{ organizationId: stationId, headcount: 2 }], totalHeadcount: 2, version: 2 });
      expect(await t.sql(`SELECT organization_id FROM event_attendance WHERE event_id = $1`, [ev.id])).toEqual([{ organization_id: stationId }]);
      const bad = await patch(ev.id, { attendance: [{ organizationId: stationId, headcount: -1 }] }, '"2"');
      expect(bad.status).toBe(400);
      expect(await t.sql(`SELECT headcount FROM event_attendance WHERE event_id = $1`, [ev.id])).toEqual([{ headcount: 2 }]);
    });
  });

  describe('bad input', () => {
    it.each([
      ['heldOn 2026-13-01', { heldOn: '2026-13-01' }, 'heldOn'],
      ['heldOn 2026-02-30', { heldOn: '2026-02-30' }, 'heldOn'],
      ['a 10,000-character title', { title: 'あ'.repeat(10000) }, 'title'],
      ['a 201-character title', { title: 'a'.repeat(201) }, 'title'],
      ['a 4,001-character note', { notes: 'n'.repeat(4001) }, 'notes'],
      ['an unknown kind', { kind: 'party' }, 'kind'],
      ['a malformed host', { hostId: 'city-hall' }, 'hostId'],
      ['a malformed peer id', { peerSupporterIds: ['nope'] }, 'peerSupporterIds'],
      ['a repeated peer', { peerSupporterIds: [MISSING, MISSING] }, 'peerSupporterIds'],
      ['a server-owned field', { version: 3 }, 'version'],
    ])('answers 400 problem+json for %s, writing nothing', async (_label, override, field) => {
      await nothingWritten(async () => {
        const res = await post({ ...base(), ...override });
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      });
    });

    it('answers 404 for an unknown host or peer supporter, writing nothing', async () => {
      await nothingWritten(async () => {
        const host = await post({ ...base(), hostId: MISSING });
        expect(host.status).toBe(404);
        expect(host.body.detail).toMatch(/hostId/);
        const p = await post({ ...base(), kind: 'supporter_training', peerSupporterIds: [MISSING] });
        expect(p.status).toBe(404);
        expect(p.body.detail).toMatch(/peer supporter/);
      });
    });

    it('refuses nulls for required fields and an empty PATCH', async () => {
      const ev = (await post(base())).body;
      for (const body of [{ title: null }, { heldOn: null }, { attendance: null }, {}]) {
        const res = await patch(ev.id, body, '"1"');
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(PROBLEM);
      }
      expect((await t.sql(`SELECT version FROM events WHERE id = $1`, [ev.id]))[0]).toEqual({ version: 1 });
    });
  });

  describe('training → trainedOn', () => {
    it('marks a listed peer trained on the date of a supporter_training event', async () => {
      const p = await aPeerSupporter(t, { municipalityId: cityId });
      const ev = await post({ ...base(), kind: 'supporter_training', title: 'ピアサポーター養成研修', heldOn: '2026-07-01', peerSupporterIds: [p.id] });
      expect(ev.status).toBe(201);
      const after = await getPeer(p.id);
      expect(after).toMatchObject({ trainedOn: '2026-07-01', version: 2 });
      expect(after.trainingSessions).toEqual([{ eventId: ev.body.id, heldOn: '2026-07-01', title: 'ピアサポーター養成研修' }]);
      const audit = await t.sql(
        `SELECT action, changed_fields, details->>'eventId' AS event_id FROM audit_events WHERE $1 = ANY(entity_ids) AND entity_type = 'peer_supporter'`,
        [p.id],
      );
      expect(audit).toEqual([{ action: 'update', changed_fields: ['trainedOn'], event_id: ev.body.id }]);
    });

    it('keeps the earliest training, and recomputes when a date moves, the peer is removed or the kind changes', async () => {
      const p = await aPeerSupporter(t, { municipalityId: cityId });
      const training = (heldOn: string) => post({ ...base(), kind: 'supporter_training', heldOn, peerSupporterIds: [p.id] });
      const late = (await training('2026-09-10')).body;
      const early = (await training('2026-05-20')).body;
      expect((await getPeer(p.id)).trainedOn).toBe('2026-05-20');

      // Moving the earlier session past the later one: the later one is now the first.
      expect((await patch(early.id, { heldOn: '2026-12-01' }, '"1"')).status).toBe(200);
      expect((await getPeer(p.id)).trainedOn).toBe('2026-09-10');

      // Removing the peer from that session: only the December one remains.
      expect((await patch(late.id, { peerSupporterIds: [] }, '"1"')).status).toBe(200);
      expect((await getPeer(p.id)).trainedOn).toBe('2026-12-01');

      // The December session was not a training after all.
      expect((await patch(early.id, { kind: 'peer_exchange' }, '"2"')).status).toBe(200);
      const none = await getPeer(p.id);
      expect(none.trainedOn).toBeNull();
      expect(none.trainingSessions).toEqual([]);
      expect((await t.sql(`SELECT trained_on FROM peer_supporters WHERE id = $1`, [p.id]))[0]).toEqual({ trained_on: null });
    });

    it('marks peers added to a training by PATCH, and keeps an earlier training done outside Kizuna', async () => {
      const fresh = await aPeerSupporter(t, { municipalityId: cityId });
      const veteran = await aPeerSupporter(t, { municipalityId: cityId, trainedOutsideOn: '2019-02-01' });
      const ev = (await post({ ...base(), kind: 'supporter_training', heldOn: '2026-08-08' })).body;
      const res = await patch(ev.id, { peerSupporterIds: [fresh.id, veteran.id] }, '"1"');
      expect(res.status).toBe(200);
      expect([...res.body.peerSupporterIds].sort()).toEqual([fresh.id, veteran.id].sort());
      expect((await getPeer(fresh.id)).trainedOn).toBe('2026-08-08');
      const v = await getPeer(veteran.id);
      expect(v).toMatchObject({ trainedOn: '2019-02-01', version: 1 });
      expect(v.trainingSessions.map((s: { eventId: string }) => s.eventId)).toEqual([ev.id]);
    });

    it('does not mark anyone trained at other kinds of event', async () => {
      const p = await aPeerSupporter(t, { municipalityId: cityId });
      for (const kind of ['peer_exchange', 'public_seminar', 'working_group']) {
        expect((await post({ ...base(), kind, peerSupporterIds: [p.id] })).status).toBe(201);
      }
      expect((await getPeer(p.id)).trainedOn).toBeNull();
    });
  });

  describe('access', () => {
    it('lets staff and prefectural officers read events but not write them (403, nothing written)', async () => {
      const ev = (await post(base())).body;
      for (const reader of [psw, prefectural]) {
        const one = await get(ev.id, reader);
        expect(one.status).toBe(200);
        expect(one.body.title).toBe('連携会議（第1回）');
        const list = await t.http().get(`${API}/events?limit=200`).set(bearer(reader));
        expect(list.status).toBe(200);
        expect(list.body.items.map((e: { id: string }) => e.id)).toContain(ev.id);
      }
      await nothingWritten(async () => {
        const created = await post({ ...base(), hostId: hospitalId }, psw);
        expect(created.status).toBe(403);
        expect(created.headers['content-type']).toMatch(PROBLEM);
      });
      const changed = await patch(ev.id, { title: 'x' }, '"1"', psw);
      expect(changed.status).toBe(403);
      expect((await t.sql(`SELECT title FROM events WHERE id = $1`, [ev.id]))[0]).toEqual({ title: '連携会議（第1回）' });
    });

    it('refuses another municipality’s officer: editing our event, or creating one for us (403)', async () => {
      const ev = (await post(base())).body;
      const edit = await patch(ev.id, { title: '乗っ取り' }, '"1"', otherCity);
      expect(edit.status).toBe(403);
      await nothingWritten(async () => {
        expect((await post({ ...base(), municipalityId: cityId }, otherCity)).status).toBe(403);
      });
      const move = await patch(ev.id, { municipalityId: otherCityId }, '"1"');
      expect(move.status).toBe(403);
      expect((await t.sql(`SELECT title, municipality_id FROM events WHERE id = $1`, [ev.id]))[0]).toEqual({
        title: '連携会議（第1回）',
        municipality_id: cityId,
      });
    });
  });

  describe('update', () => {
    it('needs If-Match (428), refuses a stale one (412), and audits the changed field names', async () => {
      const ev = (await post(base())).body;
      expect((await patch(ev.id, { title: '第2回' }, undefined)).status).toBe(428);
      const ok = await patch(ev.id, { title: '第2回', heldOn: '2026-07-01', notes: '議事録あり' }, '"1"');
      expect(ok.status).toBe(200);
      expect(ok.headers.etag).toBe('"2"');
      const stale = await patch(ev.id, { title: '第3回' }, '"1"');
      expect(stale.status).toBe(412);
      expect(stale.headers['content-type']).toMatch(PROBLEM);
      const audit = await t.sql<{ changed_fields: string[] }>(
        `SELECT changed_fields FROM audit_events WHERE $1 = ANY(entity_ids) AND action = 'update'`,
        [ev.id],
      );
      expect(audit.map((a) => [...a.changed_fields].sort())).toEqual([['notes', 'title']]);
      expect((await get(ev.id)).body).toMatchObject({ title: '第2回', notes: '議事録あり', version: 2 });
    });

    it('answers 404 for an unknown event', async () => {
      expect((await get(MISSING)).status).toBe(404);
      expect((await patch(MISSING, { title: 'x' }, '"1"')).status).toBe(404);
    });
  });

  it('is documented in OpenAPI with its errors, and the peer’s trainedOn is read-only there', async () => {
    const res = await t.http().get('/docs-json');
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    expect(Object.keys(paths['/api/v1/events/{id}'].patch.responses)).toEqual(expect.arrayContaining(['200', '403', '404', '412', '422', '428']));
    expect(Object.keys(paths['/api/v1/peer-supporters'].post.responses)).toEqual(expect.arrayContaining(['201', '400', '403', '404']));
    const schemas = res.body.components.schemas as Record<string, { properties: Record<string, unknown> }>;
    expect(Object.keys(schemas.CreatePeerSupporterDto.properties)).not.toContain('trainedOn');
    expect(Object.keys(schemas.PeerSupporterDetailView.properties)).toEqual(expect.arrayContaining(['trainedOn', 'trainingSessions']));
  });

  describe('list filters', () => {
    let town: string;
    const ids: Record<string, string> = {};
    const list = async (query: string) => {
      const res = await t.http().get(`${API}/events?municipalityId=${town}&${query}`).set(bearer(psw));
      expect(res.status).toBe(200);
      return res.body.items.map((e: { title: string }) => e.title);
    };

    beforeAll(async () => {
      town = (await anOrganization(t, { kind: 'municipality' })).id;
      const rows: [string, string, string, string | null][] = [
        ['fy25-last', '2026-03-31', 'liaison_conference', null],
        ['fy26-first', '2026-04-01', 'transition_program', hospitalId],
        ['fy26-mid', '2026-10-15', 'transition_program', hospital2Id],
        ['fy26-last', '2027-03-31', 'supporter_training', null],
        ['fy27-first', '2027-04-01', 'liaison_conference', null],
      ];
      for (const [title, heldOn, kind, hospital] of rows) {
        ids[title] = (await anEvent(t, { title, heldOn, kind, hostId: town, hospitalId: hospital, municipalityId: town })).id;
      }
    });

    it('splits fiscal years at 31 March / 1 April', async () => {
      expect(await list('fiscalYear=2025')).toEqual(['fy25-last']);
      expect(await list('fiscalYear=2026')).toEqual(['fy26-first', 'fy26-mid', 'fy26-last']);
      expect(await list('fiscalYear=2027')).toEqual(['fy27-first']);
    });

    it('filters by kind, hospital and from/to, combined with the fiscal year', async () => {
      expect(await list('kind=transition_program')).toEqual(['fy26-first', 'fy26-mid']);
      expect(await list(`hospitalId=${hospital2Id}`)).toEqual(['fy26-mid']);
      expect(await list('from=2026-03-31&to=2026-04-01')).toEqual(['fy25-last', 'fy26-first']);
      expect(await list('fiscalYear=2026&from=2026-05-01')).toEqual(['fy26-mid', 'fy26-last']);
      expect(await list('fiscalYear=2026&to=2026-03-31')).toEqual([]);
    });

    it('walks pages by (heldOn, id) without repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { status: number; body: { items: { title: string }[]; nextCursor: string | null } } = await t.http()
          .get(`${API}/events?municipalityId=${town}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
          .set(bearer(psw));
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((e: { title: string }) => e.title));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['fy25-last', 'fy26-first', 'fy26-mid', 'fy26-last', 'fy27-first']);
    });

    it.each([
      ['fiscalYear=abc'],
      ['fiscalYear=1999'],
      ['from=2026-13-01'],
      ['from=2026-05-02&to=2026-05-01'],
      ['kind=party'],
      ['cursor=garbage'],
      ['hospitalId=not-a-uuid'],
    ])('answers 400 problem+json to ?%s', async (query) => {
      const res = await t.http().get(`${API}/events?${query}`).set(bearer(psw));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    });
  });
});
