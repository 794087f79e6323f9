import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '../../auth/actor.js';
import { IsAcceptablePassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../password-policy.js';

export const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateUserDto {
  @ApiProperty({ maxLength: 254, example: 'hanako.yamada@city.example', description: 'Login id. Trimmed; unique regardless of letter case.' })
  @Transform(trimmed)
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email: string;

  @ApiProperty({ maxLength: 100, example: '山田 花子' })
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  displayName: string;

  @ApiProperty({ enum: ROLES, description: 'Decides what the user may see and do (DOMAIN.md §7)' })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description:
      'Required for every role but admin, and of the kind the role belongs to: hospital_staff → hospital, ' +
      'support_office_staff → support_office, nurse_staff → nurse_station, municipal_officer → municipality (市区町村), ' +
      'prefectural_officer → prefecture (都道府県)',
  })
  @IsOptional()
  @IsUUID()
  organizationId?: string | null;

  @ApiProperty({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    writeOnly: true,
    format: 'password',
    description: 'Initial password: 12–256 characters, not a common password, not the email address',
  })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  @IsAcceptablePassword()
  password: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
