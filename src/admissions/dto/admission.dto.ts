import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsCalendarDate } from '../../common/date.validator.js';

/** 入院形態 (精神保健福祉法): 任意, 医療保護, 措置, 緊急措置, 応急. */
export const ADMISSION_TYPES = [
  'voluntary',
  'medical_protection',
  'involuntary',
  'emergency_involuntary',
  'urgent',
] as const;
export type AdmissionType = (typeof ADMISSION_TYPES)[number];

export const DISCHARGE_DESTINATIONS = [
  'home_alone',
  'home_family',
  'group_home',
  'welfare_facility',
  'transfer_hospital',
  'death',
  'other',
] as const;
export type DischargeDestination = (typeof DISCHARGE_DESTINATIONS)[number];

export class CreateAdmissionDto {
  @ApiProperty({
    enum: ADMISSION_TYPES,
    description:
      '入院形態: 任意 voluntary, 医療保護 medical_protection, 措置 involuntary, 緊急措置, 応急 urgent',
  })
  @IsIn(ADMISSION_TYPES)
  admissionType: AdmissionType;

  @ApiProperty({ format: 'date', description: 'Not in the future (Asia/Tokyo), not before the birth date' })
  @IsCalendarDate()
  admittedOn: string;

  @ApiPropertyOptional({ maxLength: 50, description: '病棟 (e.g. 3病棟)' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  hospitalWard?: string;
}

/**
 * Type, date and ward may be corrected. `dischargedOn` / `dischargeDestination` are accepted by the schema only
 * to answer 422: the discharge step of an enrollment writes them (it closes the admission in one transaction).
 */
export class UpdateAdmissionDto {
  @ApiPropertyOptional({ enum: ADMISSION_TYPES })
  @IsOptional()
  @IsIn(ADMISSION_TYPES)
  admissionType?: AdmissionType;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  admittedOn?: string;

  @ApiPropertyOptional({ type: String, maxLength: 50, nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  hospitalWard?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    readOnly: true,
    description: 'Read-only here: sending it answers 422 (set by the discharge step)',
  })
  @IsOptional()
  dischargedOn?: unknown;

  @ApiPropertyOptional({
    enum: DISCHARGE_DESTINATIONS,
    readOnly: true,
    description: 'Read-only here: sending it answers 422 (set by the discharge step)',
  })
  @IsOptional()
  dischargeDestination?: unknown;
}

export class AsOfQuery {
  @ApiPropertyOptional({
    format: 'date',
    description: 'Reference day for lengthOfStayDays and longStay (default: today, Asia/Tokyo)',
  })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}
