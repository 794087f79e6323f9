import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { BadInput, Conflict, RuleViolation } from './errors.js';

export interface StoredResponse<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/** A key left `in_flight` longer than this belongs to a crashed request and may be taken over. */
const ABANDONED_AFTER = "interval '2 minutes'";

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * `Idempotency-Key` (ARCHITECTURE.md): same key + same request → the stored response; same key + different
 * request → 422; same key while the first is still running → 409. Kept 24 h in PostgreSQL, so it holds across
 * app instances. The stored response is written in the same transaction as the change it describes: a crash
 * cannot leave a change without its key, or a key without its change.
 */
@Injectable()
export class IdempotencyService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  static validKey(key: string | string[] | undefined): string | undefined {
    const k = Array.isArray(key) ? key[0] : key;
    if (k === undefined) return undefined;
    if (!/^[\x21-\x7e]{1,200}$/.test(k)) {
      throw new BadInput('Idempotency-Key must be 1–200 visible ASCII characters (a UUID is a good choice).');
    }
    return k;
  }

  /**
   * Run `work` once for (scope, key). `request` is what identifies the request (method, path, body).
   * Without a key, `work` simply runs in a transaction.
   */
  async run<T>(
    scope: string,
    key: string | undefined,
    request: unknown,
    status: number,
    work: (tx: EntityManager) => Promise<T>,
  ): Promise<StoredResponse<T>> {
    if (key === undefined) {
      return { status, body: await this.db.transaction(work), replayed: false };
    }
    const hash = createHash('sha256').update(canonical(request)).digest('hex');
    const claimed = (await this.db.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, status) VALUES ($1, $2, $3, 'in_flight')
       ON CONFLICT (scope, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, status = 'in_flight', response_status = NULL,
             response_body = NULL, created_at = now(), expires_at = now() + interval '24 hours'
         WHERE idempotency_keys.expires_at < now()
            OR (idempotency_keys.status = 'in_flight' AND idempotency_keys.created_at < now() - ${ABANDONED_AFTER})
       RETURNING key`,
      [scope, key, hash],
    )) as unknown[];
    if (claimed.length === 0) {
      const [existing] = (await this.db.query(
        `SELECT request_hash, status, response_status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2`,
        [scope, key],
      )) as { request_hash: string; status: string; response_status: number; response_body: string }[];
      if (!existing) throw new Conflict('This Idempotency-Key is being processed; retry shortly.');
      if (existing.request_hash !== hash) {
        throw new RuleViolation('This Idempotency-Key was already used for a different request.');
      }
      if (existing.status === 'in_flight') throw new Conflict('A request with this Idempotency-Key is still in progress; retry shortly.');
      return { status: existing.response_status, body: JSON.parse(existing.response_body) as T, replayed: true };
    }
    try {
      const body = await this.db.transaction(async (tx) => {
        const result = await work(tx);
        await tx.query(
          `UPDATE idempotency_keys SET status = 'done', response_status = $3, response_body = $4
           WHERE scope = $1 AND key = $2`,
          [scope, key, status, JSON.stringify(result)],
        );
        return result;
      });
      return { status, body, replayed: false };
    } catch (err) {
      // The change rolled back: free the key so a corrected retry can use it.
      await this.db.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status = 'in_flight'`, [scope, key]).catch(() => undefined);
      throw err;
    }
  }
}
