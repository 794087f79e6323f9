import type { Type } from '@nestjs/common';
import { UsersModule } from './users/users.module.js';

/**
 * Feature modules beyond the foundation, one line each (kept apart from app.module.ts so features can be
 * added without touching the wiring of the cross-cutting modules).
 */
export const FEATURE_MODULES: Type[] = [UsersModule];
