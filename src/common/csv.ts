import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

/** UTF-8 byte order mark: Excel opens Japanese CSV correctly only with it (DOMAIN.md §8). */
export const BOM = '\uFEFF';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

export interface CsvColumn<R> {
  key: string;
  /** Header in English (default) and in Japanese (`?lang=ja`). */
  header: string;
  headerJa?: string;
  value: (row: R) => unknown;
}

/**
 * Stream rows as CSV with a BOM and a header row; quoting of commas, quotes and newlines is csv-stringify's.
 * `rows` may be an array or an async iterable (e.g. a pg-query-stream), so big exports never sit in memory.
 */
export function csvStream<R>(rows: Iterable<R> | AsyncIterable<R>, columns: CsvColumn<R>[], lang: 'en' | 'ja' = 'en'): Readable {
  const stringifier = stringify({
    bom: true,
    header: true,
    columns: columns.map((c) => ({ key: c.key, header: lang === 'ja' ? (c.headerJa ?? c.header) : c.header })),
    cast: { boolean: (b) => (b ? 'true' : 'false'), date: (d) => d.toISOString() },
  });
  const source = Readable.from(
    (async function* () {
      for await (const row of rows as AsyncIterable<R>) {
        const record: Record<string, unknown> = {};
        for (const c of columns) record[c.key] = c.value(row) ?? '';
        yield record;
      }
    })(),
  );
  return source.pipe(stringifier);
}
