import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from './helpers/app.js';
import { anOrganization, aUser, bearer, type TestUser } from './helpers/factories.js';
import { A_PASSWORD, anAccount, auditRows, auth, login, refresh } from './helpers/auth-factories.js';
import { bootstrapAdmin } from '../src/users/bootstrap-admin.js';
import type { AppConfig } from '../src/config/config.js';

const API = '/api/v1';
const PROBLEM = /application\/problem\+json/;

describe('users', () => {
  let t: TestApp;
  let admin: TestUser;
  let hospital: { id: string };
  let office: { id: string };
  let city: { id: string };
  let prefecture: { id: string };
  let psw: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await aUser(t, 'admin', null);
    hospital = await anOrganization(t, { kind: 'hospital' });
    office = await anOrganization(t, { kind: 'support_office' });
    prefecture = await anOrganization(t, { kind: 'prefecture' });
    city = await anOrganization(t, { kind: 'municipality', prefectureId: prefecture.id });
    psw = await aUser(t, 'hospital_staff', hospital.id);
  });
  afterAll(() => t.close());

  let n = 0;
  const anEmail = () => `user${n++}.${Date.now()}@users.example`;
  const post = (body: object, as: { token: string } = admin) => t.http().post(`${API}/users`).set(bearer(as)).send(body);
  const patch = (id: string, body: object, ifMatch: string | null, as: { token: string } = admin) => {
    const req = t.http().patch(`${API}/users/${id}`).set(bearer(as));
    return (ifMatch === null ? req : req.set('if-match', ifMatch)).send(body);
  };
  const me = (token: string) => t.http().get(`${API}/me`).set(auth(token));
  const countUsers = async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM users`))[0].n;
  const valid = (o: object = {}) => ({ email: anEmail(), displayName: '山田 花子', role: 'hospital_staff', organizationId: hospital.id, password: A_PASSWORD, ...o });

  describe('POST /users', () => {
    it('creates a user with an argon2id hash and shows no password or hash', async () => {
      const body = valid();
      const res = await post(body);
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({ email: body.email, displayName: '山田 花子', role: 'hospital_staff', organizationId: hospital.id, active: true, version: 1, lockedUntil: null });
      expect(JSON.stringify(res.body)).not.toMatch(/password|hash|argon/i);
      const [row] = await t.sql<{ password_hash: string }>(`SELECT password_hash FROM users WHERE id = $1`, [res.body.id]);
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$/);
      expect(row.password_hash.split('$')[3].split(',').sort()).toEqual(['m=47104', 'p=1', 't=2']); // 46 MiB, 2 iterations
      expect((await login(t, body.email, A_PASSWORD)).status).toBe(200);
    });

    it('writes exactly one audit row with the admin as actor and no password', async () => {
      const res = await post(valid());
      const rows = await auditRows(t, `$1 = ANY(entity_ids)`, [res.body.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor_id: admin.id, actor_role: 'admin', action: 'create', entity_type: 'user' });
      expect(JSON.stringify(rows[0])).not.toContain(A_PASSWORD);
    });

    it('stores the email trimmed and refuses a case variant of an existing email with 409', async () => {
      const email = `Case.${Date.now()}@Users.example`;
      const res = await post(valid({ email: `  ${email}  ` }));
      expect(res.status).toBe(201);
      expect(res.body.email).toBe(email);
      const before = await countUsers();
      const dup = await post(valid({ email: email.toUpperCase() }));
      expect(dup.status).toBe(409);
      expect(dup.headers['content-type']).toMatch(PROBLEM);
      expect(await countUsers()).toBe(before);
    });

    it.each([
      ['a 10,000-character email', { email: 'e'.repeat(10000) + '@x.example' }, 'email'],
      ['a 10,000-character password', { password: 'Pw-'.repeat(3334) }, 'password'],
      ['a malformed email', { email: 'not-an-email' }, 'email'],
      ['an email of the wrong type', { email: 42 }, 'email'],
      ['a display name of 101 characters', { displayName: 'あ'.repeat(101) }, 'displayName'],
      ['a blank display name', { displayName: '   ' }, 'displayName'],
      ['a display name of the wrong type', { displayName: ['x'] }, 'displayName'],
      ['a role that does not exist', { role: 'superuser' }, 'role'],
      ['an organization id that is not a uuid', { organizationId: 'hospital-1' }, 'organizationId'],
      ['active as a string', { active: 'yes' }, 'active'],
      ['no password', { password: undefined }, 'password'],
      ['an 11-character password', { password: 'Short-pw-26' }, 'password'],
      ['a common password', { password: 'Password2026!' }, 'password'],
      ['a password made of the email', { email: 'kazuo.tanaka@users.example', password: 'kazuo.tanaka-2026' }, 'password'],
      ['an unknown field', { isSuperuser: true }, 'isSuperuser'],
      ['a server-owned field', { version: 7 }, 'version'],
      ['a password hash', { passwordHash: '$argon2id$v=19$m=1,t=1,p=1$x$y' }, 'passwordHash'],
    ])('answers 400 with a field error for %s, writing nothing', async (_label, override, field) => {
      const before = await countUsers();
      const res = await post(valid(override));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await countUsers()).toBe(before);
    });

    it.each([
      ['hospital_staff at a support office', 'hospital_staff', () => office.id],
      ['support_office_staff at a hospital', 'support_office_staff', () => hospital.id],
      ['a municipal officer at a prefecture', 'municipal_officer', () => prefecture.id],
      ['a prefectural officer at a municipality', 'prefectural_officer', () => city.id],
      ['hospital_staff without an organization', 'hospital_staff', () => undefined],
    ])('answers 422 for %s, writing nothing', async (_label, role, org) => {
      const before = await countUsers();
      const res = await post(valid({ role, organizationId: org() }));
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.detail).toMatch(/needs an organization of kind/);
      expect(await countUsers()).toBe(before);
    });

    it('answers 404 for an organization that does not exist', async () => {
      const res = await post(valid({ organizationId: '00000000-0000-4000-8000-000000000000' }));
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    });

    it('creates officers at organizations of their kind, and admins with no organization', async () => {
      const pref = await post(valid({ role: 'prefectural_officer', organizationId: prefecture.id }));
      expect(pref.status).toBe(201);
      const officer = await post(valid({ role: 'municipal_officer', organizationId: city.id }));
      expect(officer.status).toBe(201);
      const other = await post(valid({ role: 'admin', organizationId: undefined }));
      expect(other.status).toBe(201);
      expect(other.body.organizationId).toBeNull();
    });

    it('is for admins only (403), and needs a token (401)', async () => {
      const before = await countUsers();
      const res = await post(valid({ role: 'admin', organizationId: undefined }), psw);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect((await t.http().post(`${API}/users`).send(valid())).status).toBe(401);
      expect(await countUsers()).toBe(before);
    });
  });

  describe('GET /users and /users/:id', () => {
    it('walks every user page by page without duplicates', async () => {
      const seen = new Set<string>();
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await t
          .http()
          .get(`${API}/users?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
          .set(bearer(admin));
        expect(res.status).toBe(200);
        for (const u of res.body.items) {
          expect(seen.has(u.id)).toBe(false);
          seen.add(u.id);
        }
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      expect(seen.size).toBe(await countUsers());
    });

    it('filters by role, organization and text, never showing hashes', async () => {
      const res = await t.http().get(`${API}/users?role=hospital_staff&organizationId=${hospital.id}&q=hospital_staff`).set(bearer(admin));
      expect(res.status).toBe(200);
      expect(res.body.items.map((u: { id: string }) => u.id)).toContain(psw.id);
      expect(res.body.items.every((u: { role: string; organizationId: string }) => u.role === 'hospital_staff' && u.organizationId === hospital.id)).toBe(true);
      expect(JSON.stringify(res.body)).not.toMatch(/hash|argon/i);
    });

    it('reads one user with its ETag; 404 for an unknown id, 400 for a malformed one', async () => {
      const res = await t.http().get(`${API}/users/${psw.id}`).set(bearer(admin));
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({ id: psw.id, role: 'hospital_staff' });
      expect((await t.http().get(`${API}/users/00000000-0000-4000-8000-000000000000`).set(bearer(admin))).status).toBe(404);
      expect((await t.http().get(`${API}/users/not-a-uuid`).set(bearer(admin))).status).toBe(400);
    });

    it.each([
      ['GET /users', (u: TestUser) => t.http().get(`${API}/users`).set(bearer(u))],
      ['GET /users/:id of oneself', (u: TestUser) => t.http().get(`${API}/users/${u.id}`).set(bearer(u))],
    ])('refuses %s to non-admins with 403', async (_label, call) => {
      const res = await call(psw);
      expect(res.status).toBe(403);
      expect(res.body.items).toBeUndefined();
    });

    it('answers 400 to bad list parameters', async () => {
      for (const q of ['role=superuser', 'limit=0', 'limit=201', 'active=maybe', 'cursor=garbage', 'organizationId=x']) {
        const res = await t.http().get(`${API}/users?${q}`).set(bearer(admin));
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(PROBLEM);
      }
    });
  });

  describe('PATCH /users/:id', () => {
    it('changes the display name with If-Match, bumps the version and audits the field names', async () => {
      const u = await aUser(t, 'hospital_staff', hospital.id);
      const res = await patch(u.id, { displayName: '佐藤 次郎' }, '"1"');
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.body).toMatchObject({ displayName: '佐藤 次郎', version: 2 });
      const rows = await auditRows(t, `action = 'update' AND $1 = ANY(entity_ids)`, [u.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor_id: admin.id, changed_fields: ['displayName'] });
      expect((await me(u.token)).status).toBe(200); // a name change does not sign anyone out
    });

    it('needs If-Match (428) and refuses a stale one (412)', async () => {
      const u = await aUser(t, 'hospital_staff', hospital.id);
      expect((await patch(u.id, { displayName: 'x' }, null)).status).toBe(428);
      const stale = await patch(u.id, { displayName: 'x' }, '"9"');
      expect(stale.status).toBe(412);
      expect(stale.headers['content-type']).toMatch(PROBLEM);
    });

    it('refuses a non-admin changing their own role or organization (403), leaving the row as it was', async () => {
      for (const body of [{ role: 'admin' }, { organizationId: office.id }, { active: true }]) {
        const res = await patch(psw.id, body, '*', psw);
        expect(res.status).toBe(403);
        expect(res.headers['content-type']).toMatch(PROBLEM);
      }
      const [row] = await t.sql(`SELECT role, organization_id, version FROM users WHERE id = $1`, [psw.id]);
      expect(row).toEqual({ role: 'hospital_staff', organization_id: hospital.id, version: 1 });
    });

    it.each([
      ['an unknown field', { hacker: true }, 'hacker'],
      ['the id', { id: '00000000-0000-4000-8000-000000000000' }, 'id'],
      ['the version', { version: 5 }, 'version'],
      ['a role that does not exist', { role: 'root' }, 'role'],
      ['a common password', { password: 'qwerty123456' }, 'password'],
      ['active as a number', { active: 0 }, 'active'],
    ])('answers 400 for %s, writing nothing', async (_label, body, field) => {
      const res = await patch(psw.id, body, '*');
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      const [row] = await t.sql<{ version: number }>(`SELECT version FROM users WHERE id = $1`, [psw.id]);
      expect(row.version).toBe(1);
    });

    it('answers 422 for a role that does not fit the organization, and 400 for an empty body', async () => {
      expect((await patch(psw.id, { role: 'nurse_staff' }, '*')).status).toBe(422);
      expect((await patch(psw.id, { organizationId: city.id }, '*')).status).toBe(422);
      expect((await patch(psw.id, {}, '*')).status).toBe(400);
      const [row] = await t.sql<{ version: number }>(`SELECT version FROM users WHERE id = $1`, [psw.id]);
      expect(row.version).toBe(1);
    });

    it('deactivating ends every session at once: access token, refresh token and sign-in refused', async () => {
      const acc = await anAccount(t, 'hospital_staff', hospital.id);
      const s = await login(t, acc.email, acc.password);
      expect((await me(s.body.accessToken)).status).toBe(200);
      const res = await patch(acc.id, { active: false }, '*');
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);
      expect((await me(s.body.accessToken)).status).toBe(401);
      expect((await refresh(t, s.body.refreshToken)).status).toBe(401);
      expect((await login(t, acc.email, acc.password)).status).toBe(401);
      expect(await t.sql(`SELECT 1 FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL`, [acc.id])).toEqual([]);
      const rows = await auditRows(t, `action = 'update' AND $1 = ANY(entity_ids)`, [acc.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ changed_fields: ['active'], details: { sessionsRevoked: true } });
      // Reactivated, the user signs in again.
      expect((await patch(acc.id, { active: true }, '*')).status).toBe(200);
      expect((await login(t, acc.email, acc.password)).status).toBe(200);
    });

    it('a role change makes the old access token useless (it carries the old role) but keeps the session', async () => {
      const acc = await anAccount(t, 'municipal_officer', city.id);
      const s = await login(t, acc.email, acc.password);
      const res = await patch(acc.id, { role: 'admin', organizationId: null }, '*');
      expect(res.status).toBe(200);
      expect((await me(s.body.accessToken)).status).toBe(401);
      const again = await refresh(t, s.body.refreshToken);
      expect(again.status).toBe(200);
      expect(again.body.user).toMatchObject({ role: 'admin', organizationId: null });
      expect((await t.http().get(`${API}/users`).set(auth(again.body.accessToken))).status).toBe(200);
    });

    it('an admin password reset replaces the password, ends sessions and lifts a lockout', async () => {
      const acc = await anAccount(t, 'hospital_staff', hospital.id);
      const s = await login(t, acc.email, acc.password);
      await t.sql(`UPDATE users SET locked_until = now() + interval '10 minutes' WHERE id = $1`, [acc.id]);
      const res = await patch(acc.id, { password: 'Brand-new-lantern-77' }, '*');
      expect(res.status).toBe(200);
      expect(res.body.lockedUntil).toBeNull();
      expect((await refresh(t, s.body.refreshToken)).status).toBe(401);
      expect((await login(t, acc.email, acc.password)).status).toBe(401);
      expect((await login(t, acc.email, 'Brand-new-lantern-77')).status).toBe(200);
      const [audit] = await auditRows(t, `action = 'update' AND $1 = ANY(entity_ids)`, [acc.id]);
      expect(audit).toMatchObject({ changed_fields: ['password'] });
      expect(JSON.stringify(audit)).not.toContain('Brand-new-lantern-77');
    });
  });

  describe('GET /me and POST /me/password', () => {
    it('shows the caller, their role and organization, without the hash', async () => {
      const res = await t.http().get(`${API}/me`).set(bearer(psw));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: psw.id, role: 'hospital_staff', organizationId: hospital.id, organization: { id: hospital.id, kind: 'hospital' } });
      expect(JSON.stringify(res.body)).not.toMatch(/hash|argon/i);
      expect((await t.http().get(`${API}/me`)).status).toBe(401);
    });

    it('changes the password: old tokens and sessions end, the new password signs in, one audit row', async () => {
      const acc = await anAccount(t, 'support_office_staff', office.id);
      const s = await login(t, acc.email, acc.password);
      const res = await t.http().post(`${API}/me/password`).set(auth(s.body.accessToken)).send({ currentPassword: acc.password, newPassword: 'Evening-tide-harbour-9' });
      expect(res.status).toBe(204);
      expect((await me(s.body.accessToken)).status).toBe(401);
      expect((await refresh(t, s.body.refreshToken)).status).toBe(401);
      expect((await login(t, acc.email, acc.password)).status).toBe(401);
      const fresh = await login(t, acc.email, 'Evening-tide-harbour-9');
      expect(fresh.status).toBe(200);
      expect((await me(fresh.body.accessToken)).status).toBe(200);
      const rows = await auditRows(t, `action = 'update' AND $1 = ANY(entity_ids)`, [acc.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor_id: acc.id, changed_fields: ['password'] });
      expect(JSON.stringify(rows)).not.toMatch(/Evening-tide|Quiet-river/);
    });

    it('refuses a wrong current password with 403 and counts it towards the lockout', async () => {
      const acc = await anAccount(t, 'hospital_staff', hospital.id);
      const s = await login(t, acc.email, acc.password);
      const res = await t.http().post(`${API}/me/password`).set(auth(s.body.accessToken)).send({ currentPassword: 'not-my-password', newPassword: 'Evening-tide-harbour-9' });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(await t.sql(`SELECT count(*)::int AS n FROM login_failures WHERE user_id = $1`, [acc.id])).toEqual([{ n: 1 }]);
      expect((await login(t, acc.email, 'Evening-tide-harbour-9')).status).toBe(401);
    });

    it.each([
      ['no current password', { newPassword: 'Evening-tide-harbour-9' }, 'currentPassword'],
      ['a short new password', { currentPassword: A_PASSWORD, newPassword: 'short' }, 'newPassword'],
      ['a common new password', { currentPassword: A_PASSWORD, newPassword: 'password1234' }, 'newPassword'],
      ['a 10,000-character new password', { currentPassword: A_PASSWORD, newPassword: 'x'.repeat(10000) }, 'newPassword'],
      ['the same password again', { currentPassword: A_PASSWORD, newPassword: A_PASSWORD }, 'newPassword'],
      ['an extra field', { currentPassword: A_PASSWORD, newPassword: 'Evening-tide-harbour-9', role: 'admin' }, 'role'],
    ])('answers 400 for %s, changing nothing', async (_label, body, field) => {
      const acc = await anAccount(t, 'hospital_staff', hospital.id);
      const s = await login(t, acc.email, acc.password);
      const res = await t.http().post(`${API}/me/password`).set(auth(s.body.accessToken)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect((await me(s.body.accessToken)).status).toBe(200);
    });
  });

  // Last: these boot a second app on a fresh database, and passport strategies are process-wide, so the main
  // app's sign-in no longer works once that second app has closed.
  describe('on a fresh database: admin bootstrap, the last admin, the create-admin command', () => {
    const config = (email: string) => ({ adminEmail: email, adminPassword: 'Bootstrap-admin-2026!' }) as AppConfig;

    it('creates the ADMIN_EMAIL admin at start only when no admin exists', async () => {
      const fresh = await startTestApp();
      try {
        await bootstrapAdmin(fresh.app, config('First.Admin@boot.example'));
        await bootstrapAdmin(fresh.app, config('second.admin@boot.example'));
        const admins = await fresh.sql(`SELECT email, role, organization_id FROM users`);
        expect(admins).toEqual([{ email: 'First.Admin@boot.example', role: 'admin', organization_id: null }]);
        expect((await login(fresh, 'first.admin@boot.example', 'Bootstrap-admin-2026!')).status).toBe(200);
        expect(await fresh.sql(`SELECT action, entity_type FROM audit_events WHERE action = 'create'`)).toEqual([{ action: 'create', entity_type: 'user' }]);
      } finally {
        await fresh.close();
      }
    });

    it('does nothing without ADMIN_EMAIL, and refuses a weak ADMIN_PASSWORD', async () => {
      const before = await countUsers();
      await bootstrapAdmin(t.app, {} as AppConfig);
      await expect(bootstrapAdmin(t.app, { adminEmail: 'x@boot.example', adminPassword: 'password1234' } as AppConfig)).rejects.toThrow(/not acceptable/);
      expect(await countUsers()).toBe(before);
    });

    it('keeps at least one active admin', async () => {
      const db = await startTestApp();
      try {
        const only = await aUser(db, 'admin', null);
        const res = await db.http().patch(`${API}/users/${only.id}`).set(bearer(only)).set('if-match', '*').send({ active: false });
        expect(res.status).toBe(422);
        expect(res.body.detail).toMatch(/active admin/);
        const demote = await db.http().patch(`${API}/users/${only.id}`).set(bearer(only)).set('if-match', '*').send({ role: 'hospital_staff', organizationId: (await anOrganization(db)).id });
        expect(demote.status).toBe(422);
        expect(await db.sql(`SELECT role, active FROM users WHERE id = $1`, [only.id])).toEqual([{ role: 'admin', active: true }]);
      } finally {
        await db.close();
      }
    });

    it('npm run user:create-admin creates an admin, and refuses the same email twice', async () => {
      const run = (args: string[], env: Record<string, string> = {}) =>
        spawnSync(process.execPath, ['dist/src/users/create-admin.cli.js', ...args], {
          env: { PATH: process.env.PATH ?? '', DATABASE_URL: t.databaseUrl, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent', ...env },
          encoding: 'utf8',
          timeout: 30000,
        });
      const ok = run(['--email', 'ops@cli.example'], { ADMIN_PASSWORD: 'Operator-lantern-2026' });
      expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/error/i) });
      expect(ok.stdout).toMatch(/created admin ops@cli.example/);
      expect(ok.stdout).not.toContain('Operator-lantern-2026');
      const [made] = await t.sql<{ id: string; role: string }>(`SELECT id, role FROM users WHERE email = 'ops@cli.example'`);
      expect(made.role).toBe('admin');
      expect(await auditRows(t, `$1 = ANY(entity_ids)`, [made.id])).toEqual([expect.objectContaining({ action: 'create', actor_id: null, details: { via: 'user:create-admin' } })]);
      const again = run(['--email', 'OPS@cli.example', '--password', 'Operator-lantern-2026']);
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/already exists/);
      const weak = run(['--email', 'weak@cli.example', '--password', 'password1234']);
      expect(weak.status).toBe(1);
      expect(weak.stderr).toMatch(/not acceptable/);
      const usage = run([]);
      expect(usage.status).toBe(1);
      expect(usage.stderr).toMatch(/usage/);
    });
  });
});
