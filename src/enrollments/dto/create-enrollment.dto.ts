import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsCalendarDate } from '../../common/date.validator.js';
import { PROGRAMS, type Program } from '../programs.js';

export class CreateEnrollmentDto {
  @ApiProperty({ format: 'uuid', description: 'A patient visible to you' })
  @IsUUID()
  patientId: string;

  @ApiProperty({ enum: PROGRAMS, description: '支援プログラム; at most one active enrollment per patient per programme' })
  @IsIn(PROGRAMS)
  program: Program;

  @ApiProperty({ format: 'uuid', description: 'The transition team (地域移行モデル実践チーム); for community_transition its hospital must be the patient’s' })
  @IsUUID()
  teamId: string;

  @ApiProperty({ format: 'uuid', description: 'Assigned support office: a current member of the team' })
  @IsUUID()
  supportOfficeId: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Nurse station: a current member of the team' })
  @IsOptional()
  @IsUUID()
  nurseStationId?: string;

  @ApiPropertyOptional({
    format: 'date',
    description:
      'Date of referral (the first step); not in the future. Given: the referral is dated and the date rules are strict ' +
      '(the first move not before it, contacts not before it). Omitted: the referral date is not recorded (startedOnRecorded ' +
      'false) — startedOn is provisionally today (Asia/Tokyo) and is lowered to the date of the first move out of the first ' +
      'step, or of any contact, recorded with an earlier date (those may predate it; a contact does not change the version). ' +
      'Moves after the first keep the strict rule "not before the previous step".',
  })
  @IsOptional()
  @IsCalendarDate()
  startedOn?: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Note on the referral (stored in the history)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
