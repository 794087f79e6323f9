import type { EntityManager } from 'typeorm';
import { NotVisible, RuleViolation } from '../common/errors.js';
import type { OrganizationKind } from '../organizations/organization-kinds.js';

/** One organization named by a request field, optionally required to be of a kind. */
export interface OrganizationRef {
  field: string;
  id: string;
  kind?: OrganizationKind;
}

export interface OrganizationBrief {
  id: string;
  kind: OrganizationKind;
  municipality_id: string | null;
}

/**
 * Every referenced organization must exist (404 naming the first missing field) and, where a kind is asked for,
 * be of it (422). One query however many are named (an event's attendance may list dozens).
 */
export async function requireOrganizations(tx: EntityManager, refs: OrganizationRef[]): Promise<Map<string, OrganizationBrief>> {
  const ids = [...new Set(refs.map((r) => r.id))];
  const found = new Map<string, OrganizationBrief>();
  if (ids.length === 0) return found;
  const rows = (await tx.query(`SELECT id, kind, municipality_id FROM organizations WHERE id = ANY($1::uuid[])`, [ids])) as OrganizationBrief[];
  for (const r of rows) found.set(r.id, r);
  const missing = refs.find((r) => !found.has(r.id));
  if (missing) throw new NotVisible(`organization given as ${missing.field}`);
  const wrong = refs.find((r) => r.kind !== undefined && found.get(r.id)!.kind !== r.kind);
  if (wrong) {
    throw new RuleViolation(`${wrong.field} must name an organization of kind ${wrong.kind}, not ${found.get(wrong.id)!.kind}.`, { field: wrong.field });
  }
  return found;
}

/** The municipality an organization belongs to: itself when it is one, else the municipality whose area it is in. */
export function municipalityOf(org: OrganizationBrief | undefined): string | null {
  if (!org) return null;
  return org.kind === 'municipality' ? org.id : org.municipality_id;
}
