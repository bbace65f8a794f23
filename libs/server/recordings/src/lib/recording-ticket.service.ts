import { createHmac } from 'node:crypto';
import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { resolveJwtSecret } from '@crowdsafe/server-auth';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import type { AuthUser } from '@crowdsafe/server-core';

/** Long enough to watch and seek through a long clip: a <video> keeps sending Range requests while it plays. */
export const RECORDING_TICKET_TTL_S = 3600;
const AUDIENCE = 'crowdsafe-recording';
const ISSUER = 'crowdsafe';
const MAX_TICKET_LENGTH = 2048;

interface RecordingTicketClaims {
  typ: 'recording';
  rec: string;
  sub: string | null;
}

/**
 * Signed, read-only tickets for one recording's media (a <video>/<a download>/<img> cannot send a Bearer token):
 * HS256 with a key derived from the JWT secret for this purpose only, valid an hour, for that recording only.
 */
@Injectable()
export class RecordingTicketService {
  private jwt?: JwtService;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async issue(recordingId: string, user: AuthUser | undefined): Promise<{ ticket: string; expiresIn: number }> {
    const claims: RecordingTicketClaims = { typ: 'recording', rec: recordingId, sub: user?.id ?? null };
    const ticket = await this.signer().signAsync({ ...claims }, { expiresIn: RECORDING_TICKET_TTL_S, audience: AUDIENCE, issuer: ISSUER, algorithm: 'HS256' });
    return { ticket, expiresIn: RECORDING_TICKET_TTL_S };
  }

  /** 401 when missing, malformed, forged or expired; 403 when it is for another recording. */
  async verify(ticket: unknown, recordingId: string): Promise<void> {
    if (typeof ticket !== 'string' || !ticket || ticket.length > MAX_TICKET_LENGTH) {
      throw new UnauthorizedException('ticket is required: ask POST /api/recordings/:id/ticket for one');
    }
    let claims: RecordingTicketClaims;
    try {
      claims = await this.signer().verifyAsync<RecordingTicketClaims>(ticket, { audience: AUDIENCE, issuer: ISSUER, algorithms: ['HS256'] });
    } catch (err) {
      throw new UnauthorizedException((err as Error).name === 'TokenExpiredError' ? 'Recording ticket expired; ask POST /api/recordings/:id/ticket for a new one' : 'Invalid recording ticket');
    }
    if (claims.typ !== 'recording') throw new UnauthorizedException('Invalid recording ticket');
    if (claims.rec !== recordingId) throw new ForbiddenException('This ticket is for another recording');
  }

  /** A ticket for one camera's live HLS playlist and segments (same lifetime: a player keeps polling). */
  async issueLive(cameraId: string, user: AuthUser | undefined): Promise<{ ticket: string; expiresIn: number }> {
    const claims = { typ: 'live-hls', cam: cameraId, sub: user?.id ?? null };
    const ticket = await this.signer().signAsync(claims, { expiresIn: RECORDING_TICKET_TTL_S, audience: AUDIENCE, issuer: ISSUER, algorithm: 'HS256' });
    return { ticket, expiresIn: RECORDING_TICKET_TTL_S };
  }

  async verifyLive(ticket: unknown, cameraId: string): Promise<void> {
    if (typeof ticket !== 'string' || !ticket || ticket.length > MAX_TICKET_LENGTH) throw new UnauthorizedException('ticket is required: ask POST /api/live-hls/:cameraId/ticket for one');
    let claims: { typ?: string; cam?: string };
    try {
      claims = await this.signer().verifyAsync(ticket, { audience: AUDIENCE, issuer: ISSUER, algorithms: ['HS256'] });
    } catch {
      throw new UnauthorizedException('Invalid or expired live HLS ticket');
    }
    if (claims.typ !== 'live-hls') throw new UnauthorizedException('Invalid live HLS ticket');
    if (claims.cam !== cameraId) throw new ForbiddenException('This ticket is for another camera');
  }

  private signer(): JwtService {
    if (!this.jwt) {
      const key = createHmac('sha256', resolveJwtSecret(this.config)).update('crowdsafe recording ticket v1').digest('base64');
      this.jwt = new JwtService({ secret: key, signOptions: { algorithm: 'HS256' } });
    }
    return this.jwt;
  }
}
