import { randomUUID } from 'node:crypto';
import type { Role } from '../../src/auth/actor.js';
import { hashPassword } from '../../src/auth/passwords.js';
import type { TestApp } from './app.js';

/** Factories for sign-in tests: accounts with a real argon2id password (≈100 ms each, so use few). */
export const A_PASSWORD = 'Quiet-river-lantern-2026';

const uniq = () => randomUUID().slice(0, 8);

export interface Account {
  id: string;
  email: string;
  password: string;
  role: Role;
  organizationId: string | null;
}

export async function anAccount(
  t: TestApp,
  role: Role,
  organizationId: string | null,
  o: { email?: string; password?: string; active?: boolean } = {},
): Promise<Account> {
  const email = o.email ?? `${role}.${uniq()}@auth.example`;
  const password = o.password ?? A_PASSWORD;
  const [row] = await t.sql<{ id: string }>(
    `INSERT INTO users (email, display_name, role, organization_id, password_hash, active, tokens_valid_after)
     VALUES ($1, $2, $3, $4, $5, $6, now() - interval '1 minute') RETURNING id`,
    [email, `${role} user`, role, organizationId, await hashPassword(password), o.active ?? true],
  );
  return { id: row.id, email, password, role, organizationId };
}

/** A distinct client IP per test, so the per-IP login throttle of one test never touches another. */
let ipCounter = 0;
export const anIp = () => {
  const n = ipCounter++;
  return `10.${process.pid % 250}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
};
export const fromIp = (ip: string) => ({ 'x-forwarded-for': ip });

export function login(t: TestApp, email: unknown, password: unknown, ip = anIp()) {
  return t.http().post('/api/v1/auth/login').set(fromIp(ip)).send({ email, password });
}

export function refresh(t: TestApp, refreshToken: unknown, ip = anIp()) {
  return t.http().post('/api/v1/auth/refresh').set(fromIp(ip)).send({ refreshToken });
}

export const auth = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });

export async function auditRows<T = Record<string, unknown>>(t: TestApp, where: string, params: unknown[] = []): Promise<T[]> {
  return t.sql<T>(`SELECT * FROM audit_events WHERE ${where} ORDER BY id`, params);
}
