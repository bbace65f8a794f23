import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { type AccessClaims, type AuthenticatedSession, JWT_AUDIENCE, JWT_ISSUER, SessionService } from './session/session.service';

export const JWT_SECRET_TOKEN = Symbol('JWT_SECRET');

/** passport-jwt: Bearer access token (HS256, issuer/audience checked), then the session must be live. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(JWT_SECRET_TOKEN) secret: string,
    private readonly sessions: SessionService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: secret,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  validate(payload: AccessClaims): Promise<AuthenticatedSession> {
    return this.sessions.authenticate(payload);
  }
}
