import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Set by global-setup: a server URL (any database) and the migrated template database's name. */
export const TEST_SERVER_ENV = 'KIZUNA_TEST_SERVER_URL';
export const TEST_TEMPLATE_ENV = 'KIZUNA_TEST_TEMPLATE';

export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env[TEST_SERVER_ENV] });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database copied from the migrated template: each spec file is isolated from the others. */
export async function createTestDatabase(): Promise<{ name: string; url: string }> {
  const server = process.env[TEST_SERVER_ENV];
  const template = process.env[TEST_TEMPLATE_ENV];
  if (!server || !template) throw new Error('test database not prepared: run the tests with `npm test`');
  const name = `kz_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  return { name, url: withDatabase(server, name) };
}

export async function dropTestDatabase(name: string): Promise<void> {
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
