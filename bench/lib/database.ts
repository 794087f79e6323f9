import { join, resolve } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/database/embedded-postgres.js';

export interface BenchDatabase {
  /** URL of the database holding the synthetic data set. */
  url: string;
  /** Folder for the manifest (and the embedded cluster when there is no DATABASE_URL). */
  dir: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * The same resolution as the app: DATABASE_URL when set, otherwise an embedded PostgreSQL. The embedded
 * cluster of the benchmark lives in its own folder (`DATA_DIR/bench`) with one database per size, so a
 * benchmark never touches the developer's demo database nor a running `npm start` on `DATA_DIR`.
 */
export async function openBenchDatabase(size: string): Promise<BenchDatabase> {
  const config = loadConfig();
  const dir = resolve(join(config.dataDir, 'bench'));
  if (config.databaseUrl) return { url: config.databaseUrl, dir, embedded: false, stop: async () => undefined };
  const server: EmbeddedServer = await startEmbeddedPostgres({ dataDir: dir });
  const url = withDatabase(server.url, `kizuna_bench_${size.toLowerCase()}`);
  await ensureDatabase(url);
  return { url, dir, embedded: true, stop: () => server.stop() };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name "${name}" must be letters, digits and _ for --reset`);
  return name;
}

async function onServer<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await onServer(url, async (c) => {
    const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await c.query(`CREATE DATABASE ${name}`);
  });
}

/** Drop and recreate the database (synthetic data cannot be deleted row by row: contacts are append-only). */
export async function resetDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await onServer(url, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
}

/**
 * A throwaway copy of the seeded database (CREATE DATABASE … TEMPLATE): the write scenarios add contacts,
 * transitions and patients, and the next run must start from the same data set. Falls back to the database itself
 * (with a warning) when the server refuses the copy, e.g. a DATABASE_URL user without CREATEDB.
 */
export async function cloneForRun(url: string, warn: (s: string) => void): Promise<{ url: string; drop(): Promise<void> }> {
  const name = databaseName(url);
  const copy = `${name}_run`.slice(0, 63);
  try {
    await onServer(url, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`);
      // The template must have no other sessions while it is copied.
      await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
      // FILE_COPY (PostgreSQL ≥ 15): a checkpoint and a file copy, much faster than WAL-logging gigabytes.
      const v = Number((await c.query(`SHOW server_version_num`)).rows[0].server_version_num);
      await c.query(`CREATE DATABASE ${copy} TEMPLATE ${name}${v >= 150000 ? ' STRATEGY file_copy' : ''}`);
    });
  } catch (e) {
    warn(`could not copy the data set (${e instanceof Error ? e.message : String(e)}); running on it directly: write scenarios will add rows to it`);
    return { url, drop: async () => undefined };
  }
  return { url: withDatabase(url, copy), drop: () => onServer(url, async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`))) };
}
