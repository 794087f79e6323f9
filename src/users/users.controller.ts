import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type Actor, CurrentActor } from '../auth/actor.js';
import { Allow } from '../auth/allow.decorator.js';
import { parseIfMatch } from '../common/etag.js';
import { ApiCreateErrors, ApiReadErrors, ApiUpdateErrors, withEtag } from '../common/http.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { ListUsersQuery } from './dto/list-users.query.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
import { UserPage, UserView } from './user.view.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Allow('user:read')
  @ApiOperation({ summary: 'List users (admin), keyset-paginated by creation time' })
  @ApiOkResponse({ type: UserPage })
  @ApiReadErrors()
  list(@Query() query: ListUsersQuery) {
    return this.users.list(query);
  }

  @Get(':id')
  @Allow('user:read')
  @ApiOkResponse({ type: UserView, description: 'With ETag' })
  @ApiReadErrors()
  async get(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.users.get(id));
  }

  @Post()
  @Allow('user:write')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a user (admin) with an initial password' })
  @ApiCreatedResponse({ type: UserView })
  @ApiCreateErrors()
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.users.create(actor, dto));
  }

  @Patch(':id')
  @Allow('user:write')
  @ApiOperation({
    summary: 'Change a user (admin)',
    description: 'Deactivating or resetting the password ends the user’s sessions; changing role or organization makes them sign in again.',
  })
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag from the last read' })
  @ApiOkResponse({ type: UserView })
  @ApiUpdateErrors()
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateUserDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.users.update(actor, id, parseIfMatch(ifMatch), dto));
  }
}
