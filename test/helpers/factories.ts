import { randomUUID } from 'node:crypto';
import type { Role } from '../../src/auth/actor.js';
import { TokensService } from '../../src/auth/tokens.service.js';
import type { TestApp } from './app.js';

/**
 * Factories: valid rows with one call, overrides for what a test cares about. They insert with SQL (fast,
 * no argon2) — the HTTP behaviour under test is exercised by the specs themselves.
 */
const uniq = () => randomUUID().slice(0, 8);

export interface OrgOverrides {
  kind?: string;
  name?: string;
  ward?: string | null;
  municipalityId?: string | null;
  prefectureId?: string | null;
  caseCapacity?: number | null;
  psychiatricBeds?: number | null;
  active?: boolean;
}

export async function anOrganization(t: TestApp, o: OrgOverrides = {}): Promise<{ id: string; name: string; kind: string }> {
  const kind = o.kind ?? 'hospital';
  const name = o.name ?? `${kind}-${uniq()}`;
  const [row] = await t.sql<{ id: string }>(
    `INSERT INTO organizations (kind, name, ward, municipality_id, prefecture_id, case_capacity, psychiatric_beds, active)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      kind,
      name,
      o.ward ?? null,
      o.municipalityId ?? null,
      o.prefectureId ?? null,
      o.caseCapacity ?? (kind === 'support_office' ? 10 : null),
      o.psychiatricBeds ?? (kind === 'hospital' ? 100 : null),
      o.active ?? true,
    ],
  );
  return { id: row.id, name, kind };
}

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  organizationId: string | null;
  token: string;
}

/** A user row plus a signed access token (as /auth/login would issue). */
export async function aUser(t: TestApp, role: Role, organizationId: string | null, email?: string): Promise<TestUser> {
  const address = email ?? `${role}.${uniq()}@test.example`;
  const [row] = await t.sql<{ id: string }>(
    `INSERT INTO users (email, display_name, role, organization_id, password_hash, tokens_valid_after)
     VALUES ($1, $2, $3, $4, 'not-a-real-hash', now() - interval '1 minute') RETURNING id`,
    [address, role, role, organizationId],
  );
  const token = t.app.get(TokensService).signAccess({ userId: row.id, role, organizationId });
  return { id: row.id, email: address, role, organizationId, token };
}

export const bearer = (u: { token: string }) => ({ authorization: `Bearer ${u.token}` });
