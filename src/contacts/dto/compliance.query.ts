import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';

export class ComplianceQuery {
  @ApiPropertyOptional({ example: '2026-11', description: 'Calendar month YYYY-MM (Asia/Tokyo); default the current month; a future month → 400' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM (e.g. 2026-11)' })
  month?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only enrollments assigned to this support office' })
  @IsOptional()
  @IsUUID()
  supportOfficeId?: string;

  @ApiPropertyOptional({ enum: ['met', 'at_risk', 'missed'] })
  @IsOptional()
  @IsIn(['met', 'at_risk', 'missed'])
  status?: 'met' | 'at_risk' | 'missed';

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv → UTF-8 CSV with BOM (also with Accept: text/csv)' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  @ApiPropertyOptional({ enum: ['en', 'ja'], description: 'Language of the CSV header row' })
  @IsOptional()
  @IsIn(['en', 'ja'])
  lang?: 'en' | 'ja';
}
