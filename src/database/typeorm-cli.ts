import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/config.js';
import { openDataSource, migrate } from './database.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres.js';

/**
 * `npm run migration:run | migration:revert | migration:generate -- Name`, on DATABASE_URL or the embedded
 * server. The schema is reviewed SQL (triggers, exclusion constraints, partial and trigram indexes that entity
 * diffing cannot express), so `generate` writes a new timestamped migration for that SQL.
 */
async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (command === 'generate') {
    if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new ConfigError('usage: npm run migration:generate -- PascalCaseName');
    const ts = Date.now();
    const file = join('migrations', `${ts}-${name}.ts`);
    writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name}${ts} implements MigrationInterface {\n  name = '${name}${ts}';\n\n  async up(q: QueryRunner): Promise<void> {\n    await q.query(\`\`);\n  }\n\n  async down(q: QueryRunner): Promise<void> {\n    await q.query(\`\`);\n  }\n}\n`,
    );
    process.stdout.write(`wrote ${file}; add it to migrations/index.ts\n`);
    return;
  }
  if (command !== 'run' && command !== 'revert') throw new ConfigError('usage: migration:run | migration:revert | migration:generate -- Name');
  const config = loadConfig();
  let embedded: EmbeddedServer | undefined;
  const url = config.databaseUrl ?? (embedded = await startEmbeddedPostgres({ dataDir: config.dataDir })).url;
  const ds = await openDataSource({ url, poolSize: 1, statementTimeoutMs: 600_000 });
  try {
    if (command === 'run') {
      const ran = await migrate(ds);
      process.stdout.write(ran.length ? `ran: ${ran.join(', ')}\n` : 'no pending migrations\n');
    } else {
      await ds.undoLastMigration({ transaction: 'each' });
      process.stdout.write('reverted the last migration\n');
    }
  } finally {
    await ds.destroy();
    await embedded?.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`kizuna: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
