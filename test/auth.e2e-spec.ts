import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from './helpers/app.js';
import { anOrganization, aUser, bearer, type TestUser } from './helpers/factories.js';
import { A_PASSWORD, anAccount, anIp, auditRows, auth, fromIp, login, refresh, type Account } from './helpers/auth-factories.js';

const API = '/api/v1';
const PROBLEM = /application\/problem\+json/;
const INVALID = 'The email or password is not correct, or the account is locked or inactive.';

describe('sign-in, tokens, lockout and throttling', () => {
  let t: TestApp;
  let hospitalId: string;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    hospitalId = (await anOrganization(t, { kind: 'hospital' })).id;
    admin = await aUser(t, 'admin', null);
  });
  afterAll(() => t.close());

  const me = (token: string) => t.http().get(`${API}/me`).set(auth(token));
  const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
  const jwt = new JwtService({});

  describe('POST /auth/login', () => {
    let alice: Account;
    beforeAll(async () => {
      alice = await anAccount(t, 'hospital_staff', hospitalId, { email: 'Alice.Sato@Hospital.example' });
    });

    it('returns an access token, a refresh token, expiresIn and the user — never the password hash', async () => {
      const res = await login(t, alice.email, alice.password);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ expiresIn: 900, user: { id: alice.id, email: alice.email, role: 'hospital_staff', organizationId: hospitalId, active: true } });
      expect(Object.keys(res.body.user).sort()).toEqual(
        ['active', 'createdAt', 'displayName', 'email', 'id', 'lockedUntil', 'organizationId', 'role', 'updatedAt', 'version'].sort(),
      );
      expect(JSON.stringify(res.body)).not.toMatch(/argon2|password/i);
      const payload = jwt.decode(res.body.accessToken) as Record<string, unknown>;
      expect(payload).toMatchObject({ sub: alice.id, role: 'hospital_staff', org: hospitalId, typ: 'access' });
      expect((payload.exp as number) - (payload.iat as number)).toBe(900);
      expect(res.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const mine = await me(res.body.accessToken);
      expect(mine.status).toBe(200);
      expect(mine.body).toMatchObject({ id: alice.id, organization: { id: hospitalId, kind: 'hospital' } });
    });

    it('stores only the SHA-256 of the refresh token, expiring 12 hours after sign-in', async () => {
      const res = await login(t, alice.email, alice.password);
      const rows = await t.sql<{ token_hash: string; hours: number }>(
        `SELECT token_hash, round(extract(epoch FROM expires_at - created_at) / 3600)::int AS hours FROM refresh_tokens WHERE token_hash = $1`,
        [sha256(res.body.refreshToken)],
      );
      expect(rows).toEqual([{ token_hash: sha256(res.body.refreshToken), hours: 12 }]);
      const raw = await t.sql(`SELECT 1 FROM refresh_tokens WHERE token_hash = $1`, [res.body.refreshToken]);
      expect(raw).toEqual([]);
    });

    it('writes one login audit row with the user as actor and the client IP', async () => {
      const ip = anIp();
      const res = await login(t, alice.email, alice.password, ip);
      expect(res.status).toBe(200);
      const rows = await auditRows(t, `action = 'login' AND ip = $1`, [ip]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor_id: alice.id, actor_role: 'hospital_staff', actor_organization_id: hospitalId, entity_type: 'user', entity_ids: [alice.id] });
      expect(JSON.stringify(rows[0])).not.toContain(alice.password);
    });

    it.each([
      ['upper case', 'ALICE.SATO@HOSPITAL.EXAMPLE'],
      ['lower case', 'alice.sato@hospital.example'],
      ['surrounding spaces', '  Alice.Sato@Hospital.example \t'],
    ])('accepts the email in %s', async (_label, email) => {
      const res = await login(t, email, alice.password);
      expect(res.status).toBe(200);
      expect(res.body.user.id).toBe(alice.id);
    });

    it('answers a wrong password and an unknown email with the same 401 problem', async () => {
      const wrong = await login(t, alice.email, 'not-the-right-password');
      const ghost = await login(t, 'ghost@nowhere.example', 'not-the-right-password');
      for (const res of [wrong, ghost]) {
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect(res.headers['www-authenticate']).toBe('Bearer');
        expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized', detail: INVALID });
      }
      const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined });
      expect(strip(wrong.body)).toEqual(strip(ghost.body));
      expect(Object.keys(wrong.headers).sort()).toEqual(Object.keys(ghost.headers).sort());
    });

    it('audits failures without passwords: actor null; the account when it exists', async () => {
      const ip = anIp();
      await login(t, alice.email, 'Wrong-password-XYZ', ip);
      await login(t, 'ghost2@nowhere.example', 'Wrong-password-XYZ', ip);
      const rows = await auditRows<{ actor_id: string | null; entity_ids: string[]; details: { reason: string } }>(
        t,
        `action = 'login_failed' AND ip = $1`,
        [ip],
      );
      expect(rows.map((r) => [r.actor_id, r.entity_ids, r.details.reason])).toEqual([
        [null, [alice.id], 'wrong_password'],
        [null, [], 'unknown_account'],
      ]);
      expect(JSON.stringify(rows)).not.toMatch(/Wrong-password-XYZ|ghost2/);
      // Clear the two failures so later tests of this account start from zero.
      await t.sql(`DELETE FROM login_failures WHERE user_id = $1`, [alice.id]);
    });

    it('refuses an inactive account with the same 401, even with the right password', async () => {
      const gone = await anAccount(t, 'hospital_staff', hospitalId, { active: false });
      const res = await login(t, gone.email, gone.password);
      expect(res.status).toBe(401);
      expect(res.body.detail).toBe(INVALID);
    });

    it.each([
      ['a 10,000-character email', { email: 'a'.repeat(10000) + '@x.example', password: A_PASSWORD }, 'email'],
      ['a 10,000-character password', { email: 'alice.sato@hospital.example', password: 'p'.repeat(10000) }, 'password'],
      ['an email of the wrong type', { email: 12345, password: A_PASSWORD }, 'email'],
      ['a password of the wrong type', { email: 'alice.sato@hospital.example', password: ['x'] }, 'password'],
      ['no password', { email: 'alice.sato@hospital.example' }, 'password'],
      ['an empty email', { email: '   ', password: A_PASSWORD }, 'email'],
      ['an unknown field', { email: 'alice.sato@hospital.example', password: A_PASSWORD, role: 'admin' }, 'role'],
    ])('answers 400 with field errors for %s, and records nothing', async (_label, body, field) => {
      const before = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events`);
      const res = await t.http().post(`${API}/auth/login`).set(fromIp(anIp())).send(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await t.sql(`SELECT count(*)::int AS n FROM audit_events`)).toEqual(before);
    });

    it.each([
      ['a JSON array', '[1,2]'],
      ['a JSON string', '"alice"'],
      ['broken JSON', '{"email": '],
    ])('answers 400 problem+json for %s', async (_label, raw) => {
      const res = await t.http().post(`${API}/auth/login`).set(fromIp(anIp())).set('content-type', 'application/json').send(raw);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    });
  });

  describe('lockout', () => {
    it('locks the account after 10 wrong passwords within 15 minutes, answering the same 401, and audits the lock once', async () => {
      const bob = await anAccount(t, 'hospital_staff', hospitalId);
      const ip = anIp();
      for (let i = 0; i < 10; i++) {
        const res = await login(t, bob.email, `wrong-password-${i}`, ip);
        expect(res.status).toBe(401);
      }
      const locked = await login(t, bob.email, bob.password, ip);
      expect(locked.status).toBe(401);
      expect(locked.body.detail).toBe(INVALID);
      const [row] = await t.sql<{ minutes: number }>(
        `SELECT round(extract(epoch FROM locked_until - now()) / 60)::int AS minutes FROM users WHERE id = $1`,
        [bob.id],
      );
      expect(row.minutes).toBe(15);
      const lockouts = await auditRows<{ actor_id: string | null; entity_ids: string[]; details: { failures: number } }>(t, `action = 'lockout' AND $1 = ANY(entity_ids)`, [bob.id]);
      expect(lockouts).toHaveLength(1);
      expect(lockouts[0]).toMatchObject({ actor_id: null, entity_ids: [bob.id], details: { failures: 10 } });
      const failed = await auditRows<{ details: { reason: string } }>(t, `action = 'login_failed' AND $1 = ANY(entity_ids)`, [bob.id]);
      expect(failed.map((r) => r.details.reason)).toEqual([...Array(10).fill('wrong_password'), 'locked']);

      // 15 minutes later (simulated by moving the stored instants back): the lock has ended, and one more wrong
      // password does not lock again.
      await t.sql(`UPDATE users SET locked_until = locked_until - interval '15 minutes 1 second' WHERE id = $1`, [bob.id]);
      await t.sql(`UPDATE login_failures SET failed_at = failed_at - interval '15 minutes 1 second' WHERE user_id = $1`, [bob.id]);
      expect((await login(t, bob.email, 'one-more-wrong-one', ip)).status).toBe(401);
      const after = await login(t, bob.email, bob.password, ip);
      expect(after.status).toBe(200);
      expect(await t.sql(`SELECT 1 FROM login_failures WHERE user_id = $1`, [bob.id])).toEqual([]);
    });

    it('does not count failures older than 15 minutes', async () => {
      const carol = await anAccount(t, 'hospital_staff', hospitalId);
      await t.sql(
        `INSERT INTO login_failures (user_id, failed_at) SELECT $1, now() - interval '16 minutes' FROM generate_series(1, 9)`,
        [carol.id],
      );
      await t.sql(`INSERT INTO login_failures (user_id, failed_at) SELECT $1, now() - interval '1 minute' FROM generate_series(1, 8)`, [carol.id]);
      expect((await login(t, carol.email, 'wrong-password-x', anIp())).status).toBe(401); // 9 recent failures
      expect((await login(t, carol.email, carol.password, anIp())).status).toBe(200);
      expect(await auditRows(t, `action = 'lockout' AND $1 = ANY(entity_ids)`, [carol.id])).toEqual([]);
    });
  });

  describe('per-IP throttling of /auth/login', () => {
    it('answers 429 problem+json with Retry-After past 30 attempts a minute from one IP, and not for other IPs', async () => {
      const ip = anIp();
      for (let i = 0; i < 30; i++) {
        const res = await t.http().post(`${API}/auth/login`).set(fromIp(ip)).send({ email: 'x@y.example' });
        expect(res.status).toBe(400);
      }
      const res = await login(t, 'x@y.example', A_PASSWORD, ip);
      expect(res.status).toBe(429);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
      const other = await login(t, 'x@y.example', A_PASSWORD, anIp());
      expect(other.status).toBe(401);
      const counted = await t.sql<{ hits: number }>(`SELECT hits FROM rate_limits WHERE key LIKE 'AuthController.login:%' ORDER BY hits DESC LIMIT 1`);
      expect(counted[0].hits).toBe(31);
    });
  });

  describe('access tokens', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await aUser(t, 'hospital_staff', hospitalId);
    });
    const probe = (headers: Record<string, string>) => t.http().get(`${API}/organizations`).set(headers);
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = () => Math.floor(Date.now() / 1000);

    it('accepts a valid token (control)', async () => {
      expect((await probe(bearer(user))).status).toBe(200);
    });

    it.each([
      ['missing', {}],
      ['not Bearer', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
      ['malformed', { authorization: 'Bearer not.a.jwt' }],
      ['garbage', { authorization: 'Bearer ' + 'x'.repeat(5000) }],
    ])('refuses a %s token with 401 problem+json', async (_label, headers) => {
      const res = await probe(headers as Record<string, string>);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body.items).toBeUndefined();
    });

    it('refuses a token with a forged signature', async () => {
      const forged = jwt.sign({ sub: user.id, role: 'admin', org: null, typ: 'access' }, { secret: 'another-secret-another-secret-0123456789', expiresIn: 900 });
      const tampered = user.token.split('.').slice(0, 2).join('.') + '.' + Buffer.from('bad signature').toString('base64url');
      for (const token of [forged, tampered]) {
        const res = await probe(auth(token));
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toMatch(PROBLEM);
      }
    });

    it('refuses alg "none" and a payload re-signed with another algorithm', async () => {
      const body = { sub: user.id, role: 'admin', org: null, typ: 'access', iat: now(), exp: now() + 900 };
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(body)}.`;
      const hs512 = jwt.sign(body, { secret: TEST_JWT_SECRET, algorithm: 'HS512' });
      for (const token of [none, hs512]) {
        const res = await probe(auth(token));
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toMatch(PROBLEM);
      }
    });

    it('refuses an expired token, saying so', async () => {
      const expired = jwt.sign(
        { sub: user.id, role: user.role, org: hospitalId, typ: 'access', iat: now() - 1000, exp: now() - 100 },
        { secret: TEST_JWT_SECRET, algorithm: 'HS256' },
      );
      const res = await probe(auth(expired));
      expect(res.status).toBe(401);
      expect(res.body.detail).toMatch(/expired/);
    });

    it('refuses a well-signed token of the wrong type, role or user', async () => {
      const sign = (p: object) => jwt.sign(p, { secret: TEST_JWT_SECRET, algorithm: 'HS256', expiresIn: 900 });
      for (const token of [
        sign({ sub: user.id, role: user.role, org: hospitalId, typ: 'refresh' }),
        sign({ sub: user.id, role: 'superuser', org: hospitalId, typ: 'access' }),
        sign({ sub: '00000000-0000-4000-8000-000000000000', role: 'admin', org: null, typ: 'access' }),
      ]) {
        expect((await probe(auth(token))).status).toBe(401);
      }
    });

    it('refuses the token of a user an admin deactivated, at once', async () => {
      const dave = await aUser(t, 'hospital_staff', hospitalId);
      expect((await probe(bearer(dave))).status).toBe(200); // cached as valid
      const res = await t.http().patch(`${API}/users/${dave.id}`).set(bearer(admin)).set('if-match', '"1"').send({ active: false });
      expect(res.status).toBe(200);
      const after = await probe(bearer(dave));
      expect(after.status).toBe(401);
      expect(after.headers['content-type']).toMatch(PROBLEM);
    });

    it('refuses tokens issued before a revocation and accepts the next sign-in, even within the same second', async () => {
      const erin = await anAccount(t, 'hospital_staff', hospitalId);
      const first = await login(t, erin.email, erin.password);
      // Revocation 2 s in the future: every token issued until then has an earlier iat.
      await t.sql(`UPDATE users SET tokens_valid_after = now() + interval '2 seconds' WHERE id = $1`, [erin.id]);
      expect((await me(first.body.accessToken)).status).toBe(401);
      const second = await login(t, erin.email, erin.password);
      expect(second.status).toBe(200);
      expect((await me(second.body.accessToken)).status).toBe(200);
    });
  });

  describe('refresh tokens', () => {
    let frank: Account;
    beforeAll(async () => {
      frank = await anAccount(t, 'hospital_staff', hospitalId);
    });

    it('rotates: a new pair, the old refresh token stops working, and reusing it revokes the whole session', async () => {
      const start = await login(t, frank.email, frank.password);
      const r1 = await refresh(t, start.body.refreshToken);
      expect(r1.status).toBe(200);
      expect(r1.body).toMatchObject({ expiresIn: 900, user: { id: frank.id } });
      expect(r1.body.refreshToken).not.toBe(start.body.refreshToken);
      expect((await me(r1.body.accessToken)).status).toBe(200);
      const [old, next] = await t.sql<{ family_id: string; expires_at: Date; revoked: boolean }>(
        `SELECT family_id, expires_at, revoked_at IS NOT NULL AS revoked FROM refresh_tokens WHERE token_hash = ANY($1) ORDER BY created_at`,
        [[sha256(start.body.refreshToken), sha256(r1.body.refreshToken)]],
      );
      expect(old).toMatchObject({ revoked: true, family_id: next.family_id });
      expect(next.revoked).toBe(false);
      expect(new Date(next.expires_at).getTime()).toBe(new Date(old.expires_at).getTime()); // the session keeps its 12 h

      const reused = await refresh(t, start.body.refreshToken);
      expect(reused.status).toBe(401);
      expect(reused.headers['content-type']).toMatch(PROBLEM);
      // The thief's reuse also kills the legitimate holder's newer token.
      expect((await refresh(t, r1.body.refreshToken)).status).toBe(401);
      const live = await t.sql(`SELECT 1 FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL`, [old.family_id]);
      expect(live).toEqual([]);
      const audit = await auditRows<{ details: { reason: string } }>(t, `action = 'login_failed' AND $1 = ANY(entity_ids)`, [frank.id]);
      expect(audit.map((a) => a.details.reason)).toContain('revoked_refresh_token');
    });

    it('writes one refresh audit row with the user as actor', async () => {
      const start = await login(t, frank.email, frank.password);
      const ip = anIp();
      expect((await refresh(t, start.body.refreshToken, ip)).status).toBe(200);
      const rows = await auditRows(t, `action = 'refresh' AND ip = $1`, [ip]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor_id: frank.id, entity_ids: [frank.id] });
    });

    it('refuses a refresh token after logout, and logout needs an access token', async () => {
      const s = await login(t, frank.email, frank.password);
      const anonymous = await t.http().post(`${API}/auth/logout`).send({ refreshToken: s.body.refreshToken });
      expect(anonymous.status).toBe(401);
      const out = await t.http().post(`${API}/auth/logout`).set(auth(s.body.accessToken)).send({ refreshToken: s.body.refreshToken });
      expect(out.status).toBe(204);
      const res = await refresh(t, s.body.refreshToken);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      const rows = await auditRows(t, `action = 'logout' AND actor_id = $1`, [frank.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ entity_ids: [frank.id], details: { revokedTokens: 1 } });
    });

    it("does not let one user log out another user's session", async () => {
      const mine = await login(t, frank.email, frank.password);
      const other = await aUser(t, 'hospital_staff', hospitalId);
      const res = await t.http().post(`${API}/auth/logout`).set(bearer(other)).send({ refreshToken: mine.body.refreshToken });
      expect(res.status).toBe(204);
      expect((await refresh(t, mine.body.refreshToken)).status).toBe(200);
    });

    it('refuses an expired refresh token and an unknown one', async () => {
      const s = await login(t, frank.email, frank.password);
      await t.sql(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [sha256(s.body.refreshToken)]);
      expect((await refresh(t, s.body.refreshToken)).status).toBe(401);
      expect((await refresh(t, 'A'.repeat(43))).status).toBe(401);
    });

    it('refuses the refresh token of a deactivated user', async () => {
      const gina = await anAccount(t, 'hospital_staff', hospitalId);
      const s = await login(t, gina.email, gina.password);
      const res = await t.http().patch(`${API}/users/${gina.id}`).set(bearer(admin)).set('if-match', '*').send({ active: false });
      expect(res.status).toBe(200);
      expect((await refresh(t, s.body.refreshToken)).status).toBe(401);
      expect((await me(s.body.accessToken)).status).toBe(401);
    });

    it.each([
      ['missing', {}],
      ['a number', { refreshToken: 42 }],
      ['10,000 characters', { refreshToken: 'r'.repeat(10000) }],
    ])('answers 400 to a refresh token that is %s', async (_label, body) => {
      const res = await t.http().post(`${API}/auth/refresh`).set(fromIp(anIp())).send(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    });
  });

  describe('OpenAPI', () => {
    it('declares the bearer scheme and documents 401/429 on the auth routes', async () => {
      const doc = (await t.http().get('/docs-json')).body;
      expect(Object.values(doc.components.securitySchemes)).toContainEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
      for (const path of ['/api/v1/auth/login', '/api/v1/auth/refresh']) {
        expect(Object.keys(doc.paths[path].post.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '429']));
      }
      expect(Object.keys(doc.paths['/api/v1/auth/logout'].post.responses)).toEqual(expect.arrayContaining(['204', '401']));
      const users = doc.paths['/api/v1/users'].get;
      expect(users.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(users.responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
      expect(JSON.stringify(doc.components.schemas.UserView)).not.toMatch(/hash/i);
    });
  });
});
