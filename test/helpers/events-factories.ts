import { randomUUID } from 'node:crypto';
import type { TestApp } from './app.js';

/** Factories for peer supporters and events (SQL inserts; behaviour under test goes through HTTP). */
const uniq = () => randomUUID().slice(0, 8);

export interface PeerOverrides {
  displayName?: string;
  affiliationId?: string | null;
  municipalityId?: string | null;
  trainedOutsideOn?: string | null;
  employedById?: string | null;
  employedSince?: string | null;
  active?: boolean;
}

export async function aPeerSupporter(t: TestApp, o: PeerOverrides = {}): Promise<{ id: string; displayName: string }> {
  const displayName = o.displayName ?? `ピア-${uniq()}`;
  const [row] = await t.sql<{ id: string }>(
    `INSERT INTO peer_supporters (display_name, affiliation_id, municipality_id, trained_outside_on, trained_on,
                                  employed_by_id, employed_since, active)
     VALUES ($1, $2, $3, $4, $4, $5, $6, $7) RETURNING id`,
    [displayName, o.affiliationId ?? null, o.municipalityId ?? null, o.trainedOutsideOn ?? null, o.employedById ?? null, o.employedSince ?? null, o.active ?? true],
  );
  return { id: row.id, displayName };
}

export interface EventOverrides {
  kind?: string;
  heldOn?: string;
  title?: string;
  hostId: string;
  hospitalId?: string | null;
  municipalityId?: string | null;
  notes?: string | null;
}

/** An event row without attendance or peers (use the API when training must be recomputed). */
export async function anEvent(t: TestApp, o: EventOverrides): Promise<{ id: string; heldOn: string }> {
  const heldOn = o.heldOn ?? '2026-06-15';
  const [row] = await t.sql<{ id: string }>(
    `INSERT INTO events (kind, held_on, title, host_id, hospital_id, municipality_id, notes)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [o.kind ?? 'liaison_conference', heldOn, o.title ?? `会議-${uniq()}`, o.hostId, o.hospitalId ?? null, o.municipalityId ?? null, o.notes ?? null],
  );
  return { id: row.id, heldOn };
}

export const count = async (t: TestApp, table: string): Promise<number> =>
  Number((await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
