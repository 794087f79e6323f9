import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.js';
import { migrate, openDataSource } from '../database/database.js';
import { startEmbeddedPostgres, usableDataDir, type EmbeddedServer } from '../database/embedded-postgres.js';
import { hashPassword } from '../auth/passwords.js';
import { passwordProblems } from './password-policy.js';

/**
 * `npm run user:create-admin -- --email ops@city.example --password '…'` (or the password in ADMIN_PASSWORD).
 * Creates an admin on DATABASE_URL, or on the embedded database in DATA_DIR (stop the server first then: the
 * embedded database serves one process at a time). Writes one audit row; never prints the password.
 */
const USAGE = 'usage: npm run user:create-admin -- --email <email> [--password <password>] [--name <display name>]  (or ADMIN_PASSWORD=…)';
const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
    strict: true,
  });
  const email = values.email?.trim() ?? '';
  const password = values.password ?? process.env.ADMIN_PASSWORD ?? '';
  const displayName = (values.name ?? 'Administrator').trim();
  if (!email || !password) throw new ConfigError(USAGE);
  if (email.length > 254 || !EMAIL_RE.test(email)) throw new ConfigError(`"${email}" is not an email address`);
  if (!displayName || displayName.length > 100) throw new ConfigError('--name must be 1–100 characters');
  const problems = passwordProblems(password, email);
  if (problems.length) throw new ConfigError(`the password is not acceptable: ${problems.join('; ')}`);

  // ADMIN_PASSWORD alone is this command's input, not the start-up pair loadConfig insists on.
  const config = loadConfig({ ...process.env, ADMIN_EMAIL: undefined, ADMIN_PASSWORD: undefined });
  let embedded: EmbeddedServer | undefined;
  let url = config.databaseUrl;
  if (!url) {
    const lock = join(usableDataDir(config.dataDir).dir, 'pg', 'postmaster.pid');
    if (existsSync(lock) && processAlive(Number(readFileSync(lock, 'utf8').split('\n')[0]))) {
      throw new ConfigError('the embedded database is in use by a running server: stop it first, or set DATABASE_URL');
    }
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir });
    url = embedded.url;
  }
  const ds = await openDataSource({ url, poolSize: 1, statementTimeoutMs: 60_000 });
  try {
    await migrate(ds);
    const hash = await hashPassword(password);
    const id = await ds.transaction(async (tx) => {
      const taken = (await tx.query(`SELECT 1 FROM users WHERE lower(email) = lower($1)`, [email])) as unknown[];
      if (taken.length) throw new ConfigError(`a user with the email ${email} already exists`);
      const [row] = (await tx.query(
        `INSERT INTO users (email, display_name, role, password_hash) VALUES ($1, $2, 'admin', $3) RETURNING id`,
        [email, displayName, hash],
      )) as { id: string }[];
      await tx.query(
        `INSERT INTO audit_events (action, entity_type, entity_ids, details) VALUES ('create', 'user', ARRAY[$1]::uuid[], $2::jsonb)`,
        [row.id, JSON.stringify({ via: 'user:create-admin' })],
      );
      return row.id;
    });
    process.stdout.write(`created admin ${email} (id ${id})\n`);
  } finally {
    await ds.destroy();
    await embedded?.stop();
  }
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

main().catch((e) => {
  process.stderr.write(`kizuna: ${e instanceof ConfigError || e instanceof TypeError ? e.message : (e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
