import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { type Actor, ROLES } from './actor.js';
import type { AccessPayload } from './tokens.service.js';
import { UserStatusCache } from './user-status.cache.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Unauthenticated } from '../common/errors.js';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly status: UserStatusCache,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'], // never `none`, never an asymmetric algorithm chosen by the token
      ignoreExpiration: false,
    });
  }

  async validate(payload: AccessPayload): Promise<Actor> {
    if (payload?.typ !== 'access' || typeof payload.sub !== 'string' || !ROLES.includes(payload.role)) {
      throw new Unauthenticated('The access token is not valid.');
    }
    if (!(await this.status.isValid(payload.sub, payload.iat ?? 0))) {
      throw new Unauthenticated('The access token has been revoked.');
    }
    return { userId: payload.sub, role: payload.role, organizationId: payload.org ?? null };
  }
}
