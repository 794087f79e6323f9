import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { todayInTokyo } from '../common/dates.js';
import { BadInput, Conflict, Forbidden, NotVisible, RuleViolation } from '../common/errors.js';
import { updateVersioned } from '../common/etag.js';
import { CursorCodec, DEFAULT_LIMIT, type Page } from '../common/pagination.js';
import { SqlFilter } from '../common/sql.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { OrganizationKind } from '../organizations/organization-kinds.js';
import type { AddMemberDto, LeaveMemberDto } from './dto/member.dto.js';
import type { CreateTeamDto, ListTeamsQuery, UpdateTeamDto } from './dto/team.dto.js';
import { type MemberRole, type TeamMemberRow, TeamMemberView, type TeamRow, TeamView } from './team.view.js';

/** The organization kind that may hold each membership role (a nurse station can never be the hospital). */
const ROLE_OF_KIND: Partial<Record<OrganizationKind, MemberRole>> = {
  hospital: 'hospital',
  support_office: 'support_office',
  nurse_station: 'nurse_station',
  municipality: 'municipality',
};

/** A team with its current (open) memberships, in one round trip. */
const TEAM_SELECT = `
  SELECT t.*, coalesce(m.members, '[]'::json) AS members
  FROM teams t
  LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object(
             'id', tm.id, 'organizationId', tm.organization_id, 'organizationName', o.name, 'role', tm.member_role,
             'joinedOn', tm.joined_on, 'leftOn', tm.left_on, 'version', tm.version)
           ORDER BY tm.member_role, o.name, tm.id) AS members
    FROM team_members tm JOIN organizations o ON o.id = tm.organization_id
    WHERE tm.team_id = t.id AND tm.left_on IS NULL
  ) m ON true`;

const MEMBER_SELECT = `
  SELECT tm.*, o.name AS organization_name
  FROM team_members tm JOIN organizations o ON o.id = tm.organization_id`;

@Injectable()
export class TeamsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly cursors: CursorCodec,
    private readonly organizations: OrganizationsService,
  ) {}

  async get(id: string, tx: EntityManager = this.db.manager): Promise<TeamView> {
    return TeamView.of(await this.findRow(id, tx));
  }

  async list(query: ListTeamsQuery): Promise<Page<TeamView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const filter = new SqlFilter();
    if (query.hospitalId) filter.add((n) => `t.hospital_id = $${n}`, query.hospitalId);
    if (query.municipalityId) filter.add((n) => `t.municipality_id = $${n}`, query.municipalityId);
    if (query.organizationId) {
      filter.add(
        (n) =>
          `EXISTS (SELECT 1 FROM team_members f WHERE f.team_id = t.id AND f.organization_id = $${n} AND f.left_on IS NULL)`,
        query.organizationId,
      );
    }
    if (query.active === 'true') filter.add((n) => `(t.ended_on IS NULL OR t.ended_on >= $${n})`, todayInTokyo());
    if (query.active === 'false') filter.add((n) => `t.ended_on < $${n}`, todayInTokyo());
    if (query.cursor) filter.after(['t.name', 't.id'], this.cursors.decode(query.cursor, 2));
    const rows = (await this.db.query(
      `${TEAM_SELECT} ${filter.where()} ORDER BY t.name, t.id LIMIT ${filter.param(limit + 1)}`,
      filter.params,
    )) as TeamRow[];
    return this.cursors.page(rows, limit, (r) => [r.name, r.id], TeamView.of);
  }

  async create(actor: Actor, dto: CreateTeamDto): Promise<TeamView> {
    const municipalityId = this.municipalityFor(actor, dto.municipalityId);
    if (dto.endedOn && dto.endedOn < dto.startedOn)
      throw new RuleViolation('endedOn must not be before startedOn.', { field: 'endedOn' });
    return this.db.transaction(async (tx) => {
      await this.requireActiveKind(tx, dto.hospitalId, 'hospital', 'hospitalId');
      await this.requireActiveKind(tx, municipalityId, 'municipality', 'municipalityId');
      for (const id of dto.supportOfficeIds)
        await this.requireActiveKind(tx, id, 'support_office', 'supportOfficeIds');
      for (const id of dto.nurseStationIds ?? [])
        await this.requireActiveKind(tx, id, 'nurse_station', 'nurseStationIds');
      const [team] = (await tx.query(
        `INSERT INTO teams (name, hospital_id, municipality_id, started_on, ended_on) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [dto.name, dto.hospitalId, municipalityId, dto.startedOn, dto.endedOn ?? null],
      )) as { id: string }[];
      const members: [string, MemberRole][] = [
        [dto.hospitalId, 'hospital'],
        [municipalityId, 'municipality'],
        ...dto.supportOfficeIds.map((id): [string, MemberRole] => [id, 'support_office']),
        ...(dto.nurseStationIds ?? []).map((id): [string, MemberRole] => [id, 'nurse_station']),
      ];
      await tx.query(
        `INSERT INTO team_members (team_id, organization_id, member_role, joined_on)
         SELECT $1, m.org, m.role, $4 FROM unnest($2::uuid[], $3::text[]) AS m(org, role)`,
        [team.id, members.map((m) => m[0]), members.map((m) => m[1]), dto.startedOn],
      );
      await this.audit.record(tx, actor, { action: 'create', entityType: 'team', entityIds: [team.id] });
      return this.get(team.id, tx);
    });
  }

  async update(actor: Actor, id: string, expected: number | '*', dto: UpdateTeamDto): Promise<TeamView> {
    const fields = Object.keys(dto).filter((k) => (dto as Record<string, unknown>)[k] !== undefined);
    if (fields.length === 0) throw new BadInput('Nothing to update: send at least one field.');
    for (const f of ['name', 'startedOn'] as const) {
      if (dto[f] === null)
        throw new BadInput(`${f} cannot be null.`, [{ field: f, messages: [`${f} cannot be null`] }]);
    }
    return this.db.transaction(async (tx) => {
      const current = await this.findRow(id, tx);
      this.assertMayWrite(actor, current);
      const startedOn = dto.startedOn ?? current.started_on;
      const endedOn = dto.endedOn !== undefined ? dto.endedOn : current.ended_on;
      if (endedOn && endedOn < startedOn)
        throw new RuleViolation('endedOn must not be before startedOn.', { field: 'endedOn' });
      const columns: Record<string, unknown> = {};
      if (dto.name !== undefined) columns.name = dto.name;
      if (dto.startedOn !== undefined) columns.started_on = dto.startedOn;
      if (dto.endedOn !== undefined) columns.ended_on = dto.endedOn;
      await updateVersioned(tx, 'teams', id, expected, columns, 'team');
      await this.audit.record(tx, actor, {
        action: 'update',
        entityType: 'team',
        entityIds: [id],
        changedFields: fields,
      });
      return this.get(id, tx);
    });
  }

  /** Membership history (`asOf` absent) or the members on `asOf` (joined on or before it, not yet left). */
  async members(teamId: string, asOf?: string): Promise<TeamMemberView[]> {
    await this.findRow(teamId);
    const params: unknown[] = [teamId];
    let filter = '';
    if (asOf) {
      params.push(asOf);
      filter = `AND tm.joined_on <= $2 AND (tm.left_on IS NULL OR tm.left_on > $2)`;
    }
    const rows = (await this.db.query(
      `${MEMBER_SELECT} WHERE tm.team_id = $1 ${filter} ORDER BY tm.member_role, tm.joined_on, o.name, tm.id`,
      params,
    )) as TeamMemberRow[];
    return rows.map(TeamMemberView.of);
  }

  async addMember(actor: Actor, teamId: string, dto: AddMemberDto): Promise<TeamMemberView> {
    return this.db.transaction(async (tx) => {
      const team = await this.lockTeam(tx, teamId);
      this.assertMayWrite(actor, team);
      const org = await this.organizations.requireKind(
        dto.organizationId,
        ['support_office', 'nurse_station', 'hospital', 'municipality'],
        'organizationId',
        tx,
      );
      const role = ROLE_OF_KIND[org.kind] as MemberRole;
      if (role === 'hospital' && org.id !== team.hospital_id) {
        throw new RuleViolation('A team has exactly one hospital; start another team for this hospital.', {
          field: 'organizationId',
        });
      }
      if (role === 'municipality' && org.id !== team.municipality_id) {
        throw new RuleViolation("A team has one municipality: its own (the team's municipalityId).", {
          field: 'organizationId',
        });
      }
      if (!org.active)
        throw new RuleViolation('The organization is not active.', { field: 'organizationId' });
      const joinedOn = dto.joinedOn ?? todayInTokyo();
      if (joinedOn < team.started_on)
        throw new RuleViolation(`joinedOn must not be before the team started (${team.started_on}).`, {
          field: 'joinedOn',
        });
      if (team.ended_on && joinedOn > team.ended_on)
        throw new RuleViolation(`The team ended on ${team.ended_on}.`, { field: 'joinedOn' });
      const open = (await tx.query(
        `SELECT 1 FROM team_members WHERE team_id = $1 AND organization_id = $2 AND left_on IS NULL`,
        [teamId, org.id],
      )) as unknown[];
      if (open.length) throw new Conflict('This organization is already a current member of the team.');
      const previous = (await tx.query(
        `SELECT max(left_on) AS last FROM team_members WHERE team_id = $1 AND organization_id = $2`,
        [teamId, org.id],
      )) as {
        last: string | null;
      }[];
      if (previous[0].last && joinedOn < previous[0].last) {
        throw new RuleViolation(
          `joinedOn must not be before the organization last left the team (${previous[0].last}).`,
          { field: 'joinedOn' },
        );
      }
      const [row] = (await tx.query(
        `INSERT INTO team_members (team_id, organization_id, member_role, joined_on) VALUES ($1, $2, $3, $4) RETURNING id`,
        [teamId, org.id, role, joinedOn],
      )) as { id: string }[];
      await this.audit.record(tx, actor, {
        action: 'create',
        entityType: 'team_member',
        entityIds: [row.id, teamId],
        details: { teamId, organizationId: org.id, role },
      });
      return TeamMemberView.of(await this.memberRow(tx, teamId, row.id));
    });
  }

  async leave(actor: Actor, teamId: string, memberId: string, dto: LeaveMemberDto): Promise<TeamMemberView> {
    return this.db.transaction(async (tx) => {
      const team = await this.lockTeam(tx, teamId);
      this.assertMayWrite(actor, team);
      const member = await this.memberRow(tx, teamId, memberId);
      if (member.left_on) throw new Conflict(`This organization already left the team on ${member.left_on}.`);
      if (member.member_role === 'hospital' || member.member_role === 'municipality') {
        throw new RuleViolation(
          `The ${member.member_role} cannot leave its team; end the team (endedOn) instead.`,
        );
      }
      const leftOn = dto.leftOn ?? todayInTokyo();
      if (leftOn > todayInTokyo())
        throw new RuleViolation('leftOn must not be in the future.', { field: 'leftOn' });
      if (leftOn < member.joined_on)
        throw new RuleViolation(`leftOn must not be before joinedOn (${member.joined_on}).`, {
          field: 'leftOn',
        });
      if (member.member_role === 'support_office') {
        const others = (await tx.query(
          `SELECT count(*)::int AS n FROM team_members WHERE team_id = $1 AND member_role = 'support_office' AND left_on IS NULL AND id <> $2`,
          [teamId, memberId],
        )) as { n: number }[];
        if (others[0].n === 0)
          throw new RuleViolation(
            'A team needs at least one support office: add another before this one leaves.',
          );
      }
      await tx.query(
        `UPDATE team_members SET left_on = $2, version = version + 1, updated_at = now() WHERE id = $1`,
        [memberId, leftOn],
      );
      await this.audit.record(tx, actor, {
        action: 'update',
        entityType: 'team_member',
        entityIds: [memberId, teamId],
        changedFields: ['leftOn'],
        details: { teamId, organizationId: member.organization_id },
      });
      return TeamMemberView.of(await this.memberRow(tx, teamId, memberId));
    });
  }

  private async findRow(id: string, tx: EntityManager = this.db.manager): Promise<TeamRow> {
    const rows = (await tx.query(`${TEAM_SELECT} WHERE t.id = $1`, [id])) as TeamRow[];
    if (rows.length === 0) throw new NotVisible('team');
    return rows[0];
  }

  /** Serialises membership changes of one team (the "≥ 1 support office" rule holds under concurrency). */
  private async lockTeam(tx: EntityManager, id: string): Promise<Omit<TeamRow, 'members'>> {
    const rows = (await tx.query(`SELECT * FROM teams WHERE id = $1 FOR UPDATE`, [id])) as Omit<
      TeamRow,
      'members'
    >[];
    if (rows.length === 0) throw new NotVisible('team');
    return rows[0];
  }

  private async memberRow(tx: EntityManager, teamId: string, memberId: string): Promise<TeamMemberRow> {
    const rows = (await tx.query(`${MEMBER_SELECT} WHERE tm.id = $1 AND tm.team_id = $2`, [
      memberId,
      teamId,
    ])) as TeamMemberRow[];
    if (rows.length === 0) throw new NotVisible('team member');
    return rows[0];
  }

  /** Municipal officers write only teams of their own municipality (#12); admins any. */
  private assertMayWrite(actor: Actor, team: { municipality_id: string }): void {
    if (actor.role === 'admin') return;
    if (actor.role === 'municipal_officer' && actor.organizationId === team.municipality_id) return;
    throw new Forbidden("Municipal officers may change only their own municipality's teams.");
  }

  private municipalityFor(actor: Actor, given: string | undefined): string {
    if (actor.role === 'municipal_officer') {
      if (given !== undefined && given !== actor.organizationId) {
        throw new Forbidden('Municipal officers may create teams only for their own municipality.');
      }
      if (!actor.organizationId) throw new Forbidden('Your account has no municipality.');
      return actor.organizationId;
    }
    if (!given)
      throw new BadInput('municipalityId is required.', [
        { field: 'municipalityId', messages: ['municipalityId is required'] },
      ]);
    return given;
  }

  private async requireActiveKind(
    tx: EntityManager,
    id: string,
    kind: OrganizationKind,
    field: string,
  ): Promise<void> {
    const row = await this.organizations.requireKind(id, kind, field, tx);
    if (!row.active) throw new RuleViolation(`${field} names an organization that is not active.`, { field });
  }
}
