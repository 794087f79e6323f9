import { describe, expect, it } from '@jest/globals';
import { CursorCodec, keysetAfter } from './pagination.js';

describe('keyset cursors', () => {
  const codec = new CursorCodec('secret-one-secret-one-secret-one-xx');

  it('round-trips the sort key without showing it', () => {
    const cursor = codec.encode(['ヤマダ', 'ハナコ', '8f1c7c52-2b1a-4b0e-9d1e-1c2b3a4d5e6f']);
    expect(cursor).not.toMatch(/ヤマダ|8f1c7c52/);
    expect(Buffer.from(cursor, 'base64url').toString('utf8')).not.toContain('ヤマダ');
    expect(codec.decode(cursor, 3)).toEqual(['ヤマダ', 'ハナコ', '8f1c7c52-2b1a-4b0e-9d1e-1c2b3a4d5e6f']);
  });

  it('refuses a cursor with one flipped bit, one from another secret, and the wrong arity', () => {
    const cursor = codec.encode(['a', 1]);
    const raw = Buffer.from(cursor, 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => codec.decode(raw.toString('base64url'), 2)).toThrow('cursor is not valid');
    expect(() => new CursorCodec('another-secret-another-secret-xx').decode(cursor, 2)).toThrow('cursor is not valid');
    expect(() => codec.decode(cursor, 3)).toThrow('cursor is not valid');
    expect(() => codec.decode('%%%', 2)).toThrow('cursor is not valid');
  });

  it('pages limit+1 rows into items and a cursor pointing at the last item', () => {
    const rows = [{ k: 1 }, { k: 2 }, { k: 3 }];
    const page = codec.page(rows, 2, (r) => [r.k], (r) => r.k);
    expect(page.items).toEqual([1, 2]);
    expect(codec.decode(page.nextCursor!, 1)).toEqual([2]);
    expect(codec.page(rows, 3, (r) => [r.k], (r) => r.k).nextCursor).toBeNull();
  });

  it('builds a row comparison for composite keys', () => {
    expect(keysetAfter(['name', 'id'], 3)).toBe('(name, id) > ($3, $4)');
    expect(keysetAfter(['occurred_on', 'id'], 1, 'desc')).toBe('(occurred_on, id) < ($1, $2)');
  });
});
