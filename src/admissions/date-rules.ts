import { todayInTokyo } from '../common/dates.js';
import { BadInput } from '../common/errors.js';

/** A date that must not lie in the future of the Asia/Tokyo calendar → 400 with a field error. */
export function assertNotFuture(field: string, date: string): void {
  if (date > todayInTokyo())
    throw new BadInput(`${field} must not be in the future.`, [
      { field, messages: [`${field} must not be in the future`] },
    ]);
}
