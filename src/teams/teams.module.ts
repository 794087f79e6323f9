import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { MatchingService } from './matching.service.js';
import { TeamsController } from './teams.controller.js';
import { TeamsService } from './teams.service.js';

@Module({
  imports: [OrganizationsModule],
  controllers: [TeamsController],
  providers: [TeamsService, MatchingService],
  exports: [TeamsService],
})
export class TeamsModule {}
