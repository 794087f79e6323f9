import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { BadInput } from './errors.js';

/** `?limit=&cursor=` accepted by every list. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'Page size (1–200).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page’s `nextCursor`.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_LIMIT = 50;

/**
 * Keyset cursors are encrypted and authenticated (AES-256-GCM): the sort key may hold a patient's kana, which
 * must not appear in URLs, and a tampered cursor fails authentication → 400.
 */
export class CursorCodec {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash('sha256').update(`kizuna-cursor:${secret}`).digest();
  }

  encode(values: readonly unknown[]): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  decode(cursor: string, arity: number): unknown[] {
    try {
      const raw = Buffer.from(cursor, 'base64url');
      if (raw.length < 29) throw new Error('short');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const json = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      const values = JSON.parse(json) as unknown;
      if (!Array.isArray(values) || values.length !== arity) throw new Error('shape');
      return values;
    } catch {
      throw new BadInput('The cursor is not valid: use nextCursor exactly as it was returned.', [
        { field: 'cursor', messages: ['cursor is invalid or was altered'] },
      ]);
    }
  }

  /**
   * Turn `limit + 1` fetched rows into a page. `keyOf` gives the sort key of a row, in ORDER BY order.
   */
  page<R, T>(rows: R[], limit: number, keyOf: (row: R) => unknown[], view: (row: R) => T): Page<T> {
    const hasMore = rows.length > limit;
    const slice = hasMore ? rows.slice(0, limit) : rows;
    return {
      items: slice.map(view),
      nextCursor: hasMore ? this.encode(keyOf(slice[slice.length - 1])) : null,
    };
  }
}

/**
 * SQL for "rows after this key" in a multi-column ascending (or descending) keyset, as a row comparison
 * that a composite btree index can serve. `firstParam` is the number of the first $n placeholder.
 */
export function keysetAfter(columns: string[], firstParam: number, direction: 'asc' | 'desc' = 'asc'): string {
  const op = direction === 'asc' ? '>' : '<';
  const params = columns.map((_, i) => `$${firstParam + i}`);
  return `(${columns.join(', ')}) ${op} (${params.join(', ')})`;
}
