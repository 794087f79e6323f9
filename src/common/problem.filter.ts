import { ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem.js';

const logger = new Logger('Problem');

export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Send any error as problem+json. Shared by the Nest filter and Fastify's own error handler. */
export function sendProblem(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { problem, internal, headers } = toProblem(err);
  problem.instance = pathOf(request.url);
  if (internal) {
    // The error object only: request bodies and patient fields never reach the log.
    const e = err as Error;
    logger.error({ reqId: request.id, err: { name: e?.name, message: e?.message, stack: e?.stack } }, 'unhandled error');
  }
  if (reply.sent) return;
  reply.status(problem.status);
  for (const [k, v] of Object.entries(headers ?? {})) reply.header(k, v);
  reply.header('content-type', PROBLEM_CONTENT_TYPE);
  reply.send(JSON.stringify(problem));
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    sendProblem(exception, ctx.getRequest<FastifyRequest>(), ctx.getResponse<FastifyReply>());
  }
}
