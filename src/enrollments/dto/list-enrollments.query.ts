import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { ALL_STEPS, PROGRAMS, type Program } from '../programs.js';

export class ListEnrollmentsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PROGRAMS })
  @IsOptional()
  @IsIn(PROGRAMS)
  program?: Program;

  @ApiPropertyOptional({ enum: ALL_STEPS })
  @IsOptional()
  @IsIn(ALL_STEPS)
  step?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  supportOfficeId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "The patient's hospital when the enrollment began" })
  @IsOptional()
  @IsUUID()
  hospitalId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  patientId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}
