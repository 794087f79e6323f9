import { Module } from '@nestjs/common';

/** AuditService lives in CommonModule (every feature writes audit rows); the /audit-events route is added here. */
@Module({})
export class AuditModule {}
