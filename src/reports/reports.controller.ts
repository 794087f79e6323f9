import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '../auth/actor.js';
import { Allow } from '../auth/allow.decorator.js';
import { ApiReadErrors } from '../common/http.js';
import { ComparisonService } from './comparison.service.js';
import { ComparisonQuery, DischargesQuery, FiscalYearReportQuery } from './dto/report-query.dto.js';
import { IndicatorsService } from './indicators.service.js';
import { ReportOutput } from './report-output.js';
import { ReportsService } from './reports.service.js';
import {
  ComparisonReport,
  ContactIntensityReport,
  DischargesReport,
  FunnelReport,
  IndicatorsReport,
  OutcomesReport,
} from './reports.view.js';

const SCOPE_NOTE =
  ' Counts only what you may see: hospital staff their hospital, office and nurse staff their own cases, municipal officers their ' +
  'municipality (its teams and the patients it is 援護市町村 for), prefectural officers the municipalities of their prefecture (都道府県; aggregates only). ' +
  'JSON, or CSV (UTF-8 with BOM) with ?format=csv (audited as an export); ?suppressBelow=5 for publication.';

@ApiTags('reports')
@Controller('reports')
@ApiProduces('application/json', 'text/csv')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly indicators: IndicatorsService,
    private readonly comparisons: ComparisonService,
    private readonly output: ReportOutput,
  ) {}

  @Get('discharges')
  @Allow('report:read')
  @ApiOperation({
    summary:
      'Discharges (退院): all, long-stay (stay ≥ 365 days), through the programme, median days from enrollment to discharge',
    description:
      'Grouped by any combination of month, fiscalYear (年度), hospital, team, program, destination, admissionType.' +
      SCOPE_NOTE,
  })
  @ApiOkResponse({ type: DischargesReport })
  @ApiReadErrors()
  async discharges(
    @CurrentActor() actor: Actor,
    @Query() q: DischargesQuery,
    @Headers('accept') accept?: string,
  ) {
    return this.output.render(actor, 'discharges', q, accept, await this.reports.discharges(actor, q));
  }

  @Get('funnel')
  @Allow('report:read')
  @ApiOperation({
    summary: 'Enrollments reaching each step in the fiscal year, withdrawals by reason, per programme',
    description: SCOPE_NOTE.trim(),
  })
  @ApiOkResponse({ type: FunnelReport })
  @ApiReadErrors()
  async funnel(
    @CurrentActor() actor: Actor,
    @Query() q: FiscalYearReportQuery,
    @Headers('accept') accept?: string,
  ) {
    return this.output.render(actor, 'funnel', q, accept, await this.reports.funnel(actor, q));
  }

  @Get('outcomes')
  @Allow('report:read')
  @ApiOperation({
    summary:
      'Readmission within 3/6/12 months, 退院後1年以内の地域での平均生活日数, discharge rate 3/6/12 months after admission',
    description:
      'Within 3/6/12 months = within 90/180/365 days (day 90 counts for 3 months, day 91 does not). National targets of the 第7期障害福祉計画 ' +
      '(325.3 days; 68.9 % / 84.5 % / 91.0 %) are included as reference values, labelled as national.' +
      SCOPE_NOTE,
  })
  @ApiOkResponse({ type: OutcomesReport })
  @ApiReadErrors()
  async outcomes(
    @CurrentActor() actor: Actor,
    @Query() q: FiscalYearReportQuery,
    @Headers('accept') accept?: string,
  ) {
    return this.output.render(actor, 'outcomes', q, accept, await this.reports.outcomes(actor, q));
  }

  @Get('contact-intensity')
  @Allow('report:read')
  @ApiOperation({
    summary:
      'Contacts per enrollment-month by kind; discharge rate by face-to-face days per month (<2, 2–3, 4–7, ≥8) and by approach',
    description: SCOPE_NOTE.trim(),
  })
  @ApiOkResponse({ type: ContactIntensityReport })
  @ApiReadErrors()
  async contactIntensity(
    @CurrentActor() actor: Actor,
    @Query() q: FiscalYearReportQuery,
    @Headers('accept') accept?: string,
  ) {
    return this.output.render(
      actor,
      'contact-intensity',
      q,
      accept,
      await this.reports.contactIntensity(actor, q),
    );
  }

  @Get('indicators')
  @Allow('report:read')
  @ApiOperation({
    summary: 'The indicator sheet (指標): 設定理由, 現状値, 目標値, actual computed from the data, met',
    description:
      'Targets: the municipality’s stored row, else the deployment-wide one, else the defaults of the seed sheet.' +
      SCOPE_NOTE,
  })
  @ApiOkResponse({ type: IndicatorsReport })
  @ApiReadErrors()
  async indicatorSheet(
    @CurrentActor() actor: Actor,
    @Query() q: FiscalYearReportQuery,
    @Headers('accept') accept?: string,
  ) {
    return this.output.render(actor, 'indicators', q, accept, await this.indicators.sheet(actor, q));
  }

  @Get('comparison')
  @Allow('comparison:read')
  @ApiOperation({
    summary:
      'City-to-city comparison: one row per municipality; your own row exact, others’ counts 1–4 as "<5" and their small-base rates withheld',
    description:
      'Municipal officers: the municipalities of their prefecture (都道府県), or of the whole deployment when theirs has none; prefectural ' +
      'officers: their prefecture; admins: ?prefectureId= (default all). JSON or CSV (BOM).',
  })
  @ApiOkResponse({ type: ComparisonReport })
  @ApiReadErrors()
  async comparison(
    @CurrentActor() actor: Actor,
    @Query() q: ComparisonQuery,
    @Headers('accept') accept?: string,
  ) {
    return this.output.render(actor, 'comparison', q, accept, await this.comparisons.comparison(actor, q));
  }
}
