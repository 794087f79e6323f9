import { ApiProperty } from '@nestjs/swagger';

export class AttendanceView {
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty({ minimum: 0 }) headcount: number;
}
