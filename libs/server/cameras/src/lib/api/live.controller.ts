import { createHash } from 'node:crypto';
import { Controller, ForbiddenException, Get, HttpCode, Inject, Optional, Param, ParseUUIDPipe, Post, Query, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiQuery, ApiResponse, ApiSecurity, ApiServiceUnavailableResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SessionService } from '@crowdsafe/server-auth';
import { ANY_ROLE, type AuthUser, CurrentUser, Public, REQUIRED_ROLES_EXTENSION, requiresRoleText, ViewerAccess } from '@crowdsafe/server-core';
import { CamerasService } from './cameras.service';
import { LiveMjpegService } from './live-mjpeg.service';
import { LiveTicketService } from './live-ticket.service';

const uuid = new ParseUUIDPipe();
const MAX_TICKET_LENGTH = 2048;

export class LiveTicketDto {
  @ApiProperty({ description: 'Signed ticket for GET /api/cameras/:id/live.mjpeg?ticket=…; this camera only' }) ticket!: string;
  @ApiProperty({ description: 'Seconds the ticket can open a stream (an open stream outlives it)', example: 60 }) expiresIn!: number;
  @ApiProperty({ description: 'The stream URL with the ticket, relative to the API origin', example: '/api/cameras/…/live.mjpeg?ticket=…' }) url!: string;
}

/**
 * Live view over MJPEG (multipart/x-mixed-replace): annotated JPEGs (boxes, track ids, zone outlines, count) for an
 * <img>. Frames are encoded only while someone watches, once per frame for all viewers; a slow viewer gets frames
 * dropped. The console's default live view is the socket.io `frame` event (clean JPEG + overlay data, toggleable
 * layers); see README "Live view" for the measured comparison.
 */
@ApiTags('cameras')
@Controller('cameras')
export class LiveController {
  constructor(
    private readonly cameras: CamerasService,
    private readonly mjpeg: LiveMjpegService,
    private readonly tickets: LiveTicketService,
    @Optional() @Inject(SessionService) private readonly sessions?: SessionService,
  ) {}

  @Post(':id/live-ticket')
  @HttpCode(200)
  @ViewerAccess()
  @ApiOperation({ operationId: 'createLiveTicket', summary: 'A 60 s ticket that opens the camera\'s MJPEG live view without an Authorization header (for <img>)' })
  @ApiOkResponse({ type: LiveTicketDto })
  @ApiNotFoundResponse({ description: 'No such camera' })
  async liveTicket(@Param('id', uuid) id: string, @CurrentUser() user: AuthUser | undefined): Promise<LiveTicketDto> {
    await this.cameras.get(id);
    const t = await this.tickets.issue(id, user);
    return { ...t, url: `/api/cameras/${id}/live.mjpeg?ticket=${encodeURIComponent(t.ticket)}` };
  }

  /**
   * Public for the guard because an <img> cannot send a Bearer token: the handler itself requires a live ticket
   * (`?ticket=`, from POST live-ticket) or a Bearer access token of any role, with a live session.
   */
  @Get(':id/live.mjpeg')
  @Public()
  @ApiOperation({
    operationId: 'liveMjpeg',
    summary: 'Annotated live MJPEG stream (multipart/x-mixed-replace); needs ?ticket= or a Bearer token',
    description: `${requiresRoleText(ANY_ROLE)}: a live ticket (?ticket=, for an <img>) or a Bearer access token.`,
  })
  @ApiBearerAuth()
  @ApiSecurity('live-ticket')
  @ApiExtension(REQUIRED_ROLES_EXTENSION, ANY_ROLE)
  @ApiProduces(`multipart/x-mixed-replace`)
  @ApiQuery({ name: 'ticket', required: false, description: 'From POST /api/cameras/:id/live-ticket (valid 60 s, this camera only)' })
  @ApiOkResponse({ description: 'An endless stream of image/jpeg parts until the client disconnects' })
  @ApiUnauthorizedResponse({ description: 'No, an invalid or an expired ticket/token' })
  @ApiForbiddenResponse({ description: `Ticket for another camera, or the password must be changed first (${requiresRoleText(ANY_ROLE)})` })
  @ApiNotFoundResponse({ description: 'No such camera' })
  @ApiResponse({ status: 429, description: 'This session already holds the most MJPEG streams it may (4 per camera, 16 in all)' })
  @ApiServiceUnavailableResponse({ description: 'Too many MJPEG viewers' })
  async liveMjpeg(@Param('id', uuid) id: string, @Query('ticket') ticket: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { stillAllowed, owner } = await this.authorize(id, ticket, req.headers.authorization);
    await this.cameras.get(id); // 404 for an unknown camera (after auth: no probing of ids without credentials)
    this.mjpeg.attach(id, res, stillAllowed, owner);
  }

  /**
   * Checks the ticket or Bearer token; returns the periodic "session still live" check for the open stream and who
   * holds it (session, else user, else the ticket itself) for the per-session stream cap.
   */
  private async authorize(cameraId: string, ticket: unknown, authorization: string | undefined): Promise<{ stillAllowed?: () => Promise<boolean>; owner: string }> {
    const sessions = this.sessions;
    if (typeof ticket === 'string' && ticket.length > 0) {
      if (ticket.length > MAX_TICKET_LENGTH) throw new UnauthorizedException('Invalid live ticket');
      const claims = await this.tickets.verify(ticket, cameraId);
      const owner = claims.sid ? `s:${claims.sid}` : claims.sub ? `u:${claims.sub}` : `t:${createHash('sha256').update(ticket).digest('hex')}`;
      if (!sessions || !claims.sid || !claims.sub) return { owner };
      const { sid, sub } = claims;
      if (!(await sessions.ownedBy(sid, sub))) throw new UnauthorizedException('The session that asked for this live ticket has ended; sign in again');
      return { stillAllowed: () => sessions.ownedBy(sid, sub), owner };
    }
    if (ticket !== undefined && typeof ticket !== 'string') throw new UnauthorizedException('Invalid live ticket');
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!bearer) throw new UnauthorizedException('A live ticket (?ticket= from POST /api/cameras/:id/live-ticket) or a Bearer token is required');
    if (!sessions) throw new UnauthorizedException('Bearer tokens are not accepted in this process; use a live ticket');
    const user = await sessions.verifyAccessToken(bearer);
    if (!ANY_ROLE.includes(user.role)) throw new ForbiddenException(`Requires role: ${ANY_ROLE.join(' or ')}`);
    if (user.mustChangePassword) throw new ForbiddenException('Password change required');
    const sid = user.sessionId;
    return sid ? { stillAllowed: () => sessions.ownedBy(sid, user.id), owner: `s:${sid}` } : { owner: `u:${user.id}` };
  }
}
