import { ApiProperty } from '@nestjs/swagger';
import { UserView } from '../users/user.view.js';

/** What login and refresh answer. */
export class SessionView {
  @ApiProperty({ description: 'JWT (HS256) for `Authorization: Bearer …`; valid 15 minutes' }) accessToken: string;
  @ApiProperty({
    description: 'Opaque token for POST /auth/refresh. Single use: each refresh returns a new one; the session lasts 12 h from login.',
  })
  refreshToken: string;
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' }) expiresIn: number;
  @ApiProperty({ type: UserView }) user: UserView;
}
