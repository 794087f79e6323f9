import { randomUUID } from 'node:crypto';
import type { TestApp } from './app.js';

/** A valid POST /patients body; override what the test is about. */
export function patientBody(o: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    recordNumber: `R-${randomUUID().slice(0, 8)}`,
    familyName: '山田',
    givenName: '花子',
    familyNameKana: 'ヤマダ',
    givenNameKana: 'ハナコ',
    birthDate: '1960-04-01',
    sex: 'female',
    ...o,
  };
}

/** How many times each id was audited as read, for one entity type (every id of every `read` row). */
export async function readCounts(t: TestApp, entityType: string): Promise<Map<string, number>> {
  const rows = await t.sql<{ id: string; n: number }>(
    `SELECT u.pid AS id, count(*)::int AS n FROM audit_events, unnest(entity_ids) AS u(pid)
     WHERE action = 'read' AND entity_type = $1 GROUP BY u.pid`,
    [entityType],
  );
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** Insert `n` patients of a hospital in one statement (kana ア0001…, so the kana order is known). */
export async function manyPatients(
  t: TestApp,
  hospitalId: string,
  n: number,
  prefix = 'タイリョウ',
): Promise<string[]> {
  const rows = await t.sql<{ id: string }>(
    `INSERT INTO patients (hospital_id, record_number, family_name, given_name, family_name_kana, given_name_kana, birth_date, sex)
     SELECT $1, 'BULK-' || $3 || '-' || g, '大量', '太郎', $3, 'タロウ' || lpad(g::text, 5, '0'), '1970-01-01', 'male'
     FROM generate_series(1, $2::int) AS g
     RETURNING id`,
    [hospitalId, n, prefix],
  );
  return rows.map((r) => r.id);
}
