/**
 * Domain errors. Services throw these; one filter maps them to RFC 9457 problem+json.
 * Never `throw new Error(...)` for a user mistake.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

/** Not visible to the caller, or does not exist: both answer 404 so existence never leaks. */
export class NotVisible extends DomainError {
  constructor(what = 'resource') {
    super(404, 'not-found', 'Not Found', `The ${what} does not exist or is not visible to you.`);
  }
}

export class Forbidden extends DomainError {
  constructor(detail = 'Your role may not perform this action.') {
    super(403, 'forbidden', 'Forbidden', detail);
  }
}

export class BadInput extends DomainError {
  constructor(detail: string, errors?: FieldError[]) {
    super(400, 'bad-request', 'Bad Request', detail, errors ? { errors } : {});
  }
}

export class Conflict extends DomainError {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(409, 'conflict', 'Conflict', detail, extra);
  }
}

/** A rule of the domain forbids this (e.g. an illegal step transition). */
export class RuleViolation extends DomainError {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(422, 'rule-violation', 'Unprocessable Content', detail, extra);
  }
}

export class StaleVersion extends DomainError {
  constructor(current?: number) {
    super(
      412,
      'stale-version',
      'Precondition Failed',
      'The record changed since you read it (If-Match does not match its ETag). Read it again and retry.',
      current === undefined ? {} : { currentVersion: current },
    );
  }
}

export class PreconditionRequired extends DomainError {
  constructor() {
    super(428, 'precondition-required', 'Precondition Required', 'This update needs an If-Match header with the ETag you read.');
  }
}

export class Unauthenticated extends DomainError {
  constructor(detail = 'Authentication is required: send a valid access token.') {
    super(401, 'unauthenticated', 'Unauthorized', detail);
  }
}

export class TooManyRequests extends DomainError {
  constructor(retryAfterSeconds: number) {
    super(429, 'too-many-requests', 'Too Many Requests', 'Too many requests; try again later.', { retryAfterSeconds });
  }
}

export interface FieldError {
  field: string;
  messages: string[];
}
