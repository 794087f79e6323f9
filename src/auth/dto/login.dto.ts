import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class LoginDto {
  @ApiProperty({ maxLength: 254, example: 'admin@kizuna.example', description: 'Letter case and surrounding spaces are ignored' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  email: string;

  @ApiProperty({ maxLength: 256, format: 'password', writeOnly: true })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password: string;
}
