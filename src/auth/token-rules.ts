import { createHash, randomBytes } from 'node:crypto';

/**
 * Rules of the session tokens, kept pure so they can be tested without a database.
 *
 * Access tokens (JWT, 15 min) are stateless; a user's `tokens_valid_after` instant revokes every access token
 * issued before it (deactivation, password change, role change). JWT `iat` has one-second granularity, so:
 *  - the instant is compared as its CEILING second S: a token issued earlier in the same second has iat < S
 *    and is refused;
 *  - a token issued after the change is stamped with iat = max(now, S), so a fresh login within that same
 *    second (iat would otherwise be S − 1) is still accepted.
 */
export function validAfterSecond(validAfterMs: number): number {
  return Math.ceil(validAfterMs / 1000);
}

/** The `iat` to stamp on a new access token for a user whose tokens are valid from second `validAfterSec`. */
export function issuedAtFor(nowMs: number, validAfterSec: number): number {
  return Math.max(Math.floor(nowMs / 1000), validAfterSec);
}

/** Whether an access token issued at `iat` is still honoured. */
export function isIssuedInTime(iat: number, validAfterSec: number): boolean {
  return iat >= validAfterSec;
}

/** Refresh tokens: 32 random bytes, base64url; only their SHA-256 is stored. A session (token family) lasts 12 h. */
export const REFRESH_TOKEN_BYTES = 32;
export const SESSION_HOURS = 12;

export function newRefreshToken(): string {
  return randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Lockout (issue #4): 10 failures within 15 minutes lock the account for 15 minutes. */
export const LOCKOUT = { maxFailures: 10, windowMinutes: 15, lockMinutes: 15 } as const;
