import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { ALL_STEPS, PROGRAMS, type Program } from '../programs.js';

export class CaseloadQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ALL_STEPS })
  @IsOptional()
  @IsIn(ALL_STEPS)
  step?: string;

  @ApiPropertyOptional({ enum: PROGRAMS })
  @IsOptional()
  @IsIn(PROGRAMS)
  program?: Program;
}
