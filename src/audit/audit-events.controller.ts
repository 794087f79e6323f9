import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/allow.decorator.js';
import { ApiReadErrors } from '../common/http.js';
import { AuditEventPage } from './audit-event.view.js';
import { AuditEventsService } from './audit-events.service.js';
import { ListAuditEventsQuery } from './dto/list-audit-events.query.js';

@ApiTags('audit')
@Controller('audit-events')
export class AuditEventsController {
  constructor(private readonly events: AuditEventsService) {}

  @Get()
  @Allow('audit:read')
  @ApiOperation({
    summary: 'The audit trail (admin): who did what to which records, when and from where; newest first',
    description: 'Append-only: every write, every read of patient data, sign-ins, failed sign-ins, lockouts and sign-outs.',
  })
  @ApiOkResponse({ type: AuditEventPage })
  @ApiReadErrors()
  list(@Query() query: ListAuditEventsQuery) {
    return this.events.list(query);
  }
}
