import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AccessGuard } from './access.guard.js';
import { JwtStrategy } from './jwt.strategy.js';
import { TokensService } from './tokens.service.js';
import { UserStatusCache } from './user-status.cache.js';

@Global()
@Module({
  imports: [PassportModule, JwtModule.register({})],
  providers: [JwtStrategy, TokensService, UserStatusCache, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [TokensService, UserStatusCache],
})
export class AuthModule {}
