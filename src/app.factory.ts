import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppOptions } from './app.module.js';
import type { AppConfig } from './config/config.js';
import { ProblemFilter, sendProblem } from './common/problem.filter.js';
import { requestContext } from './common/request-context.js';
import { validationPipe } from './common/validation.js';
import { MetricsHolder } from './metrics/metrics.js';

export const API_PREFIX = 'api/v1';
const BODY_LIMIT = 1024 * 1024; // 1 MiB (issue #3)
const REQUEST_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

/** Build the Nest app (not listening). Shared by main.ts, the tests and the benchmark. */
export async function createApp(config: AppConfig & { databaseUrl: string }, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    trustProxy: 'loopback',
    // A client's X-Request-Id is kept when well-formed, so a support call can quote it.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID();
      req.headers['x-request-id'] = id;
      return id;
    },
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, options), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();

  fastify.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    requestContext.run({ requestId: req.id, ip: req.ip }, done);
  });
  const metrics = app.get(MetricsHolder).m;
  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions?.url ?? 'unmatched';
    metrics.requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    metrics.latency.observe({ method: req.method, route }, reply.elapsedTime / 1000);
    done();
  });
  // Errors raised by Fastify itself (invalid JSON, wrong content type, body too large) are problems too.
  fastify.setErrorHandler((err, req, reply) => sendProblem(err, req, reply));

  await app.register(helmet as never, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready', 'metrics'] });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ProblemFilter());

  const doc = new DocumentBuilder()
    .setTitle('Kizuna API')
    .setDescription(
      'Case management for community-transition teams: 地域移行支援 · 地域定着支援 · 措置入院者退院後支援. ' +
        'Errors are RFC 9457 application/problem+json. Lists are keyset-paginated ({ items, nextCursor }). ' +
        'Updates need If-Match with the ETag you read.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'docs-json' });
  return app;
}
