import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AccessPolicy } from '../auth/access-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { IdempotencyService } from './idempotency.service.js';
import { CursorCodec } from './pagination.js';

/** Cross-cutting services every feature module may inject. */
@Global()
@Module({
  providers: [
    { provide: CursorCodec, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new CursorCodec(c.jwtSecret) },
    AccessPolicy,
    AuditService,
    IdempotencyService,
  ],
  exports: [CursorCodec, AccessPolicy, AuditService, IdempotencyService],
})
export class CommonModule {}
