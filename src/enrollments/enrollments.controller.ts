import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type Actor, CurrentActor } from '../auth/actor.js';
import { Allow } from '../auth/allow.decorator.js';
import { parseIfMatch } from '../common/etag.js';
import { ApiCreateErrors, ApiReadErrors, ApiUpdateErrors, sendStored, withEtag } from '../common/http.js';
import { IdempotencyService } from '../common/idempotency.service.js';
import { BenefitPeriodDto } from './dto/benefit-period.dto.js';
import { CreateEnrollmentDto } from './dto/create-enrollment.dto.js';
import { ListEnrollmentsQuery } from './dto/list-enrollments.query.js';
import { TransitionDto } from './dto/transition.dto.js';
import { BenefitPeriodPage, BenefitPeriodView, EnrollmentDetailView, EnrollmentPage } from './enrollment.view.js';
import { EnrollmentsService } from './enrollments.service.js';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'Retries with the same key and body get the first response; the same key with another body → 422; while in flight → 409',
};

@ApiTags('enrollments')
@Controller('enrollments')
export class EnrollmentsController {
  constructor(private readonly enrollments: EnrollmentsService) {}

  @Get()
  @Allow('enrollment:read')
  @ApiOperation({ summary: 'List the enrollments (支援の利用) you may see, keyset-paginated' })
  @ApiOkResponse({ type: EnrollmentPage })
  @ApiReadErrors()
  list(@CurrentActor() actor: Actor, @Query() query: ListEnrollmentsQuery) {
    return this.enrollments.list(actor, query);
  }

  @Post()
  @Allow('enrollment:create')
  @HttpCode(201)
  @ApiOperation({ summary: 'Enroll a patient in a programme; it starts at the programme’s first step' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: EnrollmentDetailView, description: 'With ETag' })
  @ApiCreateErrors()
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateEnrollmentDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendStored(reply, await this.enrollments.create(actor, dto, IdempotencyService.validKey(key)));
  }

  @Get(':id')
  @Allow('enrollment:read')
  @ApiOperation({ summary: 'One enrollment: step, version, current benefit period with days left, history' })
  @ApiOkResponse({ type: EnrollmentDetailView, description: 'With ETag' })
  @ApiReadErrors()
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.enrollments.get(actor, id));
  }

  @Post(':id/transitions')
  @Allow('enrollment:transition')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Move to another step (validated against GET /programs)',
    description:
      'Illegal moves → 422 naming the allowed targets. `discharged` closes the patient’s open admission in the same transaction; ' +
      'if that fails nothing is stored. Returns the enrollment with its new ETag.',
  })
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag from the last read' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: EnrollmentDetailView, description: 'The enrollment after the move, with ETag' })
  @ApiUpdateErrors()
  async transition(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('idempotency-key') key: string | undefined,
    @Body() dto: TransitionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const expected = parseIfMatch(ifMatch);
    return sendStored(reply, await this.enrollments.transition(actor, id, expected, dto, IdempotencyService.validKey(key)));
  }

  @Get(':id/benefit-periods')
  @Allow('enrollment:read')
  @ApiOperation({ summary: 'Benefit periods (支給決定期間) of an enrollment, oldest first' })
  @ApiOkResponse({ type: BenefitPeriodPage })
  @ApiReadErrors()
  benefitPeriods(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.enrollments.benefitPeriods(actor, id);
  }

  @Post(':id/benefit-periods')
  @Allow('enrollment:transition')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Renew the benefit (支給決定の更新): a new period starting the day after the previous one ends',
    description: 'Recorded by the municipality, or by the assigned office on its behalf (audited as such). The first period comes with the `granted` step.',
  })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: BenefitPeriodView })
  @ApiCreateErrors()
  async renew(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body() dto: BenefitPeriodDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendStored(reply, await this.enrollments.renewBenefitPeriod(actor, id, dto, IdempotencyService.validKey(key)));
  }
}
