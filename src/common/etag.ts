import type { EntityManager } from 'typeorm';
import { BadInput, NotVisible, PreconditionRequired, StaleVersion } from './errors.js';

export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Parse `If-Match`: `"3"`, `W/"3"` or `*` (any current version). Missing → 428. */
export function parseIfMatch(header: string | string[] | undefined): number | '*' {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined || raw.trim() === '') throw new PreconditionRequired();
  const v = raw.trim();
  if (v === '*') return '*';
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(v);
  if (!m) throw new BadInput('If-Match must be the ETag returned by a read, e.g. "3".');
  return Number(m[1]);
}

/**
 * Optimistic concurrency: `UPDATE … WHERE id = $1 AND version = $2`. TypeORM's @VersionColumn alone does not
 * prevent lost updates, so the compare-and-set is in SQL. Zero rows → 404 if the row is gone, else 412.
 * `columns` maps snake_case column names to values; returns the updated row (snake_case).
 */
export async function updateVersioned<R = Record<string, unknown>>(
  tx: EntityManager,
  table: string,
  id: string,
  expected: number | '*',
  columns: Record<string, unknown>,
  what = 'record',
): Promise<R> {
  const names = Object.keys(columns);
  const params: unknown[] = [id];
  const sets = names.map((c) => {
    params.push(columns[c]);
    return `"${c}" = $${params.length}`;
  });
  sets.push('version = version + 1', 'updated_at = now()');
  let where = 'id = $1';
  if (expected !== '*') {
    params.push(expected);
    where += ` AND version = $${params.length}`;
  }
  const [rows] = (await tx.query(`UPDATE ${table} SET ${sets.join(', ')} WHERE ${where} RETURNING *`, params)) as [R[], number];
  if (rows.length === 1) return rows[0];
  const exists = (await tx.query(`SELECT version FROM ${table} WHERE id = $1`, [id])) as { version: number }[];
  if (exists.length === 0) throw new NotVisible(what);
  throw new StaleVersion(exists[0].version);
}
