import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { IsCalendarDate } from '../../common/date.validator.js';
import { IsKatakana } from '../../common/kana.validator.js';
import { PageQuery } from '../../common/pagination.js';

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

export class CreatePatientDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The hospital (精神科病院) the patient is registered at. Hospital staff: their own hospital (the default); admins must give it.',
  })
  @IsOptional()
  @IsUUID()
  hospitalId?: string;

  @ApiProperty({
    maxLength: 50,
    description: "The hospital's record number (カルテ番号): unique within the hospital",
  })
  @IsString()
  @Length(1, 50)
  @Matches(/^\S(.*\S)?$/, { message: 'recordNumber must not begin or end with spaces' })
  recordNumber: string;

  @ApiProperty({ maxLength: 100, description: '姓' })
  @IsString()
  @Length(1, 100)
  familyName: string;

  @ApiProperty({ maxLength: 100, description: '名' })
  @IsString()
  @Length(1, 100)
  givenName: string;

  @ApiProperty({ maxLength: 100, description: 'セイ (full-width katakana)', example: 'ヤマダ' })
  @IsString()
  @Length(1, 100)
  @IsKatakana()
  familyNameKana: string;

  @ApiProperty({ maxLength: 100, description: 'メイ (full-width katakana)', example: 'ハナコ' })
  @IsString()
  @Length(1, 100)
  @IsKatakana()
  givenNameKana: string;

  @ApiProperty({ format: 'date', description: 'In the past (Asia/Tokyo calendar), not before 1900-01-01' })
  @IsCalendarDate()
  birthDate: string;

  @ApiProperty({ enum: SEXES })
  @IsIn(SEXES)
  sex: Sex;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      '援護市町村: the municipality (an organization of kind municipality) that grants the benefits. Optional at registration; ' +
      'it decides which municipal officers see the patient.',
  })
  @IsOptional()
  @IsUUID()
  responsibleMunicipalityId?: string | null;

  @ApiPropertyOptional({
    type: String,
    maxLength: 50,
    nullable: true,
    description: 'Ward (区) of residence before admission',
  })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  residenceWard?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    nullable: true,
    description: 'Date of consent to information sharing (情報共有の同意日); not in the future',
  })
  @IsOptional()
  @IsCalendarDate()
  consentOn?: string | null;

  @ApiPropertyOptional({
    type: String,
    maxLength: 500,
    nullable: true,
    description: 'What the consent covers (同意の範囲)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  consentScope?: string | null;
}

/**
 * Every registration field but the hospital: a patient moves to another hospital by being registered there
 * (record numbers are per hospital). Municipal officers may change only `responsibleMunicipalityId`.
 */
export class UpdatePatientDto {
  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  @Matches(/^\S(.*\S)?$/, { message: 'recordNumber must not begin or end with spaces' })
  recordNumber?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  familyName?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  givenName?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @IsKatakana()
  familyNameKana?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @IsKatakana()
  givenNameKana?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  birthDate?: string;

  @ApiPropertyOptional({ enum: SEXES })
  @IsOptional()
  @IsIn(SEXES)
  sex?: Sex;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      '援護市町村 (kind municipality); null clears it. Every change is audited with the old and new id.',
  })
  @IsOptional()
  @IsUUID()
  responsibleMunicipalityId?: string | null;

  @ApiPropertyOptional({ type: String, maxLength: 50, nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  residenceWard?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true })
  @IsOptional()
  @IsCalendarDate()
  consentOn?: string | null;

  @ApiPropertyOptional({ type: String, maxLength: 500, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  consentScope?: string | null;
}

export class ListPatientsQuery extends PageQuery {
  @ApiPropertyOptional({
    maxLength: 100,
    description:
      'Name or kana contains (spaces ignored; hiragana also matches katakana). Use ≥ 2 characters for speed.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  hospitalId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '援護市町村' })
  @IsOptional()
  @IsUUID()
  responsibleMunicipalityId?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: current admission has lasted ≥ 365 days at asOf (長期入院)',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  longStay?: 'true' | 'false';

  @ApiPropertyOptional({
    maxLength: 30,
    description: 'Patients with an active enrollment at this step (e.g. supporting)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]{1,30}$/, { message: 'step must be a step name such as referred or supporting' })
  step?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'Reference day for lengthOfStayDays and longStay (default: today, Asia/Tokyo)',
  })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}
