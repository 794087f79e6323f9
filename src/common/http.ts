import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiPreconditionFailedResponse, ApiResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { etagOf } from './etag.js';
import type { StoredResponse } from './idempotency.service.js';
import { ProblemResponse } from './openapi.js';

/** Set the ETag of a versioned record on the response and return the record. */
export function withEtag<T extends { version: number }>(reply: FastifyReply, view: T): T {
  reply.header('etag', etagOf(view.version));
  return view;
}

/**
 * Send a response stored under an Idempotency-Key: its status, `Idempotent-Replayed: true` when it is a replay,
 * and the ETag of `version` (by default the body's own `version`, when it has one).
 */
export function sendStored<T>(reply: FastifyReply, result: StoredResponse<T>, version?: number): T {
  reply.status(result.status);
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  const v = version ?? (result.body as { version?: unknown }).version;
  if (typeof v === 'number') reply.header('etag', etagOf(v));
  return result.body;
}

/** The error responses of a read by id. */
export function ApiReadErrors(): MethodDecorator {
  return applyDecorators(
    ApiBadRequestResponse({ description: 'Malformed id or query.', type: ProblemResponse }),
    ApiNotFoundResponse({ description: 'Does not exist or not visible to you.', type: ProblemResponse }),
  );
}

/** The error responses of a create. */
export function ApiCreateErrors(): MethodDecorator {
  return applyDecorators(
    ApiBadRequestResponse({ description: 'Invalid body (field-level `errors`).', type: ProblemResponse }),
    ApiNotFoundResponse({ description: 'A referenced record does not exist or is not visible.', type: ProblemResponse }),
    ApiConflictResponse({ description: 'Duplicate, or the same Idempotency-Key is in flight.', type: ProblemResponse }),
    ApiUnprocessableEntityResponse({ description: 'A domain rule forbids it.', type: ProblemResponse }),
  );
}

/** The error responses of an update with If-Match. */
export function ApiUpdateErrors(): MethodDecorator {
  return applyDecorators(
    ApiCreateErrors(),
    ApiPreconditionFailedResponse({ description: 'Stale If-Match: the record changed since you read it.', type: ProblemResponse }),
    ApiResponse({ status: 428, description: 'If-Match header missing.', type: ProblemResponse }),
  );
}
