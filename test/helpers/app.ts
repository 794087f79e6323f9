import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import type { AppConfig } from '../../src/config/config.js';
import { createTestDatabase, dropTestDatabase } from './test-db.js';

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  /** supertest against the app's HTTP server. */
  http: () => ReturnType<typeof request>;
  /** Direct SQL for assertions about stored rows (superuser connection to this file's database). */
  sql: <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;
  databaseUrl: string;
  /** Everything the app logged, one JSON line each (only when started with captureLogs). */
  logs: () => string;
  close: () => Promise<void>;
}

export interface TestAppOptions {
  captureLogs?: boolean;
  config?: Partial<AppConfig>;
}

/** Boot the real app (Fastify adapter) on this spec file's own database. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  const config: AppConfig & { databaseUrl: string } = {
    port: 0,
    databaseUrl: db.url,
    dataDir: '/nonexistent',
    jwtSecret: TEST_JWT_SECRET,
    dbPoolSize: 5,
    statementTimeoutMs: 15000,
    logLevel: options.captureLogs ? 'info' : 'silent',
    demo: false,
    nodeEnv: 'test',
    ...options.config,
  };
  const app = await createApp(config, { logDestination: options.captureLogs ? sink : undefined });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  // DROP DATABASE … WITH (FORCE) at close ends idle connections; that is expected, not a test failure.
  pool.on('error', () => undefined);
  return {
    app,
    http: () => request(app.getHttpServer()),
    sql: async <T>(text: string, params: unknown[] = []) => (await pool.query(text, params)).rows as T[],
    databaseUrl: db.url,
    logs: () => chunks.join(''),
    close: async () => {
      await app.close();
      await pool.end();
      await dropTestDatabase(db.name);
    },
  };
}
