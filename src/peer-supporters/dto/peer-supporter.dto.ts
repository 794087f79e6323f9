import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { IsCalendarDate } from '../../common/date.validator.js';
import { PageQuery } from '../../common/pagination.js';

export class CreatePeerSupporterDto {
  @ApiProperty({ maxLength: 100, description: 'Name shown to staff; a pseudonym is fine (ピアサポーター名)' })
  @IsString()
  @Length(1, 100)
  displayName: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Organization the peer belongs to (所属); must exist (404)' })
  @IsOptional()
  @IsUUID()
  affiliationId?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description:
      'Municipality (市区町村) that manages this peer. Defaults to the creating municipal officer’s municipality; ' +
      'an officer may name only their own (403). Admins may name any municipality; when they name none it is taken ' +
      'from the affiliation (the affiliation itself if a municipality, else its municipalityId).',
  })
  @IsOptional()
  @IsUUID()
  municipalityId?: string | null;

  @ApiPropertyOptional({
    format: 'date',
    nullable: true,
    description:
      '養成研修 completed outside Kizuna (before the system, or elsewhere). `trainedOn` is derived from this and the ' +
      'supporter_training events listing the peer.',
  })
  @IsOptional()
  @IsCalendarDate()
  trainedOutsideOn?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Peer employment (ピア雇用): the employer. Send with employedSince, or neither.' })
  @IsOptional()
  @IsUUID()
  employedById?: string | null;

  @ApiPropertyOptional({ format: 'date', nullable: true, description: 'Peer employment: employed since. Send with employedById, or neither.' })
  @IsOptional()
  @IsCalendarDate()
  employedSince?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** Any field may change; null clears an optional one. `trainedOn` is derived and cannot be sent. */
export class UpdatePeerSupporterDto extends PartialType(CreatePeerSupporterDto) {}

export class ListPeerSupportersQuery extends PageQuery {
  @ApiPropertyOptional({ maxLength: 100, description: 'displayName contains' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  municipalityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  affiliationId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Has (not) completed 養成研修' })
  @IsOptional()
  @IsIn(['true', 'false'])
  trained?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Is (not) in peer employment' })
  @IsOptional()
  @IsIn(['true', 'false'])
  employed?: 'true' | 'false';
}
