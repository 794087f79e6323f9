import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export interface IndicatorTargetRow {
  id: string;
  fiscal_year: number;
  code: string;
  municipality_id: string | null;
  reason: string | null;
  baseline: number | null;
  baseline_text: string | null;
  target: number | null;
  target_text: string | null;
  updated_by_id: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** A stored indicator target (指標の設定理由・現状値・目標値) of one fiscal year. */
export class IndicatorTargetView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Fiscal year (年度)' }) fiscalYear: number;
  @ApiProperty({ example: 'transition_program_sessions' }) code: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'Municipality (市区町村) whose target it is; null: deployment-wide default',
  })
  municipalityId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: '指標の設定理由' }) reason: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: '現状値' }) baseline: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) baselineText: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: '目標値' }) target: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) targetText: string | null;
  @ApiProperty() version: number;
  @ApiProperty() updatedAt: string;

  static of(r: IndicatorTargetRow): IndicatorTargetView {
    return {
      id: r.id,
      fiscalYear: r.fiscal_year,
      code: r.code,
      municipalityId: r.municipality_id,
      reason: r.reason,
      baseline: r.baseline,
      baselineText: r.baseline_text,
      target: r.target,
      targetText: r.target_text,
      version: r.version,
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  }
}
