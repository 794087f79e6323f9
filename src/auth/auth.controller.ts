import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { type Actor, CurrentActor } from './actor.js';
import { Allow, Public } from './allow.decorator.js';
import { AuthService, type CredentialRow } from './auth.service.js';
import { LoginDto } from './dto/login.dto.js';
import { RefreshDto } from './dto/refresh.dto.js';
import { LocalAuthGuard } from './local-auth.guard.js';
import { LoginThrottleGuard } from './login-throttle.guard.js';
import { SessionView } from './session.view.js';
import { ProblemResponse } from '../common/openapi.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @UseGuards(LoginThrottleGuard, LocalAuthGuard)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password',
    description:
      'Returns a 15-minute access token and a refresh token. Unknown email, wrong password, a locked account ' +
      '(10 wrong passwords within 15 minutes lock it for 15 minutes) and an inactive account all answer the same 401. ' +
      'Throttled per client IP.',
  })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: SessionView })
  @ApiBadRequestResponse({ description: 'Malformed body (field-level `errors`).', type: ProblemResponse })
  @ApiUnauthorizedResponse({ description: 'The email or password is not correct, or the account is locked or inactive.', type: ProblemResponse })
  @ApiTooManyRequestsResponse({ description: 'Too many sign-in attempts from this IP; see Retry-After.', type: ProblemResponse })
  login(@Req() req: { user: CredentialRow }): Promise<SessionView> {
    return this.auth.startSession(req.user);
  }

  @Post('refresh')
  @Public()
  @UseGuards(LoginThrottleGuard)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair',
    description: 'The presented refresh token stops working. Presenting it again revokes the whole session (401).',
  })
  @ApiOkResponse({ type: SessionView })
  @ApiBadRequestResponse({ description: 'Malformed body.', type: ProblemResponse })
  @ApiUnauthorizedResponse({ description: 'Unknown, expired, revoked or reused refresh token.', type: ProblemResponse })
  @ApiTooManyRequestsResponse({ description: 'Too many requests from this IP; see Retry-After.', type: ProblemResponse })
  refresh(@Body() dto: RefreshDto): Promise<SessionView> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @Allow('self:update')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: revoke the session the refresh token belongs to' })
  @ApiNoContentResponse({ description: 'The session is revoked (also when the token was already revoked or unknown).' })
  @ApiBadRequestResponse({ description: 'Malformed body.', type: ProblemResponse })
  async logout(@CurrentActor() actor: Actor, @Body() dto: RefreshDto): Promise<void> {
    await this.auth.logout(actor, dto.refreshToken);
  }
}
