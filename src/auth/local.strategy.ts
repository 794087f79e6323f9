import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { AuthService, type CredentialRow } from './auth.service.js';

/** passport-local: `{ email, password }` → the verified user row, or the one 401 for every failure. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', session: false });
  }

  validate(email: string, password: string): Promise<CredentialRow> {
    return this.auth.verifyCredentials(email, password);
  }
}
