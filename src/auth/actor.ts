import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

export const ROLES = [
  'admin',
  'municipal_officer',
  'prefectural_officer',
  'hospital_staff',
  'support_office_staff',
  'nurse_staff',
] as const;
export type Role = (typeof ROLES)[number];

/** Which organization kind each role belongs to (DOMAIN.md §7). Admins may have none. */
export const ROLE_ORGANIZATION_KIND: Record<Role, string | null> = {
  admin: null,
  municipal_officer: 'municipality',
  prefectural_officer: 'prefecture',
  hospital_staff: 'hospital',
  support_office_staff: 'support_office',
  nurse_staff: 'nurse_station',
};

/** The signed-in caller, taken from the verified access token (no database round trip per request). */
export interface Actor {
  userId: string;
  role: Role;
  organizationId: string | null;
}

/** `@CurrentActor() actor: Actor` in a handler. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ user?: Actor }>();
  if (!req.user) throw new Error('CurrentActor used on a public route');
  return req.user;
});
