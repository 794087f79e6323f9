import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
} from 'class-validator';
import { IsCalendarDate } from '../../common/date.validator.js';
import { PageQuery } from '../../common/pagination.js';

export class CreateTeamDto {
  @ApiProperty({ maxLength: 200, description: 'チーム名 (e.g. 若葉区地域移行チーム)' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({
    format: 'uuid',
    description: 'The one hospital (精神科病院) of the team: an organization of kind hospital',
  })
  @IsUUID()
  hospitalId: string;

  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: 20,
    description: 'Support offices (相談支援事業所): at least one',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  supportOfficeIds: string[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: 20,
    description: 'Visiting-nurse stations (訪問看護ステーション): any number',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  nurseStationIds?: string[];

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "The team's municipality (市区町村). Municipal officers may name only their own (default); admins must give it.",
  })
  @IsOptional()
  @IsUUID()
  municipalityId?: string;

  @ApiProperty({ format: 'date', description: 'The day the team starts; the founding members join on it' })
  @IsCalendarDate()
  startedOn: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    nullable: true,
    description: 'The day the team ended (≥ startedOn)',
  })
  @IsOptional()
  @IsCalendarDate()
  endedOn?: string;
}

/** Name and dates. Members change through /teams/:id/members (history kept); hospital and municipality are fixed. */
export class UpdateTeamDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  startedOn?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    nullable: true,
    description: 'null reopens an ended team',
  })
  @IsOptional()
  @IsCalendarDate()
  endedOn?: string | null;
}

export class ListTeamsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  hospitalId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  municipalityId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Teams this organization is currently a member of' })
  @IsOptional()
  @IsUUID()
  organizationId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: not ended today; false: ended' })
  @IsOptional()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}
