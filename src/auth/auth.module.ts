import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AccessGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { JwtStrategy } from './jwt.strategy.js';
import { LocalStrategy } from './local.strategy.js';
import { LoginThrottleGuard } from './login-throttle.guard.js';
import { RefreshTokensService } from './refresh-tokens.service.js';
import { TokensService } from './tokens.service.js';
import { UserStatusCache } from './user-status.cache.js';

@Global()
@Module({
  imports: [PassportModule, JwtModule.register({})],
  controllers: [AuthController],
  providers: [
    JwtStrategy,
    LocalStrategy,
    TokensService,
    RefreshTokensService,
    AuthService,
    LoginThrottleGuard,
    UserStatusCache,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [TokensService, RefreshTokensService, AuthService, UserStatusCache],
})
export class AuthModule {}
