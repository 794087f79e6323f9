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
 * request → 422; same key while the first is still running → 409. Kept 24 h in PostgreSQL (an expired key is
 * overwritten), so it holds across app instances. The stored response is written in the same transaction as the
 * change it describes: a crash cannot leave a change without its key, or a key without its change.
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
    return this.db.transaction(async (tx): Promise<StoredResponse<T>> => {
      // One transaction, one commit: the key's lock (held until commit or rollback), the check for a stored
      // response, the work and the stored response. A request holding the key makes a concurrent one fail at
      // once with 409 (it does not wait); a failed request leaves nothing behind, so a corrected retry may reuse it.
      const [{ locked }] = (await tx.query(`SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS locked`, [
        scope,
        key,
      ])) as { locked: boolean }[];
      if (!locked) throw new Conflict('A request with this Idempotency-Key is still in progress; retry shortly.');
      const [existing] = (await tx.query(
        `SELECT request_hash, response_status, response_body FROM idempotency_keys
         WHERE scope = $1 AND key = $2 AND expires_at >= now()`,
        [scope, key],
      )) as { request_hash: string; response_status: number; response_body: string }[];
      if (existing) {
        if (existing.request_hash !== hash) {
          throw new RuleViolation('This Idempotency-Key was already used for a different request.');
        }
        return { status: existing.response_status, body: JSON.parse(existing.response_body) as T, replayed: true };
      }
      const result = await work(tx);
      await tx.query(
        `INSERT INTO idempotency_keys (scope, key, request_hash, status, response_status, response_body)
         VALUES ($1, $2, $3, 'done', $4, $5)
         ON CONFLICT (scope, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, status = 'done', response_status = EXCLUDED.response_status,
               response_body = EXCLUDED.response_body, created_at = now(), expires_at = now() + interval '24 hours'`,
        [scope, key, hash, status, JSON.stringify(result)],
      );
      return { status, body: result, replayed: false };
    });
  }
}
