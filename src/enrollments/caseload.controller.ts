import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '../auth/actor.js';
import { Allow } from '../auth/allow.decorator.js';
import { ApiReadErrors } from '../common/http.js';
import { CaseloadPage } from './caseload.view.js';
import { CaseloadService } from './caseload.service.js';
import { CaseloadQuery } from './dto/caseload.query.js';

@ApiTags('enrollments')
@Controller('caseload')
export class CaseloadController {
  constructor(private readonly caseload: CaseloadService) {}

  @Get()
  @Allow('caseload:read')
  @ApiOperation({
    summary: 'Your caseload: the active enrollments assigned to you',
    description:
      'Support office staff: their office’s cases; nurse staff: their station’s; hospital staff: their hospital’s; municipal officers: ' +
      'their municipality’s; admins: all. Each with step, days in step, benefit days left, last contact and this month’s face-to-face days.',
  })
  @ApiOkResponse({ type: CaseloadPage })
  @ApiReadErrors()
  get(@CurrentActor() actor: Actor, @Query() query: CaseloadQuery) {
    return this.caseload.caseload(actor, query);
  }
}
