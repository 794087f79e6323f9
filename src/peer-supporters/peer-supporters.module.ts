import { Module } from '@nestjs/common';
import { PeerSupportersController } from './peer-supporters.controller.js';
import { PeerSupportersService } from './peer-supporters.service.js';

@Module({
  controllers: [PeerSupportersController],
  providers: [PeerSupportersService],
  exports: [PeerSupportersService],
})
export class PeerSupportersModule {}
