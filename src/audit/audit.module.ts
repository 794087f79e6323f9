import { Module } from '@nestjs/common';
import { AuditEventsController } from './audit-events.controller.js';
import { AuditEventsService } from './audit-events.service.js';

/** AuditService (writing) lives in CommonModule, since every feature writes audit rows; reading is here. */
@Module({ controllers: [AuditEventsController], providers: [AuditEventsService] })
export class AuditModule {}
