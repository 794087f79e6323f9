import { Module } from '@nestjs/common';
import { CaseloadController } from './caseload.controller.js';
import { CaseloadService } from './caseload.service.js';
import { EnrollmentsController } from './enrollments.controller.js';
import { EnrollmentsService } from './enrollments.service.js';
import { ProgramsController } from './programs.controller.js';

@Module({
  controllers: [ProgramsController, EnrollmentsController, CaseloadController],
  providers: [EnrollmentsService, CaseloadService],
  exports: [EnrollmentsService],
})
export class EnrollmentsModule {}
