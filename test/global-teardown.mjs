import { rmSync } from 'node:fs';
import { adminQuery } from './global-setup.mjs';

export default async function globalTeardown() {
  const template = process.env.KIZUNA_TEST_TEMPLATE;
  const server = process.env.KIZUNA_TEST_SERVER_URL;
  if (template && server) await adminQuery(server, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
  const pg = globalThis.__KIZUNA_PG__;
  if (pg) {
    await pg.server.stop();
    rmSync(pg.dir, { recursive: true, force: true });
  }
}
