import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsCalendarDate } from '../../common/date.validator.js';
import { CONTACT_KINDS, CONTACT_PLACES, MAX_PEOPLE, type ContactKind, type ContactPlace } from '../contact-kinds.js';
import { TIME_RE } from './create-contact.dto.js';

const given = (field: string) => ValidateIf((o: Record<string, unknown>) => o[field] !== undefined);

/**
 * A correction (訂正): only the fields that change, plus the reason. The original revision stays readable.
 * `endsOn`, `startTime`, `minutes` and `summary` may be set to null to clear them; the others cannot be null.
 */
export class AmendContactDto {
  @ApiProperty({ maxLength: 1000, description: 'Why the record is corrected (訂正理由)' })
  @IsString()
  @Length(1, 1000)
  reason: string;

  @ApiPropertyOptional({ enum: CONTACT_KINDS })
  @given('kind')
  @IsIn(CONTACT_KINDS)
  kind?: ContactKind;

  @ApiPropertyOptional({ format: 'date' })
  @given('occurredOn')
  @IsCalendarDate()
  occurredOn?: string;

  @ApiPropertyOptional({ format: 'date', nullable: true, description: 'trial_stay only; null clears it' })
  @IsOptional()
  @IsCalendarDate()
  endsOn?: string | null;

  @ApiPropertyOptional({ example: '14:30', nullable: true })
  @IsOptional()
  @IsString()
  @Matches(TIME_RE, { message: 'startTime must be HH:MM (00:00–23:59)' })
  startTime?: string | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 1440, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1440)
  minutes?: number | null;

  @ApiPropertyOptional({ enum: CONTACT_PLACES })
  @given('place')
  @IsIn(CONTACT_PLACES)
  place?: ContactPlace;

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_PEOPLE })
  @given('staffIds')
  @IsArray()
  @ArrayMaxSize(MAX_PEOPLE)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  staffIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_PEOPLE })
  @given('peerSupporterIds')
  @IsArray()
  @ArrayMaxSize(MAX_PEOPLE)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  peerSupporterIds?: string[];

  @ApiPropertyOptional({ maxLength: 4000, nullable: true, description: 'Sensitive: never logged' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  summary?: string | null;
}
