import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiCreatedResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type Actor, CurrentActor } from '../auth/actor.js';
import { Allow } from '../auth/allow.decorator.js';
import { parseIfMatch } from '../common/etag.js';
import { ApiCreateErrors, ApiReadErrors, ApiUpdateErrors, withEtag } from '../common/http.js';
import { CreateOrganizationDto, ListOrganizationsQuery, UpdateOrganizationDto } from './dto/organization.dto.js';
import { OrganizationPage, OrganizationView } from './organization.view.js';
import { OrganizationsService } from './organizations.service.js';

@ApiTags('organizations')
@Controller('organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Get()
  @Allow('organization:read')
  @ApiOperation({ summary: 'List organizations (機関), keyset-paginated by name' })
  @ApiOkResponse({ type: OrganizationPage })
  @ApiReadErrors()
  list(@Query() query: ListOrganizationsQuery) {
    return this.organizations.list(query);
  }

  @Get(':id')
  @Allow('organization:read')
  @ApiOkResponse({ type: OrganizationView, description: 'With ETag' })
  @ApiReadErrors()
  async get(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.organizations.get(id));
  }

  @Post()
  @Allow('organization:write')
  @HttpCode(201)
  @ApiCreatedResponse({ type: OrganizationView })
  @ApiCreateErrors()
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateOrganizationDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.organizations.create(actor, dto));
  }

  @Patch(':id')
  @Allow('organization:write')
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag from the last read' })
  @ApiOkResponse({ type: OrganizationView })
  @ApiUpdateErrors()
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateOrganizationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.organizations.update(actor, id, parseIfMatch(ifMatch), dto));
  }
}
