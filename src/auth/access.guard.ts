import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Actor } from './actor.js';
import { AccessPolicy, type Permission } from './access-policy.js';
import { PERMISSION_KEY, PUBLIC_KEY } from './allow.decorator.js';
import { Forbidden, Unauthenticated } from '../common/errors.js';

/**
 * The global guard: deny by default. A route is reachable only when marked `@Public()` or given a
 * permission with `@Allow()`; then the token must be valid and the role must hold the permission.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly policy: AccessPolicy,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    if (!permission) throw new Forbidden('This route has no access declaration and is refused.');
    await super.canActivate(context);
    const actor = context.switchToHttp().getRequest<{ user: Actor }>().user;
    if (!this.policy.roleMay(actor.role, permission)) throw new Forbidden();
    return true;
  }

  override handleRequest<TUser>(err: unknown, user: TUser, info: unknown): TUser {
    // Token problems arrive as `info`; an `err` is ours (revoked token) or the database failing (→ 503).
    if (err) throw err;
    if (!user) {
      const expired = (info as Error | undefined)?.name === 'TokenExpiredError';
      throw new Unauthenticated(expired ? 'The access token has expired.' : 'Authentication is required: send a valid access token.');
    }
    return user;
  }
}
