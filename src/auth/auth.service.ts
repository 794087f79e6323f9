import { randomBytes } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from './actor.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { RefreshTokensService } from './refresh-tokens.service.js';
import { LOCKOUT } from './token-rules.js';
import { ACCESS_TOKEN_SECONDS, TokensService } from './tokens.service.js';
import type { SessionView } from './session.view.js';
import { AuditService } from '../audit/audit.service.js';
import { Unauthenticated } from '../common/errors.js';
import { type UserRow, UserView } from '../users/user.view.js';

/** A user row as read for signing in: whether it is locked now, and its revocation second. */
export interface CredentialRow extends UserRow {
  locked: boolean;
  valid_after_sec: number;
}

/** One answer for every failed sign-in, so the response never tells whether the email exists. */
export const INVALID_CREDENTIALS = 'The email or password is not correct, or the account is locked or inactive.';

const USER_WITH_STATUS = `SELECT u.*, coalesce(u.locked_until > now(), false) AS locked,
  ceil(extract(epoch FROM u.tokens_valid_after))::bigint AS valid_after_sec FROM users u`;

export function actorOf(u: Pick<UserRow, 'id' | 'role' | 'organization_id'>): Actor {
  return { userId: u.id, role: u.role, organizationId: u.organization_id };
}

@Injectable()
export class AuthService implements OnModuleInit {
  /** Unknown emails are verified against this hash, so they cost the same argon2 time as a wrong password. */
  private dummyHash: Promise<string> | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly tokens: TokensService,
    private readonly refreshTokens: RefreshTokensService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.dummy();
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
    return this.dummyHash;
  }

  /**
   * Check an email and password (passport-local calls this). Every failure answers the same 401 after the same
   * argon2 work; the reason goes to the audit trail only. Wrong passwords count towards the lockout.
   */
  async verifyCredentials(email: string, password: string): Promise<CredentialRow> {
    const rows = (await this.db.query(`${USER_WITH_STATUS} WHERE lower(u.email) = lower($1)`, [email.trim()])) as CredentialRow[];
    const user = rows[0];
    if (!user) {
      await verifyPassword(await this.dummy(), password);
      await this.audit.record(null, null, { action: 'login_failed', entityType: 'user', details: { reason: 'unknown_account' } });
      throw new Unauthenticated(INVALID_CREDENTIALS);
    }
    const matches = await verifyPassword(user.password_hash, password);
    if (user.locked || !user.active) {
      await this.audit.record(null, null, {
        action: 'login_failed',
        entityType: 'user',
        entityIds: [user.id],
        details: { reason: user.locked ? 'locked' : 'inactive' },
      });
      throw new Unauthenticated(INVALID_CREDENTIALS);
    }
    if (!matches) {
      await this.recordFailure(user.id, 'wrong_password');
      throw new Unauthenticated(INVALID_CREDENTIALS);
    }
    return { ...user, valid_after_sec: Number(user.valid_after_sec) };
  }

  /**
   * A wrong password for an account: count it and, at the 10th within 15 minutes, lock the account for 15
   * minutes (audited as `lockout`). Failures before the end of the last lock do not count again. Also used by
   * POST /me/password for a wrong current password.
   */
  async recordFailure(userId: string, reason: string): Promise<{ locked: boolean }> {
    return this.db.transaction(async (tx) => {
      const [u] = (await tx.query(`SELECT coalesce(locked_until > now(), false) AS locked FROM users WHERE id = $1 FOR UPDATE`, [userId])) as {
        locked: boolean;
      }[];
      await tx.query(`DELETE FROM login_failures WHERE user_id = $1 AND failed_at < now() - interval '1 day'`, [userId]);
      await tx.query(`INSERT INTO login_failures (user_id) VALUES ($1)`, [userId]);
      await this.audit.record(tx, null, { action: 'login_failed', entityType: 'user', entityIds: [userId], details: { reason } });
      if (u?.locked) return { locked: true };
      const [{ n }] = (await tx.query(
        `SELECT count(*)::int AS n FROM login_failures f JOIN users u ON u.id = f.user_id
         WHERE f.user_id = $1
           AND f.failed_at > greatest(now() - make_interval(mins => $2), coalesce(u.locked_until, '-infinity'))`,
        [userId, LOCKOUT.windowMinutes],
      )) as { n: number }[];
      if (n < LOCKOUT.maxFailures) return { locked: false };
      const [lock] = (await tx.query(
        `UPDATE users SET locked_until = now() + make_interval(mins => $2) WHERE id = $1 RETURNING locked_until`,
        [userId, LOCKOUT.lockMinutes],
      )) as [{ locked_until: Date }[], number];
      await this.audit.record(tx, null, {
        action: 'lockout',
        entityType: 'user',
        entityIds: [userId],
        details: { failures: n, lockedUntil: new Date(lock[0].locked_until).toISOString() },
      });
      return { locked: true };
    });
  }

  /** Start a session for a verified user: a new refresh-token family, the access token, one `login` audit row. */
  async startSession(user: CredentialRow): Promise<SessionView> {
    const actor = actorOf(user);
    return this.db.transaction(async (tx) => {
      const refreshToken = await this.refreshTokens.issue(tx, user.id);
      // A successful sign-in clears the count of wrong passwords.
      await tx.query(`DELETE FROM login_failures WHERE user_id = $1`, [user.id]);
      await this.audit.record(tx, actor, { action: 'login', entityType: 'user', entityIds: [user.id] });
      return this.session(user, refreshToken);
    });
  }

  /**
   * Rotate a refresh token: the presented one is revoked and the next one of its family returned. A token that
   * was already revoked (reused after rotation, or after logout) revokes its whole family and answers 401.
   */
  async refresh(token: string): Promise<SessionView> {
    const outcome = await this.db.transaction(async (tx): Promise<SessionView | null> => {
      const stored = await this.refreshTokens.findForUpdate(tx, token);
      if (!stored) return null;
      if (stored.revoked_at) {
        const revoked = await this.refreshTokens.revokeFamily(tx, stored.family_id);
        await this.audit.record(tx, null, {
          action: 'login_failed',
          entityType: 'user',
          entityIds: [stored.user_id],
          details: { reason: 'revoked_refresh_token', revokedTokens: revoked },
        });
        return null;
      }
      if (stored.expired) return null;
      const user = await this.userWithStatus(tx, stored.user_id);
      if (!user || !user.active) return null;
      await this.refreshTokens.revoke(tx, stored.id);
      const next = await this.refreshTokens.issue(tx, user.id, stored.family_id, stored.expires_at);
      await this.audit.record(tx, actorOf(user), { action: 'refresh', entityType: 'user', entityIds: [user.id] });
      return this.session(user, next);
    });
    if (!outcome) throw new Unauthenticated('The refresh token is not valid: sign in again.');
    return outcome;
  }

  /** End the session the refresh token belongs to (if it is the caller's). Always one `logout` audit row. */
  async logout(actor: Actor, token: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const stored = await this.refreshTokens.findForUpdate(tx, token);
      const revoked = stored && stored.user_id === actor.userId ? await this.refreshTokens.revokeFamily(tx, stored.family_id) : 0;
      await this.audit.record(tx, actor, { action: 'logout', entityType: 'user', entityIds: [actor.userId], details: { revokedTokens: revoked } });
    });
  }

  private async userWithStatus(tx: EntityManager, id: string): Promise<CredentialRow | undefined> {
    const rows = (await tx.query(`${USER_WITH_STATUS} WHERE u.id = $1`, [id])) as CredentialRow[];
    return rows[0] ? { ...rows[0], valid_after_sec: Number(rows[0].valid_after_sec) } : undefined;
  }

  private session(user: CredentialRow, refreshToken: string): SessionView {
    return {
      accessToken: this.tokens.signAccess(actorOf(user), user.valid_after_sec),
      refreshToken,
      expiresIn: ACCESS_TOKEN_SECONDS,
      user: UserView.of(user),
    };
  }
}
