/**
 * `npm run seed:synthetic -- --size S|M|L [--contacts N] [--reset]`
 *
 * Loads a synthetic data set of DOMAIN.md §10's sizes with COPY into DATABASE_URL, or — without it — into the
 * benchmark's own embedded PostgreSQL (`DATA_DIR/bench`, one database per size). Migrations run first. Writes
 * `DATA_DIR/bench/manifest-<size>.json` (ids and bench accounts) for `npm run bench`.
 */
import 'reflect-metadata';
import { openBenchDatabase, resetDatabase } from './lib/database.js';
import { AlreadySeeded, seedSynthetic } from './lib/generate.js';
import { readManifest, writeManifest, type Manifest } from './lib/manifest.js';
import { argValue, hasFlag, parseSize, type SizeSpec } from './lib/sizes.js';

const out = (s: string) => process.stderr.write(`${s}\n`);

/** Seed (or reuse) the data set of `size`; used by the CLI and by the benchmark when no data set exists yet. */
export async function ensureSynthetic(size: SizeSpec, url: string, dir: string, o: { contacts?: number; reset?: boolean } = {}): Promise<Manifest> {
  if (o.reset) {
    out(`resetting ${new URL(url).pathname.slice(1)}`);
    await resetDatabase(url);
  }
  try {
    const manifest = await seedSynthetic(url, { size, contacts: o.contacts, dir, log: out });
    const file = writeManifest(dir, manifest);
    out(`manifest: ${file}`);
    return manifest;
  } catch (e) {
    if (e instanceof AlreadySeeded) {
      const manifest = readManifest(dir, size.name);
      if (manifest?.size === size.name) {
        out(`${e.message}; reusing ${size.name} (manifest of ${manifest.seededAt})`);
        return manifest;
      }
      throw new Error(`${e.message}, but its manifest is missing here: run with --reset to load it again`);
    }
    throw e;
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const size = parseSize(argValue(argv, 'size'));
  const contactsArg = argValue(argv, 'contacts');
  const contacts = contactsArg === undefined ? undefined : Number(contactsArg);
  if (contacts !== undefined && (!Number.isInteger(contacts) || contacts < 0 || contacts > 100_000_000)) throw new Error('--contacts must be an integer between 0 and 100000000');
  const db = await openBenchDatabase(size.name);
  try {
    const m = await ensureSynthetic(size, db.url, db.dir, { contacts, reset: hasFlag(argv, 'reset') });
    out(`\nsynthetic ${m.size}: ${Object.entries(m.counts).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}`);
    out(`bench accounts (password "${m.accounts[0]?.password}"):`);
    for (const a of m.accounts) out(`  ${a.role.padEnd(22)} ${a.email}`);
    out(`database: ${db.embedded ? `embedded, ${db.dir}` : 'DATABASE_URL'}`);
  } finally {
    await db.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    out(`seed:synthetic failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
