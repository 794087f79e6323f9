import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Actor, Role } from './actor.js';
import { issuedAtFor } from './token-rules.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/** Access tokens live 15 minutes (issue #4); the refresh token carries the session beyond that. */
export const ACCESS_TOKEN_SECONDS = 15 * 60;

export interface AccessPayload {
  sub: string;
  role: Role;
  org: string | null;
  typ: 'access';
  iat?: number;
  exp?: number;
}

@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Sign an access token. `validAfterSec` is the user's revocation second (see token-rules.ts): the token's
   * `iat` is never before it, so a login right after a password change is not refused by its own revocation.
   */
  signAccess(actor: Actor, validAfterSec = 0): string {
    const payload: AccessPayload = {
      sub: actor.userId,
      role: actor.role,
      org: actor.organizationId,
      typ: 'access',
      iat: issuedAtFor(Date.now(), validAfterSec),
    };
    return this.jwt.sign(payload, { secret: this.config.jwtSecret, algorithm: 'HS256', expiresIn: ACCESS_TOKEN_SECONDS });
  }
}
