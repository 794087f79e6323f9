import { ApiProperty } from '@nestjs/swagger';

/** A supporter_training event (養成研修) the peer is listed at. */
export class TrainingSessionView {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ format: 'date' }) heldOn: string;
  @ApiProperty() title: string;
}
