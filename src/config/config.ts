import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Typed, validated configuration. Read once at start; a bad value stops the process with one line. */
export interface AppConfig {
  port: number;
  /** Absent → an embedded PostgreSQL is started with its data under `dataDir`. */
  databaseUrl?: string;
  readReplicaUrl?: string;
  dataDir: string;
  jwtSecret: string;
  dbPoolSize: number;
  /** Milliseconds before a query is cancelled by PostgreSQL (statement_timeout). */
  statementTimeoutMs: number;
  logLevel: string;
  demo: boolean;
  adminEmail?: string;
  adminPassword?: string;
  nodeEnv: string;
  /** Login (and token refresh) attempts allowed per client IP per minute (LOGIN_RATE_LIMIT, default 30). */
  loginRateLimitPerMinute?: number;
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function intInRange(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  return n;
}

function postgresUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL (expected postgres://user:password@host:port/database)`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`${name} must start with postgres:// or postgresql://, got "${url.protocol}//"`);
  }
  if (!url.hostname && !url.searchParams.get('host')) throw new ConfigError(`${name} has no host`);
  return raw;
}

/** A development JWT secret is generated once and kept in DATA_DIR so tokens survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const dataDir = resolve(env.DATA_DIR || './.data');
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  let jwtSecret = env.JWT_SECRET;
  if (jwtSecret !== undefined && jwtSecret.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters');
  if (!jwtSecret) {
    if (nodeEnv === 'production') throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
    jwtSecret = developmentSecret(dataDir);
  }
  const adminEmail = env.ADMIN_EMAIL?.trim() || undefined;
  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if ((adminEmail && !adminPassword) || (!adminEmail && adminPassword)) {
    throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  return {
    port: intInRange(env, 'PORT', 3000, 1, 65535),
    databaseUrl: postgresUrl(env, 'DATABASE_URL'),
    readReplicaUrl: postgresUrl(env, 'READ_REPLICA_URL'),
    dataDir,
    jwtSecret,
    dbPoolSize: intInRange(env, 'DB_POOL_SIZE', 10, 1, 200),
    statementTimeoutMs: intInRange(env, 'DB_STATEMENT_TIMEOUT_MS', 15000, 100, 600000),
    logLevel,
    demo: env.DEMO === '1' || env.DEMO === 'true',
    adminEmail,
    adminPassword,
    nodeEnv,
    loginRateLimitPerMinute: intInRange(env, 'LOGIN_RATE_LIMIT', 30, 1, 100000),
  };
}

/** Injection token for AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
