import { DataSource, type EntityManager } from 'typeorm';
import type { DbSettings } from './data-source-options.js';
import { dataSourceOptions } from './data-source-options.js';

/** Open a DataSource outside Nest (CLI, tests, seeders), logging pool errors instead of crashing. */
export async function openDataSource(db: DbSettings, entities: DataSourceOptionsEntities = []): Promise<DataSource> {
  const ds = new DataSource({ ...dataSourceOptions(db), entities });
  await ds.initialize();
  return ds;
}
type DataSourceOptionsEntities = NonNullable<ConstructorParameters<typeof DataSource>[0]['entities']>;

/** Run pending migrations, each in its own transaction; returns the names that ran. */
export async function migrate(ds: DataSource): Promise<string[]> {
  const ran = await ds.runMigrations({ transaction: 'each' });
  return ran.map((m) => m.name);
}

export type Tx = EntityManager;
