import { describe, expect, it } from '@jest/globals';
import { escapeLike, SqlFilter } from './sql.js';

describe('escapeLike', () => {
  it('escapes the LIKE wildcards and the escape character', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });
});

describe('SqlFilter', () => {
  it('is empty without predicates: no WHERE at all', () => {
    const f = new SqlFilter();
    expect(f.where()).toBe('');
    expect(f.params).toEqual([]);
  });

  it('numbers parameters in the order predicates are added and ANDs them', () => {
    const f = new SqlFilter()
      .add((n) => `kind = $${n}`, 'hospital')
      .raw('trained_on IS NULL')
      .add((n) => `name ILIKE $${n}`, '%a%');
    expect(f.where()).toBe('WHERE kind = $1 AND trained_on IS NULL AND name ILIKE $2');
    expect(f.params).toEqual(['hospital', '%a%']);
  });

  it('returns placeholders from param, for LIMIT or for a predicate with several values', () => {
    const f = new SqlFilter().raw('scope');
    const ors = ['%x%', '%y%'].map((v) => `k ILIKE ${f.param(v)}`);
    f.raw(`(${ors.join(' OR ')})`);
    expect(f.param(51)).toBe('$3');
    expect(f.where()).toBe('WHERE scope AND (k ILIKE $1 OR k ILIKE $2)');
    expect(f.params).toEqual(['%x%', '%y%', 51]);
  });

  it('adds a keyset predicate after the parameters already given', () => {
    const f = new SqlFilter().add((n) => `a = $${n}`, 1).after(['name', 'id'], ['ヤマダ', 'id-1']);
    expect(f.where()).toBe('WHERE a = $1 AND (name, id) > ($2, $3)');
    expect(f.params).toEqual([1, 'ヤマダ', 'id-1']);
  });

  it('orders a descending keyset with <', () => {
    const f = new SqlFilter().after(['id'], [42], 'desc');
    expect(f.where()).toBe('WHERE (id) < ($1)');
    expect(f.params).toEqual([42]);
  });

  it('refuses a keyset whose values do not match its columns', () => {
    expect(() => new SqlFilter().after(['name', 'id'], ['x'])).toThrow('keyset of 2 columns given 1 values');
  });
});
