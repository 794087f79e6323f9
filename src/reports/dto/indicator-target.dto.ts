import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

/** PUT /indicator-targets/:fiscalYear/:code — replaces the row: an absent field is stored as null. */
export class PutIndicatorTargetDto {
  @ApiPropertyOptional({
    maxLength: 1000,
    nullable: true,
    description: '指標の設定理由 (why this indicator)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    minimum: 0,
    maximum: 1e9,
    description: '現状値 (baseline) as a number',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1e9)
  baseline?: number | null;

  @ApiPropertyOptional({
    maxLength: 200,
    nullable: true,
    description: '現状値 as the sheet words it, e.g. "３件（２病院）"',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  baselineText?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    minimum: 0,
    maximum: 1e9,
    description: '目標値 (target) as a number; `met` compares the actual with it',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1e9)
  target?: number | null;

  @ApiPropertyOptional({
    maxLength: 200,
    nullable: true,
    description: '目標値 as the sheet words it, e.g. "９件（各病院１件）"',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  targetText?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Admins: the municipality (市区町村) whose target this is; absent → the deployment-wide default. A municipal officer sets their own municipality’s (another → 403).',
  })
  @IsOptional()
  @IsUUID()
  municipalityId?: string;
}
