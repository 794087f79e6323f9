import { ROLE_ORGANIZATION_KIND, type Role } from '../auth/actor.js';

/**
 * A role belongs to one kind of organization (DOMAIN.md §7): hospital staff to a hospital, municipal officers
 * to a municipality, prefectural officers to a prefecture, … Admins may have an organization of any kind, or none.
 * Returns what is wrong, or null when the pair fits. `organizationKind` is null when there is no organization.
 */
export function roleOrganizationProblem(role: Role, organizationKind: string | null): string | null {
  const needed = ROLE_ORGANIZATION_KIND[role];
  if (needed === null) return null;
  if (organizationKind === null) return `role ${role} needs an organization of kind ${needed}`;
  if (organizationKind !== needed) return `role ${role} needs an organization of kind ${needed}, not ${organizationKind}`;
  return null;
}
