import { keysetAfter } from './pagination.js';

/** Escape LIKE wildcards so a search for "50%" means the text "50%". */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

/**
 * The WHERE clause of a list query and its parameters, numbered in the order they are added: predicates are
 * ANDed, every value goes through a `$n` placeholder.
 */
export class SqlFilter {
  readonly params: unknown[] = [];
  private readonly predicates: string[] = [];

  /** Add a predicate with one parameter: `f.add((n) => \`kind = $${n}\`, value)`. */
  add(sql: (n: number) => string, value: unknown): this {
    return this.raw(sql(this.params.push(value)));
  }

  /** Add a predicate that is already safe SQL (no values of its own, or placeholders from `param`). */
  raw(predicate: string): this {
    this.predicates.push(predicate);
    return this;
  }

  /** Keyset: rows after `values` in the order of `columns` (see keysetAfter). */
  after(columns: string[], values: readonly unknown[], direction: 'asc' | 'desc' = 'asc'): this {
    if (values.length !== columns.length) {
      throw new Error(`keyset of ${columns.length} columns given ${values.length} values`);
    }
    const first = this.params.length + 1;
    this.params.push(...values);
    return this.raw(keysetAfter(columns, first, direction));
  }

  /** Push a value and return its placeholder (`$n`), e.g. for LIMIT. */
  param(value: unknown): string {
    return `$${this.params.push(value)}`;
  }

  /** `WHERE a AND b`, or '' when there is no predicate. */
  where(): string {
    return this.predicates.length ? 'WHERE ' + this.predicates.join(' AND ') : '';
  }
}
