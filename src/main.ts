import 'reflect-metadata';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig, type AppConfig } from './config/config.js';
import { openDataSource, migrate } from './database/database.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './database/embedded-postgres.js';
import { bootstrapData } from './bootstrap.js';

const SHUTDOWN_GRACE_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`kizuna: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(`configuration error: ${e.message}`);
    throw e;
  }

  let embedded: EmbeddedServer | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    try {
      embedded = await startEmbeddedPostgres({ dataDir: config.dataDir });
    } catch (e) {
      fail(`could not start the embedded PostgreSQL in ${config.dataDir}: ${(e as Error)?.message ?? e}. ` +
        'Set DATA_DIR to a folder the postgres user can reach, or DATABASE_URL to use your own server.');
    }
    databaseUrl = embedded.url;
  }

  const db = { url: databaseUrl, poolSize: 2, statementTimeoutMs: 600_000 };
  try {
    const ds = await openDataSource(db);
    await migrate(ds);
    await ds.destroy();
  } catch (e) {
    await embedded?.stop();
    fail(`database not reachable or migration failed: ${(e as Error)?.message ?? e}`);
  }

  const app = await createApp({ ...config, databaseUrl });
  try {
    await bootstrapData(app, config);
  } catch (e) {
    await app.close();
    await embedded?.stop();
    fail(`first-start data could not be loaded: ${(e as Error)?.message ?? e}`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // In-flight requests finish; new ones get 503 (return503OnClosing); then the pool and the database close.
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
    force.unref();
    try {
      await app.close();
      await embedded?.stop();
    } finally {
      process.stderr.write(`kizuna: stopped on ${signal}\n`);
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.port, host: '0.0.0.0' });
  process.stderr.write(`kizuna: listening on http://localhost:${config.port} (docs at /docs)\n`);
}

main().catch((e) => fail(`start failed: ${(e as Error)?.stack ?? e}`));
