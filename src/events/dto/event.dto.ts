import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsCalendarDate } from '../../common/date.validator.js';
import { PageQuery } from '../../common/pagination.js';
import { EVENT_KINDS, EVENT_KINDS_DESCRIPTION, type EventKind } from '../event-kinds.js';
import { AttendanceDto } from './attendance.dto.js';

export class CreateEventDto {
  @ApiProperty({ enum: EVENT_KINDS, description: `会議・研修の種別: ${EVENT_KINDS_DESCRIPTION}` })
  @IsIn(EVENT_KINDS)
  kind: EventKind;

  @ApiProperty({ format: 'date', example: '2026-07-01', description: 'Held on (開催日); may be in the future for a planned event' })
  @IsCalendarDate()
  heldOn: string;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiProperty({ format: 'uuid', description: 'Host organization (主催), any kind; must exist (404)' })
  @IsUUID()
  hostId: string;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: 'Hospital where it is held: required for transition_program (422 without), and must be of kind hospital (422)',
  })
  @IsOptional()
  @IsUUID()
  hospitalId?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description:
      'Municipality (市区町村) the event belongs to. Defaults to the creating municipal officer’s municipality; an officer ' +
      'may name only their own (403). Admins may name any; when they name none it is taken from the host.',
  })
  @IsOptional()
  @IsUUID()
  municipalityId?: string | null;

  @ApiPropertyOptional({
    type: [AttendanceDto],
    maxItems: 500,
    description: 'Attending organizations with head counts, each organization once. On PATCH the list replaces the old one.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => AttendanceDto)
  @ArrayUnique((a: AttendanceDto) => a?.organizationId, { message: 'each organization may appear once in attendance' })
  attendance?: AttendanceDto[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: 500,
    description: 'Peer supporters involved; each must exist (404). At a supporter_training event this marks them trained on heldOn.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID(undefined, { each: true })
  @ArrayUnique({ message: 'each peer supporter may appear once' })
  peerSupporterIds?: string[];

  @ApiPropertyOptional({ maxLength: 4000, nullable: true, description: 'Notes (no patient data: events are not patient records)' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string | null;
}

/** Any field may change; null clears hospitalId, municipalityId (admins) or notes. */
export class UpdateEventDto extends PartialType(CreateEventDto) {}

export class ListEventsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: EVENT_KINDS })
  @IsOptional()
  @IsIn(EVENT_KINDS)
  kind?: EventKind;

  @ApiPropertyOptional({ format: 'date', description: 'Held on or after' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Held on or before' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ minimum: 2000, maximum: 2100, description: '年度 (April–March): 2026 → 2026-04-01 … 2027-03-31; combines with from/to' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  hospitalId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  hostId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  municipalityId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Events this peer supporter was involved in' })
  @IsOptional()
  @IsUUID()
  peerSupporterId?: string;
}
