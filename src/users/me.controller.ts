import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '../auth/actor.js';
import { Allow } from '../auth/allow.decorator.js';
import { ProblemResponse } from '../common/openapi.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { MeView } from './me.view.js';
import { UsersService } from './users.service.js';

@ApiTags('me')
@Controller('me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Allow('self:read')
  @ApiOperation({ summary: 'The caller: role and organization' })
  @ApiOkResponse({ type: MeView })
  me(@CurrentActor() actor: Actor) {
    return this.users.me(actor);
  }

  @Post('password')
  @Allow('self:update')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Change your password',
    description: 'Ends every session of yours, including this one: sign in again with the new password.',
  })
  @ApiNoContentResponse({ description: 'Changed; every session ended.' })
  @ApiBadRequestResponse({ description: 'Malformed body, or a new password that breaks the rules.', type: ProblemResponse })
  async changePassword(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.users.changeOwnPassword(actor, dto);
  }
}
