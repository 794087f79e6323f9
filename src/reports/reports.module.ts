import { Module } from '@nestjs/common';
import { ComparisonService } from './comparison.service.js';
import { IndicatorTargetsController } from './indicator-targets.controller.js';
import { IndicatorsService } from './indicators.service.js';
import { ReportOutput } from './report-output.js';
import { ReportReader } from './report-reader.js';
import { ReportScopes } from './report-scopes.js';
import { ReportsController } from './reports.controller.js';
import { ReportsService } from './reports.service.js';

@Module({
  controllers: [ReportsController, IndicatorTargetsController],
  providers: [ReportReader, ReportScopes, ReportOutput, ReportsService, IndicatorsService, ComparisonService],
})
export class ReportsModule {}
