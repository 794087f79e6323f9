import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';

export interface DbSettings {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
}

/**
 * One definition of the connection used by the app, the migration CLI and the tests.
 * `synchronize` is never on: the schema changes only through migrations/.
 */
export function dataSourceOptions(db: DbSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: db.url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    logging: false,
    extra: {
      max: db.poolSize,
      // A dead database must answer 503 quickly, not hang a request (QUALITY.md, Reliability).
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30000,
      statement_timeout: db.statementTimeoutMs,
      idle_in_transaction_session_timeout: 60000,
      application_name: 'kizuna',
    },
  };
}

// Calendar dates stay `YYYY-MM-DD` strings (node-pg would turn them into local-midnight Date objects);
// bigint counts and numerics become numbers (our counts are far below 2^53).
import pg from 'pg';
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v: string) => Number(v));
