import type { PoolClient, Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** COPY text format: tab-separated, `\N` for NULL. Our generated values never hold tabs, newlines or backslashes. */
export const NULL = '\\N';

/** A COPY … FROM STDIN writer that batches lines and honours back-pressure. */
export class CopyWriter {
  private buffer: string[] = [];
  private stream: ReturnType<typeof copyFrom>;
  private done: Promise<void>;
  rows = 0;

  constructor(client: PoolClient | Client, table: string, columns: string[]) {
    this.stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
    this.done = new Promise((ok, fail) => {
      this.stream.on('finish', () => ok());
      this.stream.on('error', fail);
    });
  }

  async line(text: string): Promise<void> {
    this.buffer.push(text);
    this.rows++;
    if (this.buffer.length >= 4000) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join('\n') + '\n';
    this.buffer = [];
    if (!this.stream.write(chunk)) await new Promise<void>((ok) => this.stream.once('drain', () => ok()));
  }

  async end(): Promise<number> {
    await this.flush();
    this.stream.end();
    await this.done;
    return this.rows;
  }
}

/** A PostgreSQL array literal of uuids. */
export const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;
