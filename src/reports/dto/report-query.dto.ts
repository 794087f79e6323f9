import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/date.validator.js';
import { DISCHARGE_DIMENSIONS } from '../report-maths.js';

/** `?format=&lang=&suppressBelow=`, taken by every report. */
export class ReportOutputQuery {
  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    default: 'json',
    description:
      'csv: UTF-8 with BOM and a header row, streamed (also `Accept: text/csv`). Audited as an export.',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  @ApiPropertyOptional({
    enum: ['en', 'ja'],
    default: 'en',
    description: 'CSV header language (ja: 日本語の見出し).',
  })
  @IsOptional()
  @IsIn(['en', 'ja'])
  lang?: 'en' | 'ja';

  @ApiPropertyOptional({
    minimum: 2,
    maximum: 100,
    description:
      'For publication (公表用): counts from 1 to N−1 read "<N"; rates, means and medians from fewer than N people are withheld (null, named in the row’s `withheld`).',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(100)
  suppressBelow?: number;
}

/** Plus `?municipalityId=` (admins, prefectural officers; a municipal officer only their own). */
export class ScopedReportQuery extends ReportOutputQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Narrow to one municipality (市区町村): admins any, prefectural officers one of their prefecture (都道府県), municipal officers only their own (others → 403).',
  })
  @IsOptional()
  @IsUUID()
  municipalityId?: string;
}

export class FiscalYearReportQuery extends ScopedReportQuery {
  @ApiPropertyOptional({
    minimum: 2000,
    maximum: 2100,
    description: 'Fiscal year (年度, April–March, Asia/Tokyo); default the current one.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;
}

export class DischargesQuery extends ScopedReportQuery {
  @ApiPropertyOptional({
    format: 'date',
    description: 'First discharge day counted (default: start of the current fiscal year, or of `to`’s).',
  })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'Last discharge day counted (default: end of `from`’s fiscal year).',
  })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({
    description: `Comma-separated dimensions, combinable: ${DISCHARGE_DIMENSIONS.join(', ')}. Empty: one total row.`,
    example: 'fiscalYear,hospital',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  groupBy?: string;
}

export class ComparisonQuery extends ReportOutputQuery {
  @ApiPropertyOptional({
    minimum: 2000,
    maximum: 2100,
    description: 'Fiscal year (年度); default the current one.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Admins: compare the municipalities of this prefecture (都道府県); default every municipality.',
  })
  @IsOptional()
  @IsUUID()
  prefectureId?: string;
}
