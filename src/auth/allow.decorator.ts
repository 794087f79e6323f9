import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Permission } from './access-policy.js';
import { ProblemResponse } from '../common/openapi.js';

export const PERMISSION_KEY = 'kizuna:permission';
export const PUBLIC_KEY = 'kizuna:public';

/**
 * The access declaration every route needs: the global guard refuses a route that has neither
 * `@Allow(permission)` nor `@Public()` (deny by default).
 */
export function Allow(permission: Permission): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(PERMISSION_KEY, permission),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing, invalid or expired access token.', type: ProblemResponse }),
    ApiForbiddenResponse({ description: 'Your role may not do this.', type: ProblemResponse }),
  );
}

/** A route anyone may call without a token (login, refresh, health, docs). */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_KEY, true);
}
