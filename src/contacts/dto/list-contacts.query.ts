import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsCalendarDate } from '../../common/date.validator.js';
import { PageQuery } from '../../common/pagination.js';
import { CONTACT_KINDS, type ContactKind } from '../contact-kinds.js';

/** Filters of a contact list; newest first (occurredOn desc), keyset-paginated. */
export class ListEnrollmentContactsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'date', description: 'occurredOn on or after' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'occurredOn on or before' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ enum: CONTACT_KINDS })
  @IsOptional()
  @IsIn(CONTACT_KINDS)
  kind?: ContactKind;
}

export class ListContactsQuery extends ListEnrollmentContactsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Contacts this user took part in' })
  @IsOptional()
  @IsUUID()
  staffId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  enrollmentId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  patientId?: string;
}
