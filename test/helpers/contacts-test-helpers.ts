import { randomUUID } from 'node:crypto';
import { addDays, addMonths, todayInTokyo } from '../../src/common/dates.js';
import type { TestApp } from './app.js';
import { bearer, type TestUser } from './factories.js';

/** Helpers of the contact specs (the shared domain factories stay in domain-factories.ts). */
export const API = '/api/v1';

export const today = () => todayInTokyo();
export const thisMonth = () => todayInTokyo().slice(0, 7);
export const nextMonth = () => addMonths(`${thisMonth()}-01`, 1).slice(0, 7);
export const daysAgo = (n: number) => addDays(todayInTokyo(), -n);

export async function aPeerSupporter(t: TestApp, displayName = 'ピア太郎'): Promise<{ id: string }> {
  const [row] = await t.sql<{ id: string }>(`INSERT INTO peer_supporters (display_name) VALUES ($1) RETURNING id`, [displayName]);
  return row;
}

export async function aBenefitPeriod(t: TestApp, enrollmentId: string, startsOn: string, endsOn: string): Promise<{ id: string }> {
  const [row] = await t.sql<{ id: string }>(
    `INSERT INTO benefit_periods (enrollment_id, starts_on, ends_on) VALUES ($1, $2, $3) RETURNING id`,
    [enrollmentId, startsOn, endsOn],
  );
  return row;
}

/** A step history row, for enrollments whose past the factory does not invent. */
export async function aStep(t: TestApp, enrollmentId: string, from: string | null, to: string, occurredOn: string): Promise<void> {
  await t.sql(`INSERT INTO enrollment_steps (enrollment_id, from_step, to_step, occurred_on) VALUES ($1, $2, $3, $4)`, [enrollmentId, from, to, occurredOn]);
}

export const contactBody = (o: Record<string, unknown> = {}) => ({
  kind: 'face_to_face',
  occurredOn: daysAgo(1),
  place: 'hospital',
  minutes: 30,
  summary: '退院後の生活について面接',
  ...o,
});

export function postContact(t: TestApp, user: TestUser, enrollmentId: string, body: object, key: string | null = randomUUID()) {
  const req = t.http().post(`${API}/enrollments/${enrollmentId}/contacts`).set(bearer(user));
  if (key !== null) req.set('idempotency-key', key);
  return req.send(body);
}

export function amend(t: TestApp, user: TestUser, contactId: string, body: object, headers: Record<string, string> = {}) {
  return t.http().post(`${API}/contacts/${contactId}/amendments`).set(bearer(user)).set(headers).send(body);
}

export const countRows = async (t: TestApp, table: 'contacts' | 'contact_revisions', enrollmentId?: string) => {
  const sql =
    table === 'contacts'
      ? `SELECT count(*)::int AS n FROM contacts ${enrollmentId ? 'WHERE enrollment_id = $1' : ''}`
      : `SELECT count(*)::int AS n FROM contact_revisions r ${enrollmentId ? 'JOIN contacts c ON c.id = r.contact_id WHERE c.enrollment_id = $1' : ''}`;
  return (await t.sql<{ n: number }>(sql, enrollmentId ? [enrollmentId] : []))[0].n;
};
