import { createHash } from 'node:crypto';

/**
 * A fixed UUID for a demo record, derived from a readable key (name-based, RFC 9562 version 5 layout).
 * Fixed ids make loading idempotent and let a test or a tutorial name "the demo city's first hospital".
 */
export function demoId(key: string): string {
  const h = createHash('sha1').update(`kizuna-demo:${key}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
