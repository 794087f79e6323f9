import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsCalendarDate } from '../../common/date.validator.js';
import { DISCHARGE_DESTINATIONS, type DischargeDestination } from '../programs.js';

/** The discharge a `discharged` transition records on the patient's open admission. */
export class DischargeDto {
  @ApiProperty({ format: 'date', description: '退院日: must be the transition’s occurredOn' })
  @IsCalendarDate()
  dischargedOn: string;

  @ApiProperty({ enum: DISCHARGE_DESTINATIONS, description: '退院先' })
  @IsIn(DISCHARGE_DESTINATIONS)
  destination: DischargeDestination;
}
