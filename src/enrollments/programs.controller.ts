import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/allow.decorator.js';
import { ProgramsView } from './program.view.js';

const PROGRAMS_VIEW = ProgramsView.build();

@ApiTags('enrollments')
@Controller('programs')
export class ProgramsController {
  @Get()
  @Allow('program:read')
  @ApiOperation({
    summary: 'The step tables of the three programmes (地域移行支援 · 地域定着支援 · 措置入院者退院後支援)',
    description: 'Steps with Japanese labels, allowed transitions, the fields each transition requires and who may record it — clients draw their forms from this.',
  })
  @ApiOkResponse({ type: ProgramsView })
  programs(): ProgramsView {
    return PROGRAMS_VIEW;
  }
}
