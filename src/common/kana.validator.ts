import { Matches, type ValidationOptions } from 'class-validator';

/** Full-width katakana (ァ–ヺ, ー, ・) with optional spaces: hiragana or latin letters are refused. */
export const KATAKANA_RE = /^[\u30A1-\u30FA\u30FC\u30FB\u3000 ]+$/;

export function IsKatakana(options?: ValidationOptions): PropertyDecorator {
  return Matches(KATAKANA_RE, { message: '$property must be full-width katakana', ...options });
}
