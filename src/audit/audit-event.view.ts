import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AUDIT_ACTIONS, type AuditAction } from './audit.service.js';

export interface AuditEventRow {
  id: number;
  occurred_at: Date;
  actor_id: string | null;
  actor_role: string | null;
  actor_organization_id: string | null;
  action: AuditAction;
  entity_type: string | null;
  entity_ids: string[];
  changed_fields: string[] | null;
  details: Record<string, unknown> | null;
  request_id: string | null;
  ip: string | null;
}

/** One entry of the append-only audit trail. */
export class AuditEventView {
  @ApiProperty({ description: 'Increasing with time; the list is newest first' }) id: number;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'null when nobody was signed in (e.g. a failed login)' })
  actorId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) actorRole: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) actorOrganizationId: string | null;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action: AuditAction;
  @ApiPropertyOptional({ nullable: true, type: String }) entityType: string | null;
  @ApiProperty({ type: [String], description: 'The records concerned (every row of a list read)' }) entityIds: string[];
  @ApiPropertyOptional({ nullable: true, type: [String], description: 'For updates: names of the fields that changed, never their values' })
  changedFields: string[] | null;
  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true, description: 'Non-sensitive details, e.g. why a login failed' })
  details: Record<string, unknown> | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'X-Request-Id of the request' }) requestId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Client IP' }) ip: string | null;

  static of(r: AuditEventRow): AuditEventView {
    return {
      id: Number(r.id),
      occurredAt: new Date(r.occurred_at).toISOString(),
      actorId: r.actor_id,
      actorRole: r.actor_role,
      actorOrganizationId: r.actor_organization_id,
      action: r.action,
      entityType: r.entity_type,
      entityIds: r.entity_ids ?? [],
      changedFields: r.changed_fields,
      details: r.details,
      requestId: r.request_id,
      ip: r.ip,
    };
  }
}

export class AuditEventPage {
  @ApiProperty({ type: [AuditEventView] }) items: AuditEventView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
