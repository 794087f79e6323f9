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
import { type Actor, CurrentActor } from '../auth/actor.js';
import { Allow } from '../auth/allow.decorator.js';
import { parseIfMatch } from '../common/etag.js';
import { ApiCreateErrors, ApiReadErrors, ApiUpdateErrors, withEtag } from '../common/http.js';
import { AdmissionList, AdmissionView } from './admission.view.js';
import { AdmissionsService } from './admissions.service.js';
import { AsOfQuery, CreateAdmissionDto, UpdateAdmissionDto } from './dto/admission.dto.js';

@ApiTags('admissions')
@Controller()
export class AdmissionsController {
  constructor(private readonly admissions: AdmissionsService) {}

  @Get('patients/:id/admissions')
  @Allow('admission:read')
  @ApiOperation({
    summary:
      "A patient's admissions (入院歴), newest first, with length of stay, long-stay and readmission flags",
  })
  @ApiOkResponse({ type: AdmissionList })
  @ApiReadErrors()
  async list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: AsOfQuery,
  ): Promise<AdmissionList> {
    return { items: await this.admissions.listForPatient(actor, id, query.asOf) };
  }

  @Post('patients/:id/admissions')
  @Allow('admission:write')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record an admission; at most one open admission per patient (409)' })
  @ApiCreatedResponse({ type: AdmissionView })
  @ApiCreateErrors()
  async create(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateAdmissionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.admissions.create(actor, id, dto));
  }

  @Get('admissions/:id')
  @Allow('admission:read')
  @ApiOkResponse({ type: AdmissionView, description: 'With ETag' })
  @ApiReadErrors()
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: AsOfQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.admissions.get(actor, id, query.asOf));
  }

  @Patch('admissions/:id')
  @Allow('admission:write')
  @ApiOperation({
    summary: 'Correct type, date or ward; discharge fields → 422 (the discharge step sets them)',
  })
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag from the last read' })
  @ApiOkResponse({ type: AdmissionView })
  @ApiUpdateErrors()
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateAdmissionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.admissions.update(actor, id, parseIfMatch(ifMatch), dto));
  }
}
