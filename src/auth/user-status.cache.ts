import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isIssuedInTime } from './token-rules.js';

interface Status {
  active: boolean;
  tokensValidAfterSec: number;
  fetchedAt: number;
}

/**
 * Whether a token's user is still active and the token not revoked (deactivation, password change).
 * Cached for a few seconds so an authenticated request costs no extra database round trip; this instance
 * forgets a user at once when it changes them (`forget`), other instances within TTL_MS.
 * `tokens_valid_after` is compared as its ceiling second (token-rules.ts explains why).
 */
@Injectable()
export class UserStatusCache {
  static readonly TTL_MS = 5000;
  private readonly cache = new Map<string, Status>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async isValid(userId: string, issuedAtSec: number): Promise<boolean> {
    const now = Date.now();
    let s = this.cache.get(userId);
    if (!s || now - s.fetchedAt > UserStatusCache.TTL_MS) {
      const rows = (await this.db.query(
        `SELECT active, ceil(extract(epoch FROM tokens_valid_after))::bigint AS valid_after FROM users WHERE id = $1`,
        [userId],
      )) as { active: boolean; valid_after: string | number }[];
      if (rows.length === 0) {
        this.cache.delete(userId);
        return false;
      }
      s = { active: rows[0].active, tokensValidAfterSec: Number(rows[0].valid_after), fetchedAt: now };
      if (this.cache.size > 50_000) this.cache.clear();
      this.cache.set(userId, s);
    }
    return s.active && isIssuedInTime(issuedAtSec, s.tokensValidAfterSec);
  }

  forget(userId: string): void {
    this.cache.delete(userId);
  }
}
