import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/**
 * Where report SQL runs (ARCHITECTURE.md, scaling path): a PostgreSQL streaming replica when READ_REPLICA_URL is
 * set — its own small pool, so long aggregates never hold the primary's connections — else the app's DataSource.
 * Read-only by construction: only the report services use it, and only for SELECTs. A replica may lag the
 * primary by a moment; writes (indicator targets) and their read-back go to the primary.
 */
@Injectable()
export class ReportReader implements OnModuleDestroy {
  private readonly logger = new Logger('ReportReader');
  private readonly pool: pg.Pool | null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.pool = config.readReplicaUrl
      ? new pg.Pool({
          connectionString: config.readReplicaUrl,
          max: Math.max(2, Math.ceil(config.dbPoolSize / 2)),
          connectionTimeoutMillis: 3000,
          idleTimeoutMillis: 30000,
          statement_timeout: config.statementTimeoutMs,
          application_name: 'kizuna-reports',
        })
      : null;
    // An idle replica connection that drops must not crash the process (the next query reconnects).
    this.pool?.on('error', (err) =>
      this.logger.warn({ err: { message: err.message } }, 'report replica pool error'),
    );
  }

  /** True when reports read from READ_REPLICA_URL. */
  get usesReplica(): boolean {
    return this.pool !== null;
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.pool) return (await this.pool.query(sql, params)).rows as T[];
    return (await this.db.query(sql, params)) as T[];
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.end();
  }
}
