import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isCalendarDate } from './dates.js';

/** A real calendar date `YYYY-MM-DD` (2026-02-30 and 2026-13-01 are refused). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be a real date formatted YYYY-MM-DD`, ...options },
      validator: { validate: (value: unknown) => isCalendarDate(value) },
    });
  };
}
