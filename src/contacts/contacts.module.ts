import { Module } from '@nestjs/common';
import { ComplianceService } from './compliance.service.js';
import { ContactsController } from './contacts.controller.js';
import { ContactsService } from './contacts.service.js';

@Module({
  controllers: [ContactsController],
  providers: [ContactsService, ComplianceService],
  exports: [ContactsService, ComplianceService],
})
export class ContactsModule {}
