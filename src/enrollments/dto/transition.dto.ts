import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsCalendarDate } from '../../common/date.validator.js';
import { ALL_STEPS, WITHDRAWAL_REASONS, type WithdrawalReason } from '../programs.js';
import { BenefitPeriodDto } from './benefit-period.dto.js';
import { DischargeDto } from './discharge.dto.js';

/** A move to another step. Which of the optional fields a move needs is in GET /programs (`requires`). */
export class TransitionDto {
  @ApiProperty({ enum: ALL_STEPS, description: 'The step to move to (must be allowed by the step table)' })
  @IsIn(ALL_STEPS)
  to: string;

  @ApiProperty({ format: 'date', description: 'When it happened (Asia/Tokyo): not in the future, not before the previous step' })
  @IsCalendarDate()
  occurredOn: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Free-text note (stored in the history, never logged)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @ApiPropertyOptional({ enum: WITHDRAWAL_REASONS, description: 'Required for `withdrawn`, refused elsewhere' })
  @IsOptional()
  @IsIn(WITHDRAWAL_REASONS)
  reason?: WithdrawalReason;

  @ApiPropertyOptional({ type: BenefitPeriodDto, description: 'Required for `granted`, refused elsewhere' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BenefitPeriodDto)
  benefitPeriod?: BenefitPeriodDto;

  @ApiPropertyOptional({ type: DischargeDto, description: 'Required for `discharged`, refused elsewhere' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DischargeDto)
  discharge?: DischargeDto;
}
