import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldError } from './errors.js';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) {
      out.push({ field, messages: Object.values(e.constraints) });
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/** The one ValidationPipe: unknown fields → 400, field-level `errors` in the problem. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      return new BadRequestException({
        detail: `Invalid input: ${fieldErrors.map((f) => f.field).join(', ')}.`,
        errors: fieldErrors,
      });
    },
  });
}
