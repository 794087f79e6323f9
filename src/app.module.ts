import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CommonModule } from './common/common.module.js';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { loggerOptions } from './common/logging.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.js';
import { OrganizationsModule } from './organizations/organizations.module.js';
import { FEATURE_MODULES } from './features.js';

export interface AppOptions {
  /** Where JSON logs go (tests capture them); stdout by default. */
  logDestination?: DestinationStream;
}

/** Wires the feature modules; nothing else. The database URL is resolved before (embedded or DATABASE_URL). */
@Module({})
export class AppModule {
  static register(config: AppConfig & { databaseUrl: string }, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        { module: ConfigHolder, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
        LoggerModule.forRoot(loggerOptions(config.logLevel, options.logDestination)),
        TypeOrmModule.forRoot({
          ...dataSourceOptions({ url: config.databaseUrl, poolSize: config.dbPoolSize, statementTimeoutMs: config.statementTimeoutMs }),
          retryAttempts: 3,
          retryDelay: 1000,
        }),
        CommonModule,
        AuthModule,
        AuditModule,
        HealthModule,
        MetricsModule,
        OrganizationsModule,
        ...FEATURE_MODULES,
      ],
    };
  }
}

@Module({})
class ConfigHolder {}
