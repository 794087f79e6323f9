import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashPassword } from '../auth/passwords.js';
import { todayInTokyo } from '../common/dates.js';
import { buildDemoCity, type DemoRows } from './demo-city.js';
import { insertRows } from './insert-rows.js';

export interface DemoAccount {
  role: string;
  email: string;
  /** Generated at load time; shown once, stored only as an argon2id hash. */
  password: string;
  organizationName: string | null;
}

export interface DemoLoadResult {
  /** False when the demo city was already there (nothing was written). */
  created: boolean;
  accounts: DemoAccount[];
  counts: Partial<Record<keyof DemoRows, number>>;
}

export interface DemoLoadOptions {
  /** Reference date the demo's dates are relative to (default: today in Tokyo). */
  today?: string;
  /** Create the demo admin account (not when ADMIN_EMAIL provides the administrator). */
  withAdmin: boolean;
}

/** Tables in foreign-key order. */
const TABLE_ORDER: (keyof DemoRows)[] = [
  'organizations', 'users', 'teams', 'team_members', 'peer_supporters', 'patients', 'admissions', 'enrollments',
  'enrollment_steps', 'benefit_periods', 'contacts', 'contact_revisions', 'events', 'event_attendance', 'event_peer_supporters',
  'indicator_targets',
];
// Any fixed number: serialises concurrent first starts of several instances on one database.
const DEMO_LOCK = 727_010;

/**
 * Load the demo city once. The marker is the city's organization row, whose id is fixed (demo ids are derived
 * from names), so a second start — or a second instance racing the first behind the advisory lock — finds it and
 * writes nothing. Everything is written in one transaction: a failure leaves no half city behind.
 */
export async function loadDemoCity(db: DataSource, options: DemoLoadOptions): Promise<DemoLoadResult> {
  const demo = buildDemoCity(options.today ?? todayInTokyo());
  const present = async (q: { query: DataSource['query'] }) =>
    ((await q.query(`SELECT 1 FROM organizations WHERE id = $1`, [demo.ids.city])) as unknown[]).length > 0;
  if (await present(db)) return { created: false, accounts: [], counts: {} };

  const accounts = demo.accounts.filter((a) => options.withAdmin || a.role !== 'admin');
  const passwords = accounts.map(() => randomBytes(12).toString('base64url'));
  const hashes = await Promise.all(passwords.map((p) => hashPassword(p)));
  const hashOf = new Map(accounts.map((a, i) => [a.userId, hashes[i]]));
  const rows: DemoRows = {
    ...demo.rows,
    users: demo.rows.users
      .filter((u) => options.withAdmin || u.role !== 'admin')
      .map((u) => ({ ...u, password_hash: hashOf.get(u.id as string) ?? u.password_hash })),
  };

  const created = await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock($1)`, [DEMO_LOCK]);
    if (await present(tx)) return false;
    for (const table of TABLE_ORDER) await insertRows(tx, table, rows[table]);
    const counts = Object.fromEntries(TABLE_ORDER.map((t) => [t, rows[t].length]));
    await tx.query(
      `INSERT INTO audit_events (action, entity_type, entity_ids, details) VALUES ('create', 'demo_city', $1::uuid[], $2::jsonb)`,
      [[demo.ids.city, demo.ids.neighbour, demo.ids.prefecture], JSON.stringify({ referenceDate: demo.today, counts })],
    );
    return true;
  });
  if (!created) return { created: false, accounts: [], counts: {} };
  return {
    created: true,
    accounts: accounts.map((a, i) => ({ role: a.role, email: a.email, password: passwords[i], organizationName: a.organizationName })),
    counts: Object.fromEntries(TABLE_ORDER.map((t) => [t, rows[t].length])),
  };
}
