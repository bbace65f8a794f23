import { createHmac } from 'node:crypto';
import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { resolveJwtSecret } from '@crowdsafe/server-auth';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import type { AuthUser } from '@crowdsafe/server-core';

export const LIVE_TICKET_TTL_S = 60;
const AUDIENCE = 'crowdsafe-live-view';
const ISSUER = 'crowdsafe';

export interface LiveTicketClaims {
  typ: 'live';
  /** The one camera the ticket opens. */
  cam: string;
  /** User id and session id of the caller that asked for it (null when the API runs without authentication). */
  sub: string | null;
  sid: string | null;
  exp?: number;
}

/**
 * Short-lived signed tickets for the MJPEG live view: a browser's <img> cannot send an Authorization header, so the
 * console asks POST /api/cameras/:id/live-ticket (Bearer) and puts the ticket in the stream URL. HS256 with a key
 * derived from the JWT secret (JWT_SECRET or DATA_DIR/jwt-secret, as the auth module resolves it) for this purpose
 * only, so a ticket is never an access token and an access token never a ticket; valid 60 s, for one camera, any
 * number of connects within that minute (an <img> may reconnect).
 */
@Injectable()
export class LiveTicketService {
  private jwt?: JwtService;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async issue(cameraId: string, user: AuthUser | undefined): Promise<{ ticket: string; expiresIn: number }> {
    const claims: LiveTicketClaims = { typ: 'live', cam: cameraId, sub: user?.id ?? null, sid: user?.sessionId ?? null };
    const ticket = await this.signer().signAsync({ ...claims }, { expiresIn: LIVE_TICKET_TTL_S, audience: AUDIENCE, issuer: ISSUER, algorithm: 'HS256' });
    return { ticket, expiresIn: LIVE_TICKET_TTL_S };
  }

  /** The ticket's claims; 401 when it is malformed, forged or expired, 403 when it is for another camera. */
  async verify(ticket: string, cameraId: string): Promise<LiveTicketClaims> {
    let claims: LiveTicketClaims;
    try {
      claims = await this.signer().verifyAsync<LiveTicketClaims>(ticket, { audience: AUDIENCE, issuer: ISSUER, algorithms: ['HS256'] });
    } catch (err) {
      throw new UnauthorizedException((err as Error).name === 'TokenExpiredError' ? 'Live ticket expired; ask POST /api/cameras/:id/live-ticket for a new one' : 'Invalid live ticket');
    }
    if (claims.typ !== 'live') throw new UnauthorizedException('Invalid live ticket');
    if (claims.cam !== cameraId) throw new ForbiddenException('This live ticket is for another camera');
    return claims;
  }

  private signer(): JwtService {
    if (!this.jwt) {
      const key = createHmac('sha256', resolveJwtSecret(this.config)).update('crowdsafe live-view ticket v1').digest('base64');
      this.jwt = new JwtService({ secret: key, signOptions: { algorithm: 'HS256' } });
    }
    return this.jwt;
  }
}
