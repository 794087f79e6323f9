import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type Actor, CurrentActor } from '../auth/actor.js';
import { Allow } from '../auth/allow.decorator.js';
import { parseIfMatch } from '../common/etag.js';
import { ApiCreateErrors, ApiReadErrors, ApiUpdateErrors, withEtag } from '../common/http.js';
import { IdempotencyService } from '../common/idempotency.service.js';
import { CreateEventDto, ListEventsQuery, UpdateEventDto } from './dto/event.dto.js';
import { EventPage, EventView } from './event.view.js';
import { EventsService } from './events.service.js';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @Allow('event:read')
  @ApiOperation({ summary: 'List the programme’s events (会議・研修), keyset-paginated by (heldOn, id); filters combine' })
  @ApiOkResponse({ type: EventPage })
  @ApiReadErrors()
  list(@Query() query: ListEventsQuery) {
    return this.events.list(query);
  }

  @Get(':id')
  @Allow('event:read')
  @ApiOkResponse({ type: EventView, description: 'With ETag' })
  @ApiReadErrors()
  async get(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.events.get(id));
  }

  @Post()
  @Allow('event:write')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record an event (admins; municipal officers for their own municipality). Marks listed peers trained at a supporter_training.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key create at most one event' })
  @ApiCreatedResponse({ type: EventView })
  @ApiCreateErrors()
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateEventDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.events.create(actor, dto, IdempotencyService.validKey(key)));
  }

  @Patch(':id')
  @Allow('event:write')
  @ApiOperation({ summary: 'Change an event; attendance and peerSupporterIds, when sent, replace the old lists (another municipality’s → 403)' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag from the last read' })
  @ApiOkResponse({ type: EventView })
  @ApiUpdateErrors()
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateEventDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.events.update(actor, id, parseIfMatch(ifMatch), dto));
  }
}
