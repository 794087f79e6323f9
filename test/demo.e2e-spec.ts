import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AccessPolicy } from '../src/auth/access-policy.js';
import type { Actor } from '../src/auth/actor.js';
import { TokensService } from '../src/auth/tokens.service.js';
import { verifyPassword } from '../src/auth/passwords.js';
import { fiscalYearOf, fiscalYearRange, todayInTokyo } from '../src/common/dates.js';
import { loadConfig } from '../src/config/config.js';
import { demoBootstrapStep } from '../src/demo/demo.bootstrap.js';
import { loadDemoCity } from '../src/demo/demo-loader.js';
import { checkMove } from '../src/enrollments/programs.js';
import { startTestApp, type TestApp } from './helpers/app.js';

const TABLES = [
  'organizations', 'users', 'teams', 'team_members', 'patients', 'admissions', 'enrollments', 'enrollment_steps',
  'benefit_periods', 'peer_supporters', 'contacts', 'contact_revisions', 'events', 'event_attendance', 'event_peer_supporters',
  'indicator_targets',
];

describe('demo city (DEMO=1)', () => {
  let t: TestApp;
  let db: DataSource;
  let printed = '';
  let firstCounts: Record<string, number>;
  let loadMs = 0;

  const counts = async () => {
    const out: Record<string, number> = {};
    for (const table of TABLES) out[table] = Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);
    return out;
  };

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get<DataSource>(getDataSourceToken());
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      printed += String(chunk);
      return true;
    });
    try {
      const config = { ...loadConfig({ DATA_DIR: '/tmp/kizuna-demo-spec' }), demo: true };
      const started = Date.now();
      await demoBootstrapStep(t.app, config);
      loadMs = Date.now() - started;
      firstCounts = await counts();
      await demoBootstrapStep(t.app, config); // second start: nothing loaded, nothing printed
    } finally {
      write.mockRestore();
    }
  });

  afterAll(async () => {
    await t.close();
  });

  it('loads a city of the seed’s shape, fast', async () => {
    expect(firstCounts.patients).toBeGreaterThanOrEqual(150);
    expect(firstCounts.enrollments).toBeGreaterThanOrEqual(40);
    expect(firstCounts.contacts).toBeGreaterThan(500);
    const kinds = await t.sql<{ kind: string; n: string }>(
      `SELECT o.kind, count(*) AS n FROM organizations o JOIN organizations m ON m.id = o.municipality_id
       WHERE m.name = 'きずな市' GROUP BY o.kind ORDER BY o.kind`,
    );
    expect(Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]))).toEqual({ hospital: 5, support_office: 5, nurse_station: 3 });
    // 4 of the 5 hospitals matched into 4 teams of the city; the fifth not yet.
    const [teams] = await t.sql<{ teams: string; hospitals: string }>(
      `SELECT count(*) AS teams, count(DISTINCT hospital_id) AS hospitals FROM teams t JOIN organizations m ON m.id = t.municipality_id WHERE m.name = 'きずな市'`,
    );
    expect([Number(teams.teams), Number(teams.hospitals)]).toEqual([4, 4]);
    const municipalities = await t.sql<{ name: string; prefecture: string }>(
      `SELECT m.name, p.name AS prefecture FROM organizations m JOIN organizations p ON p.id = m.prefecture_id WHERE m.kind = 'municipality' ORDER BY m.name`,
    );
    expect(municipalities).toEqual([{ name: 'きずな市', prefecture: 'みずほ県' }, { name: 'はなみずき市', prefecture: 'みずほ県' }]);
    expect(loadMs).toBeLessThan(10_000); // typically < 1.5 s; generous on a shared 2-core machine
  });

  it('is idempotent: a second start and a second load write nothing', async () => {
    expect(await counts()).toEqual(firstCounts);
    const again = await loadDemoCity(db, { today: '2026-11-30', withAdmin: true });
    expect(again.created).toBe(false);
    expect(await counts()).toEqual(firstCounts);
    const [audit] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM audit_events WHERE entity_type = 'demo_city'`);
    expect(Number(audit.n)).toBe(1);
  });

  it('prints one account per role once, with working passwords and no patient data', async () => {
    const lines = printed.split('\n').filter((l) => l.includes('@kizuna-demo.example'));
    const roles = lines.map((l) => l.trim().split(/\s+/)[0]).sort();
    expect(roles).toEqual(['admin', 'hospital_staff', 'municipal_officer', 'municipal_officer', 'nurse_staff', 'prefectural_officer', 'support_office_staff']);
    const office = lines.find((l) => l.includes('support_office_staff'))!.trim().split(/\s+/);
    const [user] = await t.sql<{ password_hash: string }>(`SELECT password_hash FROM users WHERE email = $1`, [office[1]]);
    expect(await verifyPassword(user.password_hash, office[2])).toBe(true);
    const names = await t.sql<{ family_name: string; given_name: string }>(`SELECT family_name, given_name FROM patients`);
    for (const p of names) expect(printed).not.toContain(`${p.family_name}${p.given_name}`);
    expect(printed.match(/admin@kizuna-demo\.example/g)).toHaveLength(1); // printed once, not on the second start
  });

  it('covers every step of the three programmes with a consistent, legal history', async () => {
    const steps = await t.sql<{ program: string; step: string }>(`SELECT DISTINCT program, step FROM enrollments ORDER BY 1, 2`);
    expect(steps.map((s) => `${s.program}:${s.step}`).sort()).toEqual([
      'community_settlement:completed', 'community_settlement:granted', 'community_settlement:referred', 'community_settlement:supporting', 'community_settlement:withdrawn',
      'community_transition:applied', 'community_transition:completed', 'community_transition:discharged', 'community_transition:engaged', 'community_transition:granted',
      'community_transition:planned', 'community_transition:referred', 'community_transition:settling', 'community_transition:supporting', 'community_transition:withdrawn',
      'post_involuntary_support:completed', 'post_involuntary_support:discharged', 'post_involuntary_support:planned', 'post_involuntary_support:referred',
      'post_involuntary_support:supporting', 'post_involuntary_support:withdrawn',
    ]);
    const history = await t.sql<{ id: string; program: string; step: string; started_on: string; step_entered_on: string; moves: { from: string | null; to: string; on: string }[] }>(
      `SELECT e.id, e.program, e.step, e.started_on, e.step_entered_on,
              json_agg(json_build_object('from', s.from_step, 'to', s.to_step, 'on', s.occurred_on) ORDER BY s.created_at) AS moves
       FROM enrollments e JOIN enrollment_steps s ON s.enrollment_id = e.id GROUP BY e.id`,
    );
    for (const e of history) {
      expect(e.moves[0]).toMatchObject({ from: null, on: e.started_on });
      expect(e.moves[e.moves.length - 1]).toMatchObject({ to: e.step, on: e.step_entered_on });
      for (let i = 1; i < e.moves.length; i++) {
        expect(e.moves[i].from).toBe(e.moves[i - 1].to);
        expect(checkMove(e.program, e.moves[i].from!, e.moves[i].to).ok).toBe(true);
        expect(e.moves[i].on >= e.moves[i - 1].on).toBe(true);
      }
    }
    // A discharge step closed the admission on the same day.
    const [mismatch] = await t.sql<{ n: string }>(
      `SELECT count(*) AS n FROM enrollment_steps s JOIN enrollments e ON e.id = s.enrollment_id
       WHERE s.to_step = 'discharged' AND NOT EXISTS (SELECT 1 FROM admissions a WHERE a.patient_id = e.patient_id AND a.discharged_on = s.occurred_on)`,
    );
    expect(Number(mismatch.n)).toBe(0);
    const types = await t.sql<{ admission_type: string }>(`SELECT DISTINCT admission_type FROM admissions ORDER BY 1`);
    expect(types.map((r) => r.admission_type).sort()).toEqual(['emergency_involuntary', 'involuntary', 'medical_protection', 'urgent', 'voluntary']);
  });

  it('holds the seed’s baseline this fiscal year: 3 transition-programme sessions in 2 hospitals, and discharges', async () => {
    const [sessions] = await t.sql<{ n: string; hospitals: string }>(
      `SELECT count(*) AS n, count(DISTINCT hospital_id) AS hospitals FROM events ev JOIN organizations m ON m.id = ev.municipality_id
       WHERE m.name = 'きずな市' AND ev.kind = 'transition_program' AND ev.held_on >= $1::date`,
      [actualFyStart()],
    );
    expect([Number(sessions.n), Number(sessions.hospitals)]).toEqual([3, 2]);
    const [discharges] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM admissions WHERE discharged_on >= $1::date`, [actualFyStart()]);
    expect(Number(discharges.n)).toBeGreaterThanOrEqual(5);
    const [training] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM events WHERE kind = 'supporter_training' AND held_on >= $1::date`, [actualFyStart()]);
    expect(Number(training.n)).toBe(1);
    // Liaison conferences in June and November.
    const months = await t.sql<{ m: string }>(`SELECT DISTINCT to_char(held_on, 'MM') AS m FROM events WHERE kind = 'liaison_conference' ORDER BY 1`);
    expect(months.map((r) => r.m)).toEqual(['06', '11']);
  });

  it('shows the indicator sheet of the current fiscal year with non-zero actuals (through the reports API)', async () => {
    const [city] = await t.sql<{ id: string; organization_id: string }>(`SELECT id, organization_id FROM users WHERE email = 'city@kizuna-demo.example'`);
    const token = t.app.get(TokensService).signAccess({ userId: city.id, role: 'municipal_officer', organizationId: city.organization_id });
    const fy = fiscalYearOf(todayInTokyo());
    const res = await t.http().get(`/api/v1/reports/indicators?fiscalYear=${fy}`).set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    const items: { code: string; actual: number | string | null; baseline: number | null; target: number | null; targetSource: string }[] = res.body.indicators;
    const byCode = Object.fromEntries(items.map((i) => [i.code, i]));
    expect(byCode.transition_program_sessions).toMatchObject({ actual: 3, baseline: 3, target: 9, targetSource: 'municipality' });
    expect(byCode.transition_program_hospitals.actual).toBe(2);
    expect(byCode.supporter_training.actual).toBe(1);
    expect(Number(byCode.program_discharges.actual)).toBeGreaterThan(0);
  });

  it('has benefit periods about to expire and months at risk or missed under the monthly rule', async () => {
    const [expiring] = await t.sql<{ n: string }>(
      `SELECT count(*) AS n FROM benefit_periods b JOIN enrollments e ON e.id = b.enrollment_id
       WHERE e.is_active AND b.ends_on BETWEEN (now() AT TIME ZONE 'Asia/Tokyo')::date AND (now() AT TIME ZONE 'Asia/Tokyo')::date + 30`,
    );
    expect(Number(expiring.n)).toBeGreaterThanOrEqual(3);
    // Face-to-face days per enrollment-month while granted/planned/supporting (地域移行支援: ≥ 2 a month).
    const months = await t.sql<{ days: string }>(
      `SELECT count(DISTINCT c.occurred_on) AS days
       FROM enrollments e JOIN contacts c ON c.enrollment_id = e.id
       WHERE e.program = 'community_transition' AND e.is_active AND e.step IN ('granted', 'planned', 'supporting')
         AND c.kind IN ('face_to_face', 'accompanied_outing', 'trial_stay', 'trial_service_use', 'home_visit', 'peer_visit')
       GROUP BY e.id, date_trunc('month', c.occurred_on)`,
    );
    const short = months.filter((m) => Number(m.days) < 2).length;
    expect(short).toBeGreaterThan(0);
    expect(short).toBeLessThan(months.length / 4);
    const [amended] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM contacts c WHERE c.revision = 2 AND EXISTS (SELECT 1 FROM contact_revisions r WHERE r.contact_id = c.id AND r.revision = 1)`);
    expect(Number(amended.n)).toBeGreaterThan(0);
  });

  it('shows a support-office account only its own office’s enrollments', async () => {
    const [office] = await t.sql<{ id: string; organization_id: string }>(`SELECT id, organization_id FROM users WHERE email = 'office@kizuna-demo.example'`);
    const actor: Actor = { userId: office.id, role: 'support_office_staff', organizationId: office.organization_id };
    const policy = new AccessPolicy();
    const visible = await t.sql<{ support_office_id: string }>(`SELECT e.support_office_id FROM enrollments e WHERE ${policy.enrollmentScope(actor, 'e')}`);
    const [all] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM enrollments`);
    expect(visible.length).toBeGreaterThanOrEqual(5);
    expect(visible.length).toBeLessThan(Number(all.n));
    expect(new Set(visible.map((v) => v.support_office_id))).toEqual(new Set([office.organization_id]));

    // The same through the API, signed in with the printed password.
    const line = printed.split('\n').find((l) => l.includes('office@kizuna-demo.example'))!.trim().split(/\s+/);
    const login = await t.http().post('/api/v1/auth/login').send({ email: line[1], password: line[2] });
    expect(login.status).toBe(200);
    const list = await t.http().get('/api/v1/enrollments?limit=200').set('authorization', `Bearer ${login.body.accessToken}`);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(visible.length);
    expect(new Set(list.body.items.map((e: { supportOfficeId: string }) => e.supportOfficeId))).toEqual(new Set([office.organization_id]));
  });

  it('leaves the demo administrator out when ADMIN_EMAIL provides the administrator', async () => {
    const other = await startTestApp();
    let text = '';
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      text += String(chunk);
      return true;
    });
    try {
      const config = { ...loadConfig({ DATA_DIR: '/tmp/kizuna-demo-spec', ADMIN_EMAIL: 'root@city.example', ADMIN_PASSWORD: 'a-long-admin-password' }), demo: true };
      await demoBootstrapStep(other.app, config);
      const admins = await other.sql(`SELECT email FROM users WHERE role = 'admin'`);
      expect(admins).toEqual([]); // the ADMIN_EMAIL step (not run here) creates the administrator
      expect(text).not.toContain('admin@kizuna-demo.example');
      expect(text).toContain('office@kizuna-demo.example');
    } finally {
      write.mockRestore();
      await other.close();
    }
  });

  /** The bootstrap loads the demo relative to the real today (Asia/Tokyo): its fiscal year starts here. */
  function actualFyStart(): string {
    return fiscalYearRange(fiscalYearOf(todayInTokyo())).from;
  }
});
