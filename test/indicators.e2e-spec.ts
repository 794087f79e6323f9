import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './helpers/app.js';
import { aWorld, anEnrollment, type World } from './helpers/domain-factories.js';
import { aUser, anOrganization, bearer, type TestUser } from './helpers/factories.js';
import {
  API,
  aCase,
  aContactOn,
  aJourney,
  aPeer,
  aStay,
  anEventOn,
  csvText,
} from './helpers/reports-test-helpers.js';

/**
 * The indicator sheet (指標 / 設定理由 / 現状値 / 目標値 / 実績) of 千葉市 for FY2024 (2024-04-01 … 2025-03-31), and the
 * targets behind it. Actuals are worked out by hand next to the data.
 */
describe('indicator sheet and targets', () => {
  let t: TestApp;
  let admin: TestUser;
  let officer: TestUser; // 千葉市
  let otherOfficer: TestUser; // 市原市
  let psw: TestUser;
  let city: { id: string };
  let other: { id: string };
  let h1: { id: string };
  let h2: { id: string };
  let h3: { id: string };
  let w1: World;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await aUser(t, 'admin', null);
    city = await anOrganization(t, { kind: 'municipality', name: '千葉市' });
    other = await anOrganization(t, { kind: 'municipality', name: '市原市' });
    officer = await aUser(t, 'municipal_officer', city.id);
    otherOfficer = await aUser(t, 'municipal_officer', other.id);
    // Three hospitals in 千葉市's area (H3 on no team), one in 市原市's. Long-stay inpatients 120 + 80 + 50 = 250.
    h1 = await anOrganization(t, { kind: 'hospital', name: 'あおば病院', municipalityId: city.id });
    h2 = await anOrganization(t, { kind: 'hospital', name: 'いなげ病院', municipalityId: city.id });
    h3 = await anOrganization(t, { kind: 'hospital', name: 'うみべ病院', municipalityId: city.id });
    const h4 = await anOrganization(t, { kind: 'hospital', name: 'えびす病院', municipalityId: other.id });
    for (const [h, n, on] of [
      [h1, 120, '2024-06-30'],
      [h2, 80, '2024-06-30'],
      [h3, 50, '2024-09-30'],
      [h4, 30, '2024-06-30'],
    ] as const) {
      await t.sql(`UPDATE organizations SET long_stay_inpatients = $2, long_stay_as_of = $3 WHERE id = $1`, [
        h.id,
        n,
        on,
      ]);
    }
    psw = await aUser(t, 'hospital_staff', h1.id);
    w1 = await aWorld(t, { municipalityId: city.id, hospitalId: h1.id });
    const w2 = await aWorld(t, { municipalityId: city.id, hospitalId: h2.id });
    const w4 = await aWorld(t, { municipalityId: other.id, hospitalId: h4.id });

    // Peer supporters of 千葉市: A employed since 2024-10-01 (counts); B from 2025-04-01 (after the year); C not
    // employed; D employed but inactive. E belongs to 市原市. → peers employed: 1.
    const peerA = await aPeer(t, {
      municipalityId: city.id,
      employedById: w1.office.id,
      employedSince: '2024-10-01',
    });
    await aPeer(t, { municipalityId: city.id, employedById: w1.office.id, employedSince: '2025-04-01' });
    await aPeer(t, { municipalityId: city.id });
    await aPeer(t, {
      municipalityId: city.id,
      employedById: w1.office.id,
      employedSince: '2023-01-01',
      active: false,
    });
    const peerE = await aPeer(t, {
      municipalityId: other.id,
      employedById: w4.office.id,
      employedSince: '2024-05-01',
    });

    // Events of 千葉市 in FY2024: transition-programme sessions at H1 ×2 (one with a peer) and at H2 on 31 March
    // 2025; one at H2 on 1 April 2025 is FY2025. Supporter training with a peer; a peer exchange with a peer; a
    // liaison conference without. 市原市's session at H4 is not 千葉市's.
    // → sessions 3 (H1 2, H2 1, H3 0), hospitals 2 of 3, training 1, events with peers 3.
    await anEventOn(t, {
      kind: 'transition_program',
      heldOn: '2024-05-10',
      hostId: h1.id,
      hospitalId: h1.id,
      municipalityId: city.id,
      peerIds: [peerA.id],
    });
    await anEventOn(t, {
      kind: 'transition_program',
      heldOn: '2024-09-10',
      hostId: h1.id,
      hospitalId: h1.id,
      municipalityId: city.id,
    });
    await anEventOn(t, {
      kind: 'transition_program',
      heldOn: '2025-03-31',
      hostId: h2.id,
      hospitalId: h2.id,
      municipalityId: city.id,
    });
    await anEventOn(t, {
      kind: 'transition_program',
      heldOn: '2025-04-01',
      hostId: h2.id,
      hospitalId: h2.id,
      municipalityId: city.id,
    });
    await anEventOn(t, {
      kind: 'supporter_training',
      heldOn: '2024-11-01',
      hostId: city.id,
      municipalityId: city.id,
      peerIds: [peerA.id],
    });
    await anEventOn(t, {
      kind: 'peer_exchange',
      heldOn: '2024-12-01',
      hostId: city.id,
      municipalityId: city.id,
      peerIds: [peerA.id],
    });
    await anEventOn(t, {
      kind: 'liaison_conference',
      heldOn: '2024-06-01',
      hostId: city.id,
      municipalityId: city.id,
    });
    await anEventOn(t, {
      kind: 'transition_program',
      heldOn: '2024-06-01',
      hostId: h4.id,
      hospitalId: h4.id,
      municipalityId: other.id,
      peerIds: [peerE.id],
    });

    // Discharges through the programme in FY2024: P1 (E1 discharged 2024-08-01). P2 is discharged without one.
    // Contacts with a peer in FY2024: E1's peer visit and face-to-face with a peer → 2 (one in FY2023 does not
    // count; 市原市's does not either). → peer involvement 2 + 3 = 5.
    const p1 = await aCase(t, w1);
    await aStay(t, {
      patientId: p1.id,
      hospitalId: h1.id,
      admittedOn: '2023-01-01',
      dischargedOn: '2024-08-01',
    });
    const e1 = await anEnrollment(t, { patientId: p1.id, world: w1, startedOn: '2024-01-15' });
    await aJourney(t, e1.id, [
      ['supporting', '2024-02-01'],
      ['discharged', '2024-08-01'],
    ]);
    await aContactOn(t, {
      enrollmentId: e1.id,
      kind: 'peer_visit',
      occurredOn: '2024-05-01',
      peerIds: [peerA.id],
    });
    await aContactOn(t, {
      enrollmentId: e1.id,
      kind: 'face_to_face',
      occurredOn: '2024-06-01',
      peerIds: [peerA.id],
    });
    await aContactOn(t, {
      enrollmentId: e1.id,
      kind: 'face_to_face',
      occurredOn: '2024-03-01',
      peerIds: [peerA.id],
    });
    const p2 = await aCase(t, w2);
    await aStay(t, {
      patientId: p2.id,
      hospitalId: h2.id,
      admittedOn: '2024-01-01',
      dischargedOn: '2024-09-01',
    });
    const p4 = await aCase(t, w4);
    const e4 = await anEnrollment(t, { patientId: p4.id, world: w4, startedOn: '2024-04-01' });
    await aContactOn(t, {
      enrollmentId: e4.id,
      kind: 'peer_visit',
      occurredOn: '2024-05-01',
      peerIds: [peerE.id],
    });
  });
  afterAll(() => t.close());

  const sheet = async (user: TestUser, query = 'fiscalYear=2024') => {
    const res = await t.http().get(`${API}/reports/indicators?${query}`).set(bearer(user));
    expect(res.status).toBe(200);
    return res.body as { targetsMunicipalityId: string | null; indicators: Record<string, unknown>[] };
  };
  const indicator = (body: { indicators: Record<string, unknown>[] }, code: string) =>
    body.indicators.find((i) => i.code === code) as Record<string, unknown>;
  const put = (user: TestUser, fy: number | string, code: string, body: object, ifMatch?: string) => {
    const req = t.http().put(`${API}/indicator-targets/${fy}/${code}`).set(bearer(user));
    if (ifMatch) req.set('if-match', ifMatch);
    return req.send(body);
  };

  describe('the sheet with the seed’s defaults', () => {
    it('computes each actual from the data, with the seed’s reason, baseline and target', async () => {
      const body = await sheet(officer);
      expect(body.targetsMunicipalityId).toBe(city.id);
      expect(body.indicators.map((i) => i.code)).toEqual([
        'transition_program_sessions',
        'transition_program_hospitals',
        'peer_involvement',
        'supporter_training',
        'peers_employed',
        'program_discharges',
        'long_stay_inpatients',
      ]);
      expect(indicator(body, 'transition_program_sessions')).toMatchObject({
        name: '地域移行支援プログラムの実施',
        reason: '広く医療機関が絡んだプログラムの実績がない',
        baseline: 3,
        baselineText: '３件（２病院）',
        target: 9,
        targetText: '９件（各病院１件）',
        targetSource: 'default',
        targetVersion: null,
        actual: 3,
        met: false,
        everyHospitalHasSession: false,
        perHospital: [
          { hospitalId: h1.id, hospitalName: 'あおば病院', sessions: 2 },
          { hospitalId: h2.id, hospitalName: 'いなげ病院', sessions: 1 },
          { hospitalId: h3.id, hospitalName: 'うみべ病院', sessions: 0 },
        ],
      });
      // Default target: every hospital of the city (3).
      expect(indicator(body, 'transition_program_hospitals')).toMatchObject({
        actual: 2,
        target: 3,
        baseline: 2,
        met: false,
      });
      expect(indicator(body, 'peer_involvement')).toMatchObject({
        reason: '活用モデルとして確立していない',
        target: null,
        actual: 5,
        met: null,
        breakdown: { contacts: 2, events: 3 },
      });
      expect(indicator(body, 'supporter_training')).toMatchObject({
        reason: '未実施',
        baseline: 0,
        baselineText: '未実施',
        target: 1,
        targetText: '１回',
        actual: 1,
        met: true,
      });
      expect(indicator(body, 'peers_employed')).toMatchObject({ actual: 1, met: null });
      expect(indicator(body, 'program_discharges')).toMatchObject({ actual: 1 });
      expect(indicator(body, 'long_stay_inpatients')).toMatchObject({
        direction: 'lower',
        actual: 250,
        asOf: '2024-09-30',
        met: null,
      });
    });

    it('counts the session of 31 March and not that of 1 April', async () => {
      const fy2025 = await sheet(officer, 'fiscalYear=2025');
      expect(indicator(fy2025, 'transition_program_sessions')).toMatchObject({ actual: 1 });
    });

    it('gives the administrator every municipality’s figures', async () => {
      const body = await sheet(admin);
      expect(body.targetsMunicipalityId).toBeNull();
      // + 市原市's session at H4 (with a peer), its peer visit and its employed peer; H4's 30 long-stay inpatients.
      expect(indicator(body, 'transition_program_sessions')).toMatchObject({ actual: 4 });
      expect(indicator(body, 'peer_involvement')).toMatchObject({
        actual: 7,
        breakdown: { contacts: 3, events: 4 },
      });
      expect(indicator(body, 'peers_employed')).toMatchObject({ actual: 2 });
      expect(indicator(body, 'long_stay_inpatients')).toMatchObject({ actual: 280 });
    });

    it('suppresses small actuals for publication', async () => {
      const body = await sheet(officer, 'fiscalYear=2024&suppressBelow=5');
      expect(indicator(body, 'transition_program_sessions')).toMatchObject({
        actual: '<5',
        perHospital: expect.arrayContaining([expect.objectContaining({ hospitalId: h3.id, sessions: 0 })]),
      });
      expect(indicator(body, 'peer_involvement')).toMatchObject({ actual: 5 });
    });

    it('exports the sheet as CSV with the Japanese headings of the seed', async () => {
      const res = await t
        .http()
        .get(`${API}/reports/indicators?fiscalYear=2024&format=csv&lang=ja`)
        .set(bearer(officer))
        .buffer(true);
      const lines = csvText(res).replace('\uFEFF', '').trim().split('\n');
      expect(lines[0]).toBe('コード,指標,指標の設定理由,現状値,目標値,実績値,単位,達成,目標の設定元');
      expect(lines).toContain(
        'supporter_training,サポーター養成研修の実施,未実施,未実施,１回,1,回,true,default',
      );
      expect(lines).toContain(
        'long_stay_inpatients,長期入院患者数（入院期間1年以上）,長期入院患者を抱える病院と連携し、地域移行を進める,,,250,人,,default',
      );
    });
  });

  describe('PUT /indicator-targets/:fiscalYear/:code', () => {
    const body = {
      reason: '各病院での実施を目指す',
      baseline: 3,
      baselineText: '３件（２病院）',
      target: 3,
      targetText: '３件',
    };

    it('lets a municipal officer set their city’s target (201, ETag), audited, and the sheet uses it', async () => {
      const res = await put(officer, 2024, 'transition_program_sessions', body);
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        fiscalYear: 2024,
        code: 'transition_program_sessions',
        municipalityId: city.id,
        ...body,
        version: 1,
      });
      const audit = await t.sql(
        `SELECT actor_id, action, entity_type, details FROM audit_events WHERE $1 = ANY(entity_ids)`,
        [res.body.id],
      );
      expect(audit).toEqual([
        {
          actor_id: officer.id,
          action: 'create',
          entity_type: 'indicator_target',
          details: { fiscalYear: 2024, code: 'transition_program_sessions', municipalityId: city.id },
        },
      ]);
      expect(indicator(await sheet(officer), 'transition_program_sessions')).toMatchObject({
        reason: '各病院での実施を目指す',
        target: 3,
        targetText: '３件',
        targetSource: 'municipality',
        targetVersion: 1,
        actual: 3,
        met: true,
      });
      // 市原市's sheet still shows the defaults.
      expect(indicator(await sheet(otherOfficer), 'transition_program_sessions')).toMatchObject({
        target: 9,
        targetSource: 'default',
      });
    });

    it('replaces the row on the next PUT (200, version 2; absent fields become null)', async () => {
      const res = await put(officer, 2024, 'transition_program_sessions', { target: 4 });
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.body).toMatchObject({ target: 4, reason: null, baseline: null, version: 2 });
      const rows = await t.sql(
        `SELECT count(*)::int AS n FROM indicator_targets WHERE code = 'transition_program_sessions' AND municipality_id = $1`,
        [city.id],
      );
      expect(rows).toEqual([{ n: 1 }]);
    });

    it('honours an optional If-Match: stale → 412 and nothing changes; current → 200', async () => {
      const stale = await put(officer, 2024, 'transition_program_sessions', { target: 99 }, '"1"');
      expect(stale.status).toBe(412);
      expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(
        await t.sql(`SELECT target, version FROM indicator_targets WHERE municipality_id = $1`, [city.id]),
      ).toEqual([{ target: 4, version: 2 }]);
      const ok = await put(officer, 2024, 'transition_program_sessions', { target: 5 }, '"2"');
      expect(ok.status).toBe(200);
      expect(ok.body.version).toBe(3);
      const missing = await put(officer, 2024, 'supporter_training', { target: 2 }, '"1"');
      expect(missing.status).toBe(412);
    });

    it('lets an admin set the deployment-wide default (one row, whatever the retries) and a city’s row', async () => {
      expect(
        (await put(admin, 2024, 'long_stay_inpatients', { target: 300, targetText: '300人以下' })).status,
      ).toBe(201);
      expect((await put(admin, 2024, 'long_stay_inpatients', { target: 260 })).status).toBe(200);
      expect(
        await t.sql(
          `SELECT count(*)::int AS n FROM indicator_targets WHERE code = 'long_stay_inpatients' AND municipality_id IS NULL`,
        ),
      ).toEqual([{ n: 1 }]);
      // Lower is better: 250 ≤ 260 is met for 千葉市 (deployment row), 280 > 260 is not for the whole deployment.
      expect(indicator(await sheet(officer), 'long_stay_inpatients')).toMatchObject({
        target: 260,
        targetSource: 'deployment',
        met: true,
      });
      expect(indicator(await sheet(admin), 'long_stay_inpatients')).toMatchObject({
        target: 260,
        met: false,
      });
      const forCity = await put(admin, 2024, 'long_stay_inpatients', {
        target: 200,
        municipalityId: city.id,
      });
      expect(forCity.status).toBe(201);
      expect(indicator(await sheet(officer), 'long_stay_inpatients')).toMatchObject({
        target: 200,
        targetSource: 'municipality',
        met: false,
      });
    });

    it.each([
      [
        'a municipal officer naming another city',
        () => officer,
        2024,
        'peers_employed',
        () => ({ target: 1, municipalityId: other.id }),
        403,
      ],
      ['hospital staff', () => psw, 2024, 'peers_employed', () => ({ target: 1 }), 403],
      ['an unknown indicator', () => officer, 2024, 'happiness', () => ({ target: 1 }), 404],
      ['a year that is not a number', () => officer, 'abc', 'peers_employed', () => ({ target: 1 }), 400],
      ['a year out of range', () => officer, 1999, 'peers_employed', () => ({ target: 1 }), 400],
      [
        'a target that is not a number',
        () => officer,
        2024,
        'peers_employed',
        () => ({ target: 'nine' }),
        400,
      ],
      ['a negative target', () => officer, 2024, 'peers_employed', () => ({ target: -1 }), 400],
      [
        'a 2,000-character reason',
        () => officer,
        2024,
        'peers_employed',
        () => ({ reason: 'あ'.repeat(2000) }),
        400,
      ],
      ['an unknown field', () => officer, 2024, 'peers_employed', () => ({ target: 1, version: 7 }), 400],
      [
        'an admin naming a hospital as municipality',
        () => admin,
        2024,
        'peers_employed',
        () => ({ target: 1, municipalityId: h1.id }),
        422,
      ],
      [
        'an admin naming an unknown municipality',
        () => admin,
        2024,
        'peers_employed',
        () => ({ target: 1, municipalityId: '00000000-0000-4000-8000-000000000000' }),
        404,
      ],
    ])('refuses %s, writing nothing', async (_label, who, fy, code, payload, status) => {
      const before = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM indicator_targets`);
      const res = await put(who(), fy, code, payload());
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(await t.sql(`SELECT count(*)::int AS n FROM indicator_targets`)).toEqual(before);
    });
  });
});
