import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { INVALID_CREDENTIALS } from './auth.service.js';
import { LoginDto } from './dto/login.dto.js';
import { Unauthenticated } from '../common/errors.js';
import { validationPipe } from '../common/validation.js';

/**
 * Guards run before pipes, so the body is validated here, before passport-local sees it: a malformed body
 * (wrong types, 10,000-character email) answers 400 with field errors and never reaches argon2.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  private readonly pipe = validationPipe();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<{ body: unknown }>();
    req.body = await this.pipe.transform(req.body, { type: 'body', metatype: LoginDto });
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<TUser>(err: unknown, user: TUser): TUser {
    if (err) throw err;
    if (!user) throw new Unauthenticated(INVALID_CREDENTIALS);
    return user;
  }
}
