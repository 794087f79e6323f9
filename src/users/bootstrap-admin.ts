import { Logger } from '@nestjs/common';
import type { BootstrapStep } from '../bootstrap.js';
import { UsersService } from './users.service.js';

const logger = new Logger('Bootstrap');

/** At start: when ADMIN_EMAIL + ADMIN_PASSWORD are set and no admin exists yet, create that admin (API.md). */
export const bootstrapAdmin: BootstrapStep = async (app, config) => {
  if (!config.adminEmail || !config.adminPassword) return;
  const outcome = await app.get(UsersService).ensureAdmin(config.adminEmail, config.adminPassword);
  if (outcome === 'created') logger.log('created the admin named by ADMIN_EMAIL');
};
