import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../src/app.factory.js';
import { TEST_JWT_SECRET } from './helpers/app.js';
import { createTestDatabase, dropTestDatabase } from './helpers/test-db.js';
import { TcpProxy } from './helpers/tcp-proxy.js';
import { TokensService } from '../src/auth/tokens.service.js';
import pg from 'pg';

/** The database goes away mid-run: quick 503 problem+json (no hang, no crash), then recovery without restart. */
describe('database outage', () => {
  let app: NestFastifyApplication;
  let proxy: TcpProxy;
  let dbName: string;
  let token: string;

  beforeAll(async () => {
    const db = await createTestDatabase();
    dbName = db.name;
    const real = new URL(db.url);
    proxy = new TcpProxy(real.hostname, Number(real.port || 5432));
    const port = await proxy.start();
    const viaProxy = new URL(db.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(port);
    const direct = new pg.Client({ connectionString: db.url });
    await direct.connect();
    const { rows } = await direct.query(`INSERT INTO users (email, display_name, role, password_hash, tokens_valid_after)
      VALUES ('outage@test.example', 'admin', 'admin', 'x', now() - interval '1 minute') RETURNING id`);
    await direct.end();
    app = await createApp({
      port: 0,
      databaseUrl: viaProxy.toString(),
      dataDir: '/nonexistent',
      jwtSecret: TEST_JWT_SECRET,
      dbPoolSize: 3,
      statementTimeoutMs: 5000,
      logLevel: 'silent',
      demo: false,
      nodeEnv: 'test',
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    token = app.get(TokensService).signAccess({ userId: rows[0].id, role: 'admin', organizationId: null });
  });

  afterAll(async () => {
    await app.close();
    await proxy.cut();
    await dropTestDatabase(dbName);
  });

  const list = () => request(app.getHttpServer()).get('/api/v1/organizations').set('authorization', `Bearer ${token}`);

  it('answers 503 problem+json quickly while the database is down, and recovers when it is back', async () => {
    expect((await list()).status).toBe(200);
    expect((await request(app.getHttpServer()).get('/health/ready')).status).toBe(200);

    await proxy.cut();
    const started = Date.now();
    // Wait past the user-status cache so the request really needs the database.
    await new Promise((r) => setTimeout(r, 5100));
    const down = await list();
    expect(down.status).toBe(503);
    expect(down.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(down.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(JSON.stringify(down.body)).not.toMatch(/ECONNREFUSED|select|SELECT/);
    const ready = await request(app.getHttpServer()).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5100 + 8000);

    await proxy.restore();
    let back = 0;
    for (let i = 0; i < 30 && back !== 200; i++) {
      back = (await list()).status;
      if (back !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    expect(back).toBe(200);
    expect((await request(app.getHttpServer()).get('/health/ready')).status).toBe(200);
  }, 45000);
});
