import { ApiProperty } from '@nestjs/swagger';
import { IsCalendarDate } from '../../common/date.validator.js';

/** A benefit period (支給決定期間): the municipality's grant, start and end both included. */
export class BenefitPeriodDto {
  @ApiProperty({ format: 'date', example: '2026-06-01', description: '開始日 (first day of the grant)' })
  @IsCalendarDate()
  startsOn: string;

  @ApiProperty({
    format: 'date',
    example: '2026-11-30',
    description: '終了日 (last day). At most 6 months for 地域移行支援, 1 year for 地域定着支援 (GET /programs: benefitPeriodMaxMonths).',
  })
  @IsCalendarDate()
  endsOn: string;
}
