// Once per run: a PostgreSQL server (TEST_DATABASE_URL, or an embedded one in a throwaway folder under the OS
// temp dir) and a template database migrated once; each spec file copies the template (fast, isolated).
// Plain JS importing the build: Jest does not apply its module mapping to globalSetup (`npm test` builds first).
import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDataSource, migrate } from '../dist/src/database/database.js';
import { startEmbeddedPostgres } from '../dist/src/database/embedded-postgres.js';

export async function adminQuery(serverUrl, sql) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export default async function globalSetup() {
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'kizuna-test-'));
    chmodSync(dir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: dir });
    serverUrl = server.url;
    globalThis.__KIZUNA_PG__ = { server, dir };
  }
  process.env.KIZUNA_TEST_SERVER_URL = serverUrl;
  const template = `kz_tpl_${randomBytes(5).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${template}`);
  const url = new URL(serverUrl);
  url.pathname = `/${template}`;
  const ds = await openDataSource({ url: url.toString(), poolSize: 1, statementTimeoutMs: 600000 });
  await migrate(ds);
  await ds.destroy();
  process.env.KIZUNA_TEST_TEMPLATE = template;
}
