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
import { AddMemberDto, LeaveMemberDto, MatchingQuery, MembersQuery } from './dto/member.dto.js';
import { CreateTeamDto, ListTeamsQuery, UpdateTeamDto } from './dto/team.dto.js';
import { MatchingService } from './matching.service.js';
import { MatchingProposalsView } from './matching.view.js';
import { TeamMemberList, TeamMemberView, TeamPage, TeamView } from './team.view.js';
import { TeamsService } from './teams.service.js';

@ApiTags('teams')
@Controller('teams')
export class TeamsController {
  constructor(
    private readonly teams: TeamsService,
    private readonly matching: MatchingService,
  ) {}

  @Get('matching-proposals')
  @Allow('matching:read')
  @ApiOperation({
    summary:
      'Rank support offices and nurse stations for a hospital (same ward, remaining capacity, fewest teams), with score and reason',
  })
  @ApiOkResponse({ type: MatchingProposalsView })
  @ApiReadErrors()
  proposals(@Query() query: MatchingQuery) {
    return this.matching.proposals(query.hospitalId);
  }

  @Get()
  @Allow('team:read')
  @ApiOperation({ summary: 'List transition teams (地域移行チーム), keyset-paginated by name' })
  @ApiOkResponse({ type: TeamPage })
  @ApiReadErrors()
  list(@Query() query: ListTeamsQuery) {
    return this.teams.list(query);
  }

  @Post()
  @Allow('team:write')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a team: one hospital, ≥ 1 support office, any nurse stations, the municipality',
  })
  @ApiCreatedResponse({ type: TeamView })
  @ApiCreateErrors()
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateTeamDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.teams.create(actor, dto));
  }

  @Get(':id')
  @Allow('team:read')
  @ApiOkResponse({ type: TeamView, description: 'With ETag' })
  @ApiReadErrors()
  async get(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.teams.get(id));
  }

  @Patch(':id')
  @Allow('team:write')
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag from the last read' })
  @ApiOkResponse({ type: TeamView })
  @ApiUpdateErrors()
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateTeamDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.teams.update(actor, id, parseIfMatch(ifMatch), dto));
  }

  @Get(':id/members')
  @Allow('team:read')
  @ApiOperation({ summary: 'Membership history, or the members on ?asOf=YYYY-MM-DD' })
  @ApiOkResponse({ type: TeamMemberList })
  @ApiReadErrors()
  async members(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: MembersQuery,
  ): Promise<TeamMemberList> {
    return { items: await this.teams.members(id, query.asOf) };
  }

  @Post(':id/members')
  @Allow('team:write')
  @HttpCode(201)
  @ApiOperation({ summary: 'An organization joins the team; its role follows its kind' })
  @ApiCreatedResponse({ type: TeamMemberView })
  @ApiCreateErrors()
  addMember(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AddMemberDto) {
    return this.teams.addMember(actor, id, dto);
  }

  @Post(':id/members/:memberId/leave')
  @Allow('team:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Close a membership on leftOn; the history stays (a re-join is a new membership)',
  })
  @ApiOkResponse({ type: TeamMemberView })
  @ApiCreateErrors()
  leave(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('memberId', ParseUUIDPipe) memberId: string,
    @Body() dto: LeaveMemberDto,
  ) {
    return this.teams.leave(actor, id, memberId, dto);
  }
}
