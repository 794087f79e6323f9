import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/date.validator.js';
import { IsKatakana } from '../../common/kana.validator.js';
import { PageQuery } from '../../common/pagination.js';
import { ORGANIZATION_KINDS, type OrganizationKind } from '../organization-kinds.js';

export class CreateOrganizationDto {
  @ApiProperty({ enum: ORGANIZATION_KINDS, description: '機関の種別' })
  @IsIn(ORGANIZATION_KINDS)
  kind: OrganizationKind;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Name in katakana (フリガナ)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsKatakana()
  nameKana?: string;

  @ApiPropertyOptional({ maxLength: 50, description: '区 (administrative ward)' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  ward?: string;

  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string;

  @ApiPropertyOptional({ maxLength: 30, example: '043-245-5111' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9+()\- ]{1,30}$/, { message: 'phone may contain digits, spaces, +, -, ( and ) only (max 30)' })
  phone?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Municipality (市区町村) whose area it is in; for matching and maps' })
  @IsOptional()
  @IsUUID()
  municipalityId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Municipalities only: their prefecture (都道府県)' })
  @IsOptional()
  @IsUUID()
  prefectureId?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Hospitals only: psychiatric beds (精神病床数)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  psychiatricBeds?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'Hospitals only: inpatients staying ≥ 1 year (長期入院患者数)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  longStayInpatients?: number;

  @ApiPropertyOptional({ format: 'date', description: 'Hospitals only: date of the long-stay count' })
  @IsOptional()
  @IsCalendarDate()
  longStayAsOf?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Support offices only: concurrent transition enrollments it can hold' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  caseCapacity?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** Every field but `kind` may change; `kind` is fixed at creation. */
export class UpdateOrganizationDto extends PartialType(OmitType(CreateOrganizationDto, ['kind'] as const)) {}

export class ListOrganizationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ORGANIZATION_KINDS })
  @IsOptional()
  @IsIn(ORGANIZATION_KINDS)
  kind?: OrganizationKind;

  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  ward?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Name or kana contains' })
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
  prefectureId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}
