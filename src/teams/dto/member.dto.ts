import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { IsCalendarDate } from '../../common/date.validator.js';

export class AddMemberDto {
  @ApiProperty({
    format: 'uuid',
    description:
      'A support office or nurse station; its role in the team follows its kind (a team keeps exactly one hospital)',
  })
  @IsUUID()
  organizationId: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'Default: today (Asia/Tokyo). Not before the team started.',
  })
  @IsOptional()
  @IsCalendarDate()
  joinedOn?: string;
}

export class LeaveMemberDto {
  @ApiPropertyOptional({
    format: 'date',
    description:
      'The first day the organization is no longer a member. Default: today (Asia/Tokyo); not in the future, not before joinedOn.',
  })
  @IsOptional()
  @IsCalendarDate()
  leftOn?: string;
}

export class MembersQuery {
  @ApiPropertyOptional({
    format: 'date',
    description: 'Members on that day; without it, the whole membership history',
  })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export class MatchingQuery {
  @ApiProperty({ format: 'uuid', description: 'The hospital to find support offices and nurse stations for' })
  @IsUUID()
  hospitalId: string;
}
