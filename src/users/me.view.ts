import { ApiProperty } from '@nestjs/swagger';
import { ORGANIZATION_KINDS, type OrganizationKind } from '../organizations/organization-kinds.js';
import { UserView } from './user.view.js';

export class OrganizationSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS }) kind: OrganizationKind;
}

/** GET /me: the caller, their role and their organization. */
export class MeView extends UserView {
  @ApiProperty({ type: OrganizationSummary, nullable: true }) organization: OrganizationSummary | null;
}
