import argon2 from 'argon2';

/**
 * Passwords: argon2id with 19 MiB memory and 2 iterations (OWASP's minimum for argon2id; QUALITY.md).
 * A login then costs ≈ 50–150 ms, which is what slows guessing down.
 */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(plain: string): Promise<string> {
  return argon2.hash(plain, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false; // a malformed stored hash never authenticates
  }
}
