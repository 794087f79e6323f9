import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsUUID, Max, Min } from 'class-validator';

/** How many people one organization sent to an event. */
export class AttendanceDto {
  @ApiProperty({ format: 'uuid', description: 'Attending organization; must exist (404)' })
  @IsUUID()
  organizationId: string;

  @ApiProperty({ minimum: 0, maximum: 10000, description: 'Head count (参加人数), an integer ≥ 0' })
  @IsInt()
  @Min(0)
  @Max(10000)
  headcount: number;
}
