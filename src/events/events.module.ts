import { Module } from '@nestjs/common';
import { PeerSupportersModule } from '../peer-supporters/peer-supporters.module.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';

@Module({
  imports: [PeerSupportersModule],
  controllers: [EventsController],
  providers: [EventsService],
  exports: [EventsService],
})
export class EventsModule {}
