import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '../auth/actor.js';

/** A `users` row. `password_hash` is read only by the login and password code, never shown. */
export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  organization_id: string | null;
  password_hash: string;
  active: boolean;
  locked_until: Date | null;
  tokens_valid_after: Date;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** A user as the API shows it: never the password hash. */
export class UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 254, description: 'Login id; unique regardless of letter case' }) email: string;
  @ApiProperty({ maxLength: 100 }) displayName: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The organization the user works for; its kind fits the role (admins may have none)',
  })
  organizationId: string | null;
  @ApiProperty({ description: 'Inactive users cannot sign in; their sessions were revoked' }) active: boolean;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'Set while sign-in is locked after repeated wrong passwords',
  })
  lockedUntil: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static of(r: UserRow): UserView {
    const locked = r.locked_until && new Date(r.locked_until).getTime() > Date.now() ? new Date(r.locked_until).toISOString() : null;
    return {
      id: r.id,
      email: r.email,
      displayName: r.display_name,
      role: r.role,
      organizationId: r.organization_id,
      active: r.active,
      lockedUntil: locked,
      version: r.version,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  }
}

export class UserPage {
  @ApiProperty({ type: [UserView] }) items: UserView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
