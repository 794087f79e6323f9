import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from './config/config.js';
import { bootstrapAdmin } from './users/bootstrap-admin.js';
import { demoBootstrapStep } from './demo/demo.bootstrap.js';

/**
 * First-start data: the admin from ADMIN_EMAIL/ADMIN_PASSWORD when no admin exists, and the demo city
 * with DEMO=1. Each step is idempotent. Steps register here as the features that own them land.
 */
export type BootstrapStep = (app: INestApplication, config: AppConfig) => Promise<void>;
export const BOOTSTRAP_STEPS: BootstrapStep[] = [bootstrapAdmin, demoBootstrapStep];

export async function bootstrapData(app: INestApplication, config: AppConfig): Promise<void> {
  for (const step of BOOTSTRAP_STEPS) await step(app, config);
}
