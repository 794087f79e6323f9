import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/date.validator.js';
import { CONTACT_KINDS, CONTACT_PLACES, MAX_PEOPLE, MAX_SPAN_DAYS, type ContactKind, type ContactPlace } from '../contact-kinds.js';

export const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

/** One support activity (支援記録). Sent with an `Idempotency-Key` header. */
export class CreateContactDto {
  @ApiProperty({
    enum: CONTACT_KINDS,
    description:
      'face_to_face 面接 · phone 電話 · accompanied_outing 同行支援 · trial_stay 体験宿泊 · trial_service_use 体験利用 · ' +
      'home_visit 訪問 · case_conference ケア会議 · peer_visit ピア訪問 · other その他',
  })
  @IsIn(CONTACT_KINDS)
  kind: ContactKind;

  @ApiProperty({ format: 'date', description: 'Day of the contact (Asia/Tokyo); not in the future, not before the enrollment began' })
  @IsCalendarDate()
  occurredOn: string;

  @ApiPropertyOptional({
    format: 'date',
    description: `trial_stay only: last day of the stay (≤ ${MAX_SPAN_DAYS} days after occurredOn, not in the future); every day counts as a face-to-face day`,
  })
  @IsOptional()
  @IsCalendarDate()
  endsOn?: string;

  @ApiPropertyOptional({ example: '14:30', description: 'Start time HH:MM (24 h)' })
  @IsOptional()
  @IsString()
  @Matches(TIME_RE, { message: 'startTime must be HH:MM (00:00–23:59)' })
  startTime?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1440, description: 'Duration in minutes' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1440)
  minutes?: number;

  @ApiProperty({ enum: CONTACT_PLACES })
  @IsIn(CONTACT_PLACES)
  place: ContactPlace;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_PEOPLE,
    description: 'Users who took part (default: the caller). Each must exist (422). Empty only for a peer_visit made by peer supporters alone.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PEOPLE)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  staffIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_PEOPLE,
    description: 'Peer supporters (ピアサポーター) who took part; each must exist (422). A peer_visit needs at least one.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PEOPLE)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  peerSupporterIds?: string[];

  @ApiPropertyOptional({
    maxLength: 4000,
    description: 'Narrative (経過記録). Sensitive: returned only to those who may see the patient, never logged.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  summary?: string;
}
