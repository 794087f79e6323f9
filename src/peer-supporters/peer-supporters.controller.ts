import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type Actor, CurrentActor } from '../auth/actor.js';
import { Allow } from '../auth/allow.decorator.js';
import { parseIfMatch } from '../common/etag.js';
import { ApiCreateErrors, ApiReadErrors, ApiUpdateErrors, withEtag } from '../common/http.js';
import { IdempotencyService } from '../common/idempotency.service.js';
import { CreatePeerSupporterDto, ListPeerSupportersQuery, UpdatePeerSupporterDto } from './dto/peer-supporter.dto.js';
import { PeerSupporterDetailView, PeerSupporterPage, PeerSupporterView } from './peer-supporter.view.js';
import { PeerSupportersService } from './peer-supporters.service.js';

@ApiTags('peer-supporters')
@Controller('peer-supporters')
export class PeerSupportersController {
  constructor(private readonly peers: PeerSupportersService) {}

  @Get()
  @Allow('peer:read')
  @ApiOperation({ summary: 'List peer supporters (ピアサポーター), keyset-paginated by displayName; every role may read them' })
  @ApiOkResponse({ type: PeerSupporterPage })
  @ApiReadErrors()
  list(@Query() query: ListPeerSupportersQuery) {
    return this.peers.list(query);
  }

  @Get(':id')
  @Allow('peer:read')
  @ApiOperation({ summary: 'A peer supporter with the training sessions (養成研修) attended' })
  @ApiOkResponse({ type: PeerSupporterDetailView, description: 'With ETag' })
  @ApiReadErrors()
  async get(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.peers.get(id));
  }

  @Post()
  @Allow('peer:write')
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a peer supporter (admins; municipal officers for their own municipality)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key create at most one peer' })
  @ApiCreatedResponse({ type: PeerSupporterView })
  @ApiCreateErrors()
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreatePeerSupporterDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.peers.create(actor, dto, IdempotencyService.validKey(key)));
  }

  @Patch(':id')
  @Allow('peer:write')
  @ApiOperation({ summary: 'Change a peer supporter (another municipality’s → 403)' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag from the last read' })
  @ApiOkResponse({ type: PeerSupporterView })
  @ApiUpdateErrors()
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdatePeerSupporterDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.peers.update(actor, id, parseIfMatch(ifMatch), dto));
  }
}
