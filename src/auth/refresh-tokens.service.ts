import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { hashRefreshToken, newRefreshToken, SESSION_HOURS } from './token-rules.js';

export interface RefreshTokenRow {
  id: string;
  user_id: string;
  family_id: string;
  expires_at: Date;
  revoked_at: Date | null;
  expired: boolean;
}

/**
 * Refresh tokens are stored as SHA-256 hashes. Each login starts a family (one session); each refresh revokes
 * the presented token and issues the next one in the family with the same expiry (a session lasts 12 h from
 * login). A revoked token presented again means it was copied: the whole family is revoked.
 */
@Injectable()
export class RefreshTokensService {
  /** Issue a token; a new family unless `familyId` is given. Returns the token itself (shown once). */
  async issue(tx: EntityManager, userId: string, familyId: string = randomUUID(), expiresAt?: Date): Promise<string> {
    const token = newRefreshToken();
    await tx.query(
      `INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at)
       VALUES ($1, $2, $3, coalesce($4::timestamptz, now() + make_interval(hours => $5)))`,
      [userId, hashRefreshToken(token), familyId, expiresAt ?? null, SESSION_HOURS],
    );
    return token;
  }

  /** The stored token (locked for the rest of the transaction), or undefined. */
  async findForUpdate(tx: EntityManager, token: string): Promise<RefreshTokenRow | undefined> {
    const rows = (await tx.query(
      `SELECT id, user_id, family_id, expires_at, revoked_at, expires_at <= now() AS expired
       FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [hashRefreshToken(token)],
    )) as RefreshTokenRow[];
    return rows[0];
  }

  async revoke(tx: EntityManager, id: string): Promise<void> {
    await tx.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
  }

  /** Revoke every live token of a session. Returns how many were live. */
  async revokeFamily(tx: EntityManager, familyId: string): Promise<number> {
    const [, n] = (await tx.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [
      familyId,
    ])) as [unknown, number];
    return n;
  }

  /** Revoke every live token of a user (deactivation, password change). Returns how many were live. */
  async revokeAllOfUser(tx: EntityManager, userId: string): Promise<number> {
    const [, n] = (await tx.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [
      userId,
    ])) as [unknown, number];
    return n;
  }
}
