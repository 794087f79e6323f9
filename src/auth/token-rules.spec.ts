import { describe, expect, it } from '@jest/globals';
import { hashRefreshToken, isIssuedInTime, issuedAtFor, newRefreshToken, validAfterSecond } from './token-rules.js';

describe('access-token revocation at second granularity', () => {
  // A password change at 100.7 s: tokens valid from second 101.
  const changeMs = 100_700;
  const s = validAfterSecond(changeMs);

  it('rounds the revocation instant up to the next whole second', () => {
    expect(s).toBe(101);
    expect(validAfterSecond(100_000)).toBe(100);
  });

  it('refuses a token issued earlier in the same second as the change', () => {
    const iatBefore = issuedAtFor(100_200, 0); // issued at 100.2 s, before the change
    expect(iatBefore).toBe(100);
    expect(isIssuedInTime(iatBefore, s)).toBe(false);
  });

  it('accepts a token from a fresh login later in that same second', () => {
    const iatAfter = issuedAtFor(100_900, s); // login at 100.9 s, after the change
    expect(iatAfter).toBe(101);
    expect(isIssuedInTime(iatAfter, s)).toBe(true);
  });

  it('stamps the current second when the revocation is in the past', () => {
    expect(issuedAtFor(200_400, 101)).toBe(200);
  });
});

describe('refresh tokens', () => {
  it('are 32 random bytes in base64url (43 characters) and differ each time', () => {
    const a = newRefreshToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newRefreshToken()).not.toBe(a);
  });

  it('are stored as their SHA-256, never as themselves', () => {
    const h = hashRefreshToken('abc');
    expect(h).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(h).not.toContain('abc');
  });
});
