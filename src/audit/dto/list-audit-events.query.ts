import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { AUDIT_ACTIONS, type AuditAction } from '../audit.service.js';
import { IsDateOrInstant } from '../audit-range.js';

export class ListAuditEventsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Events by this user' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ example: 'patient', maxLength: 50, description: 'Kind of record, e.g. user, organization, patient' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z_-]{0,49}$/, { message: 'entityType must be a lower-case name such as patient' })
  entityType?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Events that concern this record (e.g. every read of a patient)' })
  @IsOptional()
  @IsUUID()
  entityId?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;

  @ApiPropertyOptional({ example: '2026-04-01', description: 'From this day (Asia/Tokyo) or instant (RFC 3339), inclusive' })
  @IsOptional()
  @IsDateOrInstant()
  from?: string;

  @ApiPropertyOptional({ example: '2026-04-30', description: 'Up to this day (Asia/Tokyo, whole day) or instant (RFC 3339), inclusive' })
  @IsOptional()
  @IsDateOrInstant()
  to?: string;
}
