import { Logger } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { BootstrapStep } from '../bootstrap.js';
import { loadDemoCity, type DemoAccount } from './demo-loader.js';

const logger = new Logger('Demo');

/** The one-time operator notice: accounts and passwords, never any patient data. */
export function formatDemoAccounts(accounts: DemoAccount[]): string {
  const lines = accounts.map((a) => `  ${a.role.padEnd(22)} ${a.email.padEnd(34)} ${a.password}${a.organizationName ? `   (${a.organizationName})` : ''}`);
  return [
    '',
    'kizuna: the demo city (fictional) has been loaded. Demo accounts — shown this once only, note them now:',
    ...lines,
    '  Sign in with POST /api/v1/auth/login { "email", "password" }.',
    '',
  ].join('\n');
}

/**
 * DEMO=1: load the demo city on first start and print its accounts once. The demo administrator is left out
 * when ADMIN_EMAIL/ADMIN_PASSWORD provide the administrator (API.md: demo accounts only "with no such variables").
 */
export const demoBootstrapStep: BootstrapStep = async (app, config) => {
  if (!config.demo) return;
  const db = app.get<DataSource>(getDataSourceToken());
  const started = Date.now();
  const result = await loadDemoCity(db, { withAdmin: !config.adminEmail });
  if (!result.created) {
    logger.log('Demo city already loaded; nothing to do.');
    return;
  }
  logger.log({ msg: 'Demo city loaded', ms: Date.now() - started, counts: result.counts });
  // A one-time notice for the operator at the console (not a log line: logs are shipped and kept).
  process.stderr.write(formatDemoAccounts(result.accounts) + '\n');
};
