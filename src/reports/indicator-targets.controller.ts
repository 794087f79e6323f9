import { Body, Controller, Headers, Param, ParseIntPipe, Put, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPreconditionFailedResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type Actor, CurrentActor } from '../auth/actor.js';
import { Allow } from '../auth/allow.decorator.js';
import { parseIfMatch } from '../common/etag.js';
import { ApiCreateErrors, withEtag } from '../common/http.js';
import { ProblemResponse } from '../common/openapi.js';
import { PutIndicatorTargetDto } from './dto/indicator-target.dto.js';
import { IndicatorTargetView } from './indicator-target.view.js';
import { INDICATOR_CODES } from './indicators.js';
import { IndicatorsService } from './indicators.service.js';

@ApiTags('reports')
@Controller('indicator-targets')
export class IndicatorTargetsController {
  constructor(private readonly indicators: IndicatorsService) {}

  @Put(':fiscalYear/:code')
  @Allow('indicator-target:write')
  @ApiOperation({
    summary: 'Set an indicator’s 設定理由 (reason), 現状値 (baseline) and 目標値 (target) for a fiscal year',
    description:
      'Municipal officers set their own municipality’s; admins pass municipalityId, or none for the deployment-wide default. ' +
      'Replaces the row (absent fields become null). If-Match is optional: with it the row must exist at that version (412 otherwise).',
  })
  @ApiParam({ name: 'fiscalYear', description: 'Fiscal year (年度), 2000–2100', example: 2026 })
  @ApiParam({ name: 'code', enum: INDICATOR_CODES })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from the last write (optional)' })
  @ApiOkResponse({ type: IndicatorTargetView, description: 'Replaced; with ETag' })
  @ApiCreatedResponse({ type: IndicatorTargetView, description: 'Created; with ETag' })
  @ApiCreateErrors()
  @ApiPreconditionFailedResponse({ description: 'Stale If-Match', type: ProblemResponse })
  async put(
    @CurrentActor() actor: Actor,
    @Param('fiscalYear', ParseIntPipe) fiscalYear: number,
    @Param('code') code: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: PutIndicatorTargetDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const expected = ifMatch === undefined || ifMatch.trim() === '' ? null : parseIfMatch(ifMatch);
    const { view, created } = await this.indicators.putTarget(actor, fiscalYear, code, expected, dto);
    reply.status(created ? 201 : 200);
    return withEtag(reply, view);
  }
}
