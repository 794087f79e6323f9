import { Injectable, StreamableFile } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { csvStream, CSV_CONTENT_TYPE, type CsvColumn } from '../common/csv.js';

/** A report's rows for CSV (one flat table) — the JSON form keeps its nesting. */
export interface ReportTable<R = Record<string, unknown>> {
  columns: CsvColumn<R>[];
  rows: R[];
}

/** What a report service returns: the JSON view and how to flatten it for CSV. */
export interface ReportResult<V> {
  json: V;
  table: () => ReportTable;
  /** File name stem, e.g. `discharges-2025-04-01_2026-03-31`. */
  filename: string;
}

/** A table from typed columns and rows (the row type is erased once both agree). */
export function tableOf<R>(columns: CsvColumn<R>[], rows: R[]): ReportTable {
  return { columns, rows } as unknown as ReportTable;
}

/** A CSV column with English and Japanese headers. */
export function col<R>(
  key: string,
  header: string,
  headerJa: string,
  value?: (row: R) => unknown,
): CsvColumn<R> {
  return { key, header, headerJa, value: value ?? ((row: R) => (row as Record<string, unknown>)[key]) };
}

export interface OutputOptions {
  format?: 'json' | 'csv';
  lang?: 'en' | 'ja';
}

/**
 * JSON by default; CSV (UTF-8 with BOM, header row, streamed) with `?format=csv` or `Accept: text/csv`. A CSV is
 * an export: audited (`export`, entity type `report`) with the report's name and parameters — never row data.
 */
@Injectable()
export class ReportOutput {
  constructor(private readonly audit: AuditService) {}

  wantsCsv(options: OutputOptions, accept: string | undefined): boolean {
    if (options.format) return options.format === 'csv';
    return typeof accept === 'string' && /\btext\/csv\b/i.test(accept) && !/application\/json/i.test(accept);
  }

  async render<V>(
    actor: Actor,
    report: string,
    params: object,
    accept: string | undefined,
    result: ReportResult<V>,
  ): Promise<V | StreamableFile> {
    const options = params as OutputOptions;
    if (!this.wantsCsv(options, accept)) return result.json;
    await this.audit.record(null, actor, {
      action: 'export',
      entityType: 'report',
      details: { report, params: { ...params } },
    });
    const table = result.table();
    return new StreamableFile(csvStream(table.rows, table.columns, options.lang ?? 'en'), {
      type: CSV_CONTENT_TYPE,
      disposition: `attachment; filename="kizuna-${result.filename}.csv"`,
    });
  }
}
