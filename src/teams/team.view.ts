import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const MEMBER_ROLES = ['hospital', 'support_office', 'nurse_station', 'municipality'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export interface TeamMemberRow {
  id: string;
  team_id: string;
  organization_id: string;
  organization_name: string;
  member_role: MemberRole;
  joined_on: string;
  left_on: string | null;
  version: number;
}

/** One organization's membership of a team, with its dates (history is kept, never overwritten). */
export class TeamMemberView {
  @ApiProperty({ format: 'uuid', description: 'Membership id (for .../members/:memberId/leave)' }) id: string;
  @ApiProperty({ format: 'uuid' }) teamId: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() organizationName: string;
  @ApiProperty({ enum: MEMBER_ROLES, description: 'Follows the organization kind' }) role: MemberRole;
  @ApiProperty({ format: 'date' }) joinedOn: string;
  @ApiPropertyOptional({
    format: 'date',
    nullable: true,
    type: String,
    description: 'First day no longer a member; null while a member',
  })
  leftOn: string | null;
  @ApiProperty() version: number;

  static of(r: TeamMemberRow): TeamMemberView {
    return {
      id: r.id,
      teamId: r.team_id,
      organizationId: r.organization_id,
      organizationName: r.organization_name,
      role: r.member_role,
      joinedOn: r.joined_on,
      leftOn: r.left_on,
      version: r.version,
    };
  }
}

export class TeamMemberList {
  @ApiProperty({ type: [TeamMemberView] }) items: TeamMemberView[];
}

export interface TeamRow {
  id: string;
  name: string;
  hospital_id: string;
  municipality_id: string;
  started_on: string;
  ended_on: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  /** Current (open) memberships, from a json_agg: already camelCase. */
  members: {
    id: string;
    organizationId: string;
    organizationName: string;
    role: MemberRole;
    joinedOn: string;
    leftOn: string | null;
    version: number;
  }[];
}

/** A transition team (地域移行モデル実践チーム) with its current members. */
export class TeamView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uuid', description: 'The one hospital (精神科病院)' }) hospitalId: string;
  @ApiProperty({ format: 'uuid', description: "The team's municipality (市区町村)" }) municipalityId: string;
  @ApiProperty({ type: [String], format: 'uuid', description: 'Current support offices (相談支援事業所)' })
  supportOfficeIds: string[];
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'Current visiting-nurse stations (訪問看護ステーション)',
  })
  nurseStationIds: string[];
  @ApiProperty({
    type: [TeamMemberView],
    description: 'Current memberships; the history is at /teams/:id/members',
  })
  members: TeamMemberView[];
  @ApiProperty({ format: 'date' }) startedOn: string;
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String }) endedOn: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(r: TeamRow): TeamView {
    const members = (r.members ?? []).map((m) => ({ ...m, teamId: r.id }));
    return {
      id: r.id,
      name: r.name,
      hospitalId: r.hospital_id,
      municipalityId: r.municipality_id,
      supportOfficeIds: members.filter((m) => m.role === 'support_office').map((m) => m.organizationId),
      nurseStationIds: members.filter((m) => m.role === 'nurse_station').map((m) => m.organizationId),
      members,
      startedOn: r.started_on,
      endedOn: r.ended_on,
      version: r.version,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  }
}

export class TeamPage {
  @ApiProperty({ type: [TeamView] }) items: TeamView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
