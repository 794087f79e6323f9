import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor, Role } from '../auth/actor.js';
import { AuthService } from '../auth/auth.service.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { RefreshTokensService } from '../auth/refresh-tokens.service.js';
import { UserStatusCache } from '../auth/user-status.cache.js';
import { AuditService } from '../audit/audit.service.js';
import { BadInput, Conflict, Forbidden, NotVisible, RuleViolation } from '../common/errors.js';
import { updateVersioned } from '../common/etag.js';
import { CursorCodec, DEFAULT_LIMIT, type Page } from '../common/pagination.js';
import { escapeLike, SqlFilter } from '../common/sql.js';
import type { ChangePasswordDto } from './dto/change-password.dto.js';
import type { ListUsersQuery } from './dto/list-users.query.js';
import type { UpdateUserDto } from './dto/update-user.dto.js';
import { passwordProblems } from './password-policy.js';
import { roleOrganizationProblem } from './role-fit.js';
import type { MeView, OrganizationSummary } from './me.view.js';
import { type UserRow, UserView } from './user.view.js';

const COLUMNS: Record<string, string> = {
  email: 'email',
  displayName: 'display_name',
  role: 'role',
  organizationId: 'organization_id',
  active: 'active',
};

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  organizationId?: string | null;
  password: string;
  active?: boolean;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly cursors: CursorCodec,
    private readonly refreshTokens: RefreshTokensService,
    private readonly status: UserStatusCache,
    private readonly auth: AuthService,
  ) {}

  async findRow(id: string, tx: EntityManager = this.db.manager, lock = false): Promise<UserRow> {
    const rows = (await tx.query(`SELECT * FROM users WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id])) as UserRow[];
    if (rows.length === 0) throw new NotVisible('user');
    return rows[0];
  }

  async get(id: string): Promise<UserView> {
    return UserView.of(await this.findRow(id));
  }

  async me(actor: Actor): Promise<MeView> {
    const user = await this.findRow(actor.userId);
    const orgs = user.organization_id
      ? ((await this.db.query(`SELECT id, name, kind FROM organizations WHERE id = $1`, [user.organization_id])) as OrganizationSummary[])
      : [];
    return { ...UserView.of(user), organization: orgs[0] ?? null };
  }

  async list(query: ListUsersQuery): Promise<Page<UserView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const filter = new SqlFilter();
    if (query.role) filter.add((n) => `role = $${n}`, query.role);
    if (query.organizationId) filter.add((n) => `organization_id = $${n}`, query.organizationId);
    if (query.active) filter.add((n) => `active = $${n}`, query.active === 'true');
    if (query.q) filter.add((n) => `(email || ' ' || display_name) ILIKE $${n}`, `%${escapeLike(query.q)}%`);
    if (query.cursor) filter.after(['created_at', 'id'], this.cursors.decode(query.cursor, 2));
    const rows = (await this.db.query(
      `SELECT *, created_at::text AS created_at_exact FROM users ${filter.where()}
       ORDER BY created_at, id LIMIT ${filter.param(limit + 1)}`,
      filter.params,
    )) as (UserRow & { created_at_exact: string })[];
    // created_at as the exact text PostgreSQL gave (microseconds): a JS Date would round it to milliseconds.
    return this.cursors.page(rows, limit, (r) => [r.created_at_exact, r.id], UserView.of);
  }

  async create(actor: Actor | null, dto: NewUser): Promise<UserView> {
    const email = dto.email.trim();
    this.assertPassword(dto.password, email, 'password');
    const passwordHash = await hashPassword(dto.password);
    return this.db.transaction(async (tx) => {
      await this.assertRoleFits(tx, dto.role, dto.organizationId ?? null);
      await this.assertEmailFree(tx, email);
      const [row] = (await tx.query(
        `INSERT INTO users (email, display_name, role, organization_id, password_hash, active)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [email, dto.displayName.trim(), dto.role, dto.organizationId ?? null, passwordHash, dto.active ?? true],
      )) as UserRow[];
      await this.audit.record(tx, actor, { action: 'create', entityType: 'user', entityIds: [row.id] });
      return UserView.of(row);
    });
  }

  async update(actor: Actor, id: string, expected: number | '*', dto: UpdateUserDto): Promise<UserView> {
    const given = dto as Record<string, unknown>;
    const fields = Object.keys(given).filter((k) => given[k] !== undefined);
    if (fields.length === 0) throw new BadInput('Nothing to update: send at least one field.');
    for (const f of ['email', 'displayName', 'role', 'active', 'password']) {
      if (given[f] === null) throw new BadInput(`${f} cannot be null.`, [{ field: f, messages: [`${f} cannot be null`] }]);
    }
    const view = await this.db.transaction(async (tx) => {
      const current = await this.findRow(id, tx, true);
      const email = dto.email ?? current.email;
      const role = dto.role ?? current.role;
      const organizationId = dto.organizationId !== undefined ? dto.organizationId : current.organization_id;
      const active = dto.active ?? current.active;
      if (dto.password !== undefined) this.assertPassword(dto.password, email, 'password');
      if (dto.role !== undefined || dto.organizationId !== undefined) {
        await this.assertRoleFits(tx, role, organizationId, organizationId === current.organization_id);
      }
      if (dto.email !== undefined && dto.email.toLowerCase() !== current.email.toLowerCase()) await this.assertEmailFree(tx, dto.email, id);
      if (current.role === 'admin' && current.active && (role !== 'admin' || !active)) await this.assertAnotherAdmin(tx, id);

      const columns: Record<string, unknown> = {};
      for (const f of fields) if (COLUMNS[f]) columns[COLUMNS[f]] = given[f];
      const changed = (col: string, before: unknown) => col in columns && columns[col] !== before;
      const endsSessions = dto.password !== undefined || (changed('active', current.active) && !active);
      const revokesAccess = endsSessions || changed('role', current.role) || changed('organization_id', current.organization_id);
      if (dto.password !== undefined) {
        columns.password_hash = await hashPassword(dto.password);
        columns.locked_until = null; // an admin's reset lifts a lockout
      }
      if (revokesAccess) columns.tokens_valid_after = new Date();
      const row = await updateVersioned<UserRow>(tx, 'users', id, expected, columns, 'user');
      if (endsSessions) await this.refreshTokens.revokeAllOfUser(tx, id);
      await this.audit.record(tx, actor, {
        action: 'update',
        entityType: 'user',
        entityIds: [id],
        changedFields: fields,
        details: revokesAccess ? { sessionsRevoked: endsSessions, accessTokensRevoked: true } : undefined,
      });
      return UserView.of(row);
    });
    this.status.forget(id);
    return view;
  }

  /** POST /me/password: the current password must be right (a wrong one counts towards the lockout). */
  async changeOwnPassword(actor: Actor, dto: ChangePasswordDto): Promise<void> {
    const current = await this.findRow(actor.userId);
    if (current.locked_until && new Date(current.locked_until).getTime() > Date.now()) {
      throw new Forbidden('Too many wrong passwords: password changes are locked for a while. Try again later.');
    }
    if (!(await verifyPassword(current.password_hash, dto.currentPassword))) {
      await this.auth.recordFailure(actor.userId, 'wrong_current_password');
      throw new Forbidden('The current password is not correct.');
    }
    this.assertPassword(dto.newPassword, current.email, 'newPassword');
    if (dto.newPassword === dto.currentPassword) {
      throw new BadInput('The new password must differ from the current one.', [
        { field: 'newPassword', messages: ['newPassword must differ from currentPassword'] },
      ]);
    }
    const hash = await hashPassword(dto.newPassword);
    await this.db.transaction(async (tx) => {
      await updateVersioned(tx, 'users', actor.userId, '*', { password_hash: hash, tokens_valid_after: new Date() }, 'user');
      await this.refreshTokens.revokeAllOfUser(tx, actor.userId);
      await this.audit.record(tx, actor, {
        action: 'update',
        entityType: 'user',
        entityIds: [actor.userId],
        changedFields: ['password'],
        details: { sessionsRevoked: true, accessTokensRevoked: true },
      });
    });
    this.status.forget(actor.userId);
  }

  /** Start-up bootstrap: create this admin unless an admin exists. Safe when several instances start at once. */
  async ensureAdmin(email: string, password: string): Promise<'created' | 'exists'> {
    this.assertPassword(password, email, 'ADMIN_PASSWORD');
    const hash = await hashPassword(password);
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('kizuna:bootstrap-admin'))`);
      const admins = (await tx.query(`SELECT 1 FROM users WHERE role = 'admin' LIMIT 1`)) as unknown[];
      if (admins.length) return 'exists';
      await this.assertEmailFree(tx, email);
      const [row] = (await tx.query(
        `INSERT INTO users (email, display_name, role, password_hash) VALUES ($1, 'Administrator', 'admin', $2) RETURNING id`,
        [email.trim(), hash],
      )) as { id: string }[];
      await this.audit.record(tx, null, { action: 'create', entityType: 'user', entityIds: [row.id], details: { via: 'ADMIN_EMAIL' } });
      return 'created';
    });
  }

  private assertPassword(password: string, email: string, field: string): void {
    const problems = passwordProblems(password, email);
    if (problems.length) throw new BadInput(`The ${field} is not acceptable: ${problems.join('; ')}.`, [{ field, messages: problems }]);
  }

  /** The organization must exist (404) and be of the role's kind (422); admins may have any or none. */
  private async assertRoleFits(tx: EntityManager, role: Role, organizationId: string | null, unchangedOrg = false): Promise<void> {
    let kind: string | null = null;
    if (organizationId) {
      const rows = (await tx.query(`SELECT kind, active FROM organizations WHERE id = $1`, [organizationId])) as { kind: string; active: boolean }[];
      if (rows.length === 0) throw new NotVisible('organization given as organizationId');
      if (!rows[0].active && !unchangedOrg) throw new RuleViolation('organizationId names an inactive organization.', { field: 'organizationId' });
      kind = rows[0].kind;
    }
    const problem = roleOrganizationProblem(role, kind);
    if (problem) throw new RuleViolation(`The role does not fit the organization: ${problem}.`, { field: 'organizationId' });
  }

  private async assertEmailFree(tx: EntityManager, email: string, selfId?: string): Promise<void> {
    const rows = (await tx.query(`SELECT id FROM users WHERE lower(email) = lower($1)`, [email.trim()])) as { id: string }[];
    if (rows.some((r) => r.id !== selfId)) throw new Conflict('A user with this email already exists (emails are compared regardless of letter case).');
  }

  private async assertAnotherAdmin(tx: EntityManager, selfId: string): Promise<void> {
    // Lock the active admins so two admins cannot demote each other at the same time.
    const rows = (await tx.query(`SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id FOR UPDATE`)) as { id: string }[];
    if (!rows.some((r) => r.id !== selfId)) throw new RuleViolation('At least one active admin must remain: make another admin first.');
  }
}
