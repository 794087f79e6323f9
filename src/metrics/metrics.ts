import { Controller, Get, Header, Module } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/allow.decorator.js';

/** One registry per app instance (tests boot several apps in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method and route template',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    pool: new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state',
      labelNames: ['state'],
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
export const METRICS = Symbol('METRICS');

export class MetricsHolder {
  readonly m = createMetrics();
}

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly metrics: MetricsHolder,
  ) {}

  @Get()
  @Public()
  @Header('content-type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    const pool = (this.db.driver as unknown as { master?: PgPool }).master;
    if (pool) {
      this.metrics.m.pool.set({ state: 'total' }, pool.totalCount);
      this.metrics.m.pool.set({ state: 'idle' }, pool.idleCount);
      this.metrics.m.pool.set({ state: 'waiting' }, pool.waitingCount);
    }
    return this.metrics.m.registry.metrics();
  }
}

@Module({ controllers: [MetricsController], providers: [MetricsHolder], exports: [MetricsHolder] })
export class MetricsModule {}
