import { HttpException } from '@nestjs/common';
import { DomainError, type FieldError } from './errors.js';

/** RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const SLUGS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  412: 'stale-version',
  413: 'body-too-large',
  415: 'unsupported-media-type',
  422: 'rule-violation',
  428: 'precondition-required',
  429: 'too-many-requests',
  500: 'internal',
  503: 'unavailable',
};

export function problemType(code: string): string {
  return `https://kizuna.example/problems/${code}`;
}

function make(status: number, detail: string, code?: string, extra: Record<string, unknown> = {}): Problem {
  return {
    type: problemType(code ?? SLUGS[status] ?? 'error'),
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...extra,
  };
}

/** PostgreSQL / pg error codes that mean "the database is not reachable right now". */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', '53300']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is closed',
  'connect ECONNREFUSED',
];

interface PgLike {
  code?: string;
  message?: string;
  driverError?: PgLike;
  constraint?: string;
  statusCode?: number;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as PgLike | undefined;
  if (!e) return false;
  const inner = e.driverError ?? e;
  if (inner.code && UNAVAILABLE_CODES.has(inner.code)) return true;
  const msg = inner.message ?? '';
  return UNAVAILABLE_MESSAGES.some((m) => msg.includes(m));
}

/**
 * Map anything thrown to a problem. Unknown errors become a bare 500: no stack, no SQL text.
 * Returns `internal: true` so the caller logs it (with the request id, never the body).
 */
export function toProblem(err: unknown): { problem: Problem; internal: boolean; headers?: Record<string, string> } {
  if (err instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (err.status === 429 && typeof err.extra.retryAfterSeconds === 'number') {
      headers['retry-after'] = String(err.extra.retryAfterSeconds);
    }
    if (err.status === 401) headers['www-authenticate'] = 'Bearer';
    return { problem: make(err.status, err.message, err.code, err.extra), internal: false, headers };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const body = err.getResponse();
    let detail = err.message;
    let extra: Record<string, unknown> = {};
    if (typeof body === 'object' && body !== null) {
      const b = body as Record<string, unknown>;
      if (Array.isArray(b.errors)) extra = { errors: b.errors };
      if (typeof b.detail === 'string') detail = b.detail;
      else if (typeof b.message === 'string') detail = b.message;
      else if (Array.isArray(b.message)) detail = b.message.join('; ');
    }
    if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.test(detail)) {
      detail = 'No such route.';
    }
    const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer' } : {};
    if (status === 429) headers['retry-after'] = '60';
    return { problem: make(status, detail, undefined, extra), internal: status >= 500, headers };
  }
  if (isDatabaseUnavailable(err)) {
    return {
      problem: make(503, 'The database is not available right now; try again shortly.'),
      internal: false,
      headers: { 'retry-after': '5' },
    };
  }
  const e = err as PgLike;
  const pgCode = e?.driverError?.code ?? e?.code;
  if (pgCode === '57014') {
    return { problem: make(503, 'The query took too long and was cancelled; try again shortly.'), internal: true, headers: { 'retry-after': '5' } };
  }
  if (pgCode === '23502') return { problem: make(400, 'A required field is missing or null.'), internal: false };
  if (pgCode === '23514' || pgCode === '23P01') {
    return { problem: make(422, 'The values break a rule of the record (a database constraint).'), internal: false };
  }
  if (pgCode === '23503') return { problem: make(422, 'The request refers to a record that does not exist.'), internal: false };
  if (pgCode && /^22/.test(pgCode)) return { problem: make(400, 'A value has the wrong format or is out of range.'), internal: false };
  if (pgCode === '23505') return { problem: make(409, 'A record with the same unique values already exists.'), internal: false };
  if (pgCode === '40001' || pgCode === '40P01') {
    return { problem: make(409, 'A concurrent change conflicted with this one; retry.'), internal: false };
  }
  // Fastify's own errors (body parsing, content type, body size) carry a 4xx statusCode.
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const status = e.statusCode;
    const detail =
      status === 415
        ? 'Unsupported content type: send application/json.'
        : status === 413
          ? 'The request body is too large (limit 1 MiB).'
          : status === 400
            ? 'The request body is not valid JSON.'
            : (e.message ?? 'Bad request.');
    return { problem: make(status, detail), internal: false };
  }
  return { problem: make(500, 'An unexpected error occurred. It has been logged with the request id.'), internal: true };
}
