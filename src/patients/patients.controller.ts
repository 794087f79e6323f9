import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AsOfQuery } from '../admissions/dto/admission.dto.js';
import { type Actor, CurrentActor } from '../auth/actor.js';
import { Allow } from '../auth/allow.decorator.js';
import { parseIfMatch } from '../common/etag.js';
import { ApiCreateErrors, ApiReadErrors, ApiUpdateErrors, sendStored, withEtag } from '../common/http.js';
import { IdempotencyService } from '../common/idempotency.service.js';
import { CreatePatientDto, ListPatientsQuery, UpdatePatientDto } from './dto/patient.dto.js';
import { PatientPage, PatientView } from './patient.view.js';
import { PatientsService } from './patients.service.js';

@ApiTags('patients')
@Controller('patients')
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  @Get()
  @Allow('patient:read')
  @ApiOperation({
    summary:
      'Patients you may see, in kana order, with current admission and enrollment step (every row read is audited)',
  })
  @ApiOkResponse({ type: PatientPage })
  @ApiReadErrors()
  list(@CurrentActor() actor: Actor, @Query() query: ListPatientsQuery) {
    return this.patients.list(actor, query);
  }

  @Post()
  @Allow('patient:create')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Register a patient (hospital staff: at their own hospital). Honours Idempotency-Key.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retries with the same key and body return the first response',
  })
  @ApiCreatedResponse({ type: PatientView })
  @ApiCreateErrors()
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreatePatientDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendStored(reply, await this.patients.create(actor, dto, IdempotencyService.validKey(key)));
  }

  @Get(':id')
  @Allow('patient:read')
  @ApiOkResponse({ type: PatientView, description: 'With ETag; the read is audited' })
  @ApiReadErrors()
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: AsOfQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.patients.get(actor, id, query.asOf));
  }

  @Patch(':id')
  @Allow('patient:update')
  @ApiOperation({
    summary:
      'Correct registration fields; municipal officers may change only responsibleMunicipalityId (援護市町村)',
  })
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag from the last read' })
  @ApiOkResponse({ type: PatientView })
  @ApiUpdateErrors()
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdatePatientDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.patients.update(actor, id, parseIfMatch(ifMatch), dto));
  }
}
