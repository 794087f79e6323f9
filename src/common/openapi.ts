import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorResponse {
  @ApiProperty() field: string;
  @ApiProperty({ type: [String] }) messages: string[];
}

/** RFC 9457 problem details, as documented in OpenAPI. */
export class ProblemResponse {
  @ApiProperty({ example: 'https://kizuna.example/problems/not-found' }) type: string;
  @ApiProperty({ example: 'Not Found' }) title: string;
  @ApiProperty({ example: 404 }) status: number;
  @ApiProperty() detail: string;
  @ApiPropertyOptional() instance?: string;
  @ApiPropertyOptional({ type: [FieldErrorResponse] }) errors?: FieldErrorResponse[];
}
