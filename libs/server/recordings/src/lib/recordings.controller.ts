import { stat } from 'node:fs/promises';
import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Optional,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  Res,
  ServiceUnavailableException,
  UnauthorizedException,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SessionService } from '@crowdsafe/server-auth';
import { AdminAccess, ANY_ROLE, type AuthUser, CurrentUser, OperatorAccess, TicketAccess, ViewerAccess } from '@crowdsafe/server-core';
import { RecordingRequestError } from './recording-errors';
import { isVodSegmentName, rewriteVodPlaylist } from './recording-hls';
import { insideRoot } from './recording-paths';
import { RecordingTicketService } from './recording-ticket.service';
import { viewOfRecording } from './recording-view';
import { RecordingRepository } from './recording.repository';
import { RecordingDto, RecordingPageDto, RecordingQueryDto, RecordingStartedDto, RecordingStorageDto, RecordingTicketDto, StartRecordingDto, UpdateRecordingDto } from './recordings.dto';
import { RecordingsRetentionService } from './recordings-retention.service';
import { RecordingsService } from './recordings.service';

const pipe = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });
const uuid = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('id must be a UUID') });

function httpError(err: unknown): never {
  if (err instanceof RecordingRequestError) {
    if (err.status === 404) throw new NotFoundException(err.message);
    if (err.status === 409) throw new ConflictException(err.message);
    if (err.status === 503) throw new ServiceUnavailableException(err.message);
    throw new BadRequestException(err.message);
  }
  throw err;
}

/** Spec 8.5: recordings and clips. Viewers list and play, operators record and protect, admins delete. */
@ApiTags('recordings')
@Controller('recordings')
export class RecordingsController {
  constructor(
    private readonly recordings: RecordingRepository,
    private readonly service: RecordingsService,
    private readonly retention: RecordingsRetentionService,
    private readonly tickets: RecordingTicketService,
    @Optional() @Inject(SessionService) private readonly sessions?: SessionService,
  ) {}

  @Get()
  @ViewerAccess()
  @ApiOperation({ operationId: 'listRecordings', summary: 'Recordings, newest first, filtered and paged (limit <= 200)' })
  @ApiOkResponse({ type: RecordingPageDto })
  @ApiBadRequestResponse({ description: 'Bad filter, dates, limit or offset' })
  async list(@Query(pipe) q: RecordingQueryDto): Promise<RecordingPageDto> {
    const from = q.from ? new Date(q.from) : undefined;
    const to = q.to ? new Date(q.to) : undefined;
    if (from && to && from > to) throw new BadRequestException(`from (${from.toISOString()}) must not be after to (${to.toISOString()})`);
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const page = await this.recordings.query({ cameraId: q.cameraId, trigger: q.trigger, status: q.status, alertId: q.alertId, from, to, limit, offset });
    return { items: page.items.map(viewOfRecording), total: page.total, limit, offset };
  }

  @Get('storage')
  @ViewerAccess()
  @ApiOperation({ operationId: 'recordingStorage', summary: 'Recordings disk: usage, warning, retention floor, measured bandwidth' })
  @ApiOkResponse({ type: RecordingStorageDto })
  async storage(): Promise<RecordingStorageDto> {
    return this.retention.storage();
  }

  @Get(':id')
  @ViewerAccess()
  @ApiOperation({ operationId: 'getRecording', summary: 'One recording' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: RecordingDto })
  @ApiBadRequestResponse({ description: 'Malformed id' })
  @ApiNotFoundResponse({ description: 'No recording with this id' })
  async get(@Param('id', uuid) id: string): Promise<RecordingDto> {
    const row = await this.recordings.findById(id);
    if (!row) throw new NotFoundException(`recording ${id} not found`);
    return viewOfRecording(row);
  }

  @Post(':cameraId/start')
  @OperatorAccess()
  @ApiOperation({ operationId: 'startRecording', summary: 'Record a camera from now, for durationS or until stopped' })
  @ApiParam({ name: 'cameraId', format: 'uuid' })
  @ApiCreatedResponse({ type: RecordingStartedDto })
  @ApiBadRequestResponse({ description: 'Malformed camera id or duration out of range' })
  @ApiNotFoundResponse({ description: 'No camera with this id' })
  @ApiConflictResponse({ description: 'Camera not running here / not online, or already recording on demand' })
  async start(@Param('cameraId', uuid) cameraId: string, @Body(pipe) body: StartRecordingDto, @CurrentUser() user: AuthUser | undefined): Promise<RecordingStartedDto> {
    const row = await this.service.start(cameraId, body.durationS, user?.id ?? null).catch(httpError);
    return { recording_id: row.id, status: row.status };
  }

  @Post(':id/stop')
  @HttpCode(200)
  @OperatorAccess()
  @ApiOperation({ operationId: 'stopRecording', summary: 'Stop a recording in progress (its clip is assembled from the finished segments)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: RecordingStartedDto })
  @ApiNotFoundResponse({ description: 'No recording with this id' })
  @ApiConflictResponse({ description: 'Not recording (already stopping, finished or failed)' })
  async stop(@Param('id', uuid) id: string): Promise<RecordingStartedDto> {
    const row = await this.service.stop(id).catch(httpError);
    return { recording_id: row.id, status: row.status };
  }

  @Patch(':id')
  @OperatorAccess()
  @ApiOperation({ operationId: 'updateRecording', summary: 'Protect (or unprotect) a recording from age and disk retention' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: RecordingDto })
  @ApiNotFoundResponse({ description: 'No recording with this id' })
  async update(@Param('id', uuid) id: string, @Body(pipe) body: UpdateRecordingDto): Promise<RecordingDto> {
    if (!(await this.recordings.findById(id))) throw new NotFoundException(`recording ${id} not found`);
    const row = await this.recordings.update(id, { isProtected: body.isProtected });
    if (!row) throw new NotFoundException(`recording ${id} not found`);
    return viewOfRecording(row);
  }

  @Delete(':id')
  @HttpCode(204)
  @AdminAccess()
  @ApiOperation({ operationId: 'deleteRecording', summary: 'Delete a finished recording (row, clip and thumbnail)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No recording with this id' })
  @ApiConflictResponse({ description: 'Still recording or processing' })
  async remove(@Param('id', uuid) id: string): Promise<void> {
    await this.service.remove(id).catch(httpError);
  }

  @Post(':id/ticket')
  @HttpCode(200)
  @ViewerAccess()
  @ApiOperation({ operationId: 'createRecordingTicket', summary: 'URLs (with a 1 h ticket) to play, download and preview a recording without an Authorization header' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: RecordingTicketDto })
  @ApiNotFoundResponse({ description: 'No recording with this id' })
  async ticket(@Param('id', uuid) id: string, @CurrentUser() user: AuthUser | undefined): Promise<RecordingTicketDto> {
    if (!(await this.recordings.findById(id))) throw new NotFoundException(`recording ${id} not found`);
    const t = await this.tickets.issue(id, user);
    const q = `ticket=${encodeURIComponent(t.ticket)}`;
    return {
      ...t,
      videoUrl: `/api/recordings/${id}/video?${q}`,
      downloadUrl: `/api/recordings/${id}/download?${q}`,
      thumbnailUrl: `/api/recordings/${id}/thumbnail?${q}`,
      playlistUrl: `/api/recordings/${id}/index.m3u8?${q}`,
    };
  }

  @Get(':id/index.m3u8')
  @TicketAccess('media-ticket', ANY_ROLE)
  @ApiOperation({ operationId: 'recordingPlaylist', summary: 'HLS VOD playlist of the clip for seeking players (segments cut at its keyframes, stream copy); needs ?ticket= or a Bearer token' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'ticket', required: false })
  @ApiProduces('application/vnd.apple.mpegurl')
  @ApiOkResponse({ description: 'application/vnd.apple.mpegurl (segment URIs carry the ticket)', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'No such recording, or not completed' })
  async playlist(@Param('id', uuid) id: string, @Query('ticket') ticket: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const dir = await this.vodDir(id, ticket, req);
    const text = await this.service.hls.playlist(dir);
    const q = typeof ticket === 'string' ? `?ticket=${encodeURIComponent(ticket)}` : '';
    res.setHeader('Cache-Control', 'private, max-age=60');
    res.type('application/vnd.apple.mpegurl').send(rewriteVodPlaylist(text, q));
  }

  @Get(':id/segments/:file')
  @TicketAccess('media-ticket', ANY_ROLE)
  @ApiOperation({ operationId: 'recordingSegment', summary: 'One MPEG-TS segment of the clip\'s HLS VOD playlist (<n>.ts); needs ?ticket= or a Bearer token' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'file', description: '<n>.ts, n from the playlist' })
  @ApiQuery({ name: 'ticket', required: false })
  @ApiProduces('video/mp2t')
  @ApiOkResponse({ description: 'video/mp2t', schema: { type: 'string', format: 'binary' } })
  @ApiBadRequestResponse({ description: 'Malformed id or segment name' })
  @ApiNotFoundResponse({ description: 'No such recording or segment' })
  async segment(@Param('id', uuid) id: string, @Param('file') file: string, @Query('ticket') ticket: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!isVodSegmentName(file)) throw new BadRequestException('segment must be <n>.ts');
    const dir = await this.vodDir(id, ticket, req);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    await new Promise<void>((resolve, reject) => {
      res.sendFile(file, { root: dir, dotfiles: 'deny', headers: { 'Content-Type': 'video/mp2t' } }, (err) => {
        if (err && !res.headersSent) reject(new NotFoundException(`recording ${id} has no segment ${file}`));
        else resolve();
      });
    });
  }

  /** The HLS VOD folder of a completed clip, after the ticket / Bearer check. */
  private async vodDir(id: string, ticket: unknown, req: Request): Promise<string> {
    const abs = await this.clipFile(id, ticket, req);
    return this.service.hls.ensure(id, abs).catch(() => {
      throw new NotFoundException(`recording ${id}: no HLS VOD could be made of its clip`);
    });
  }

  /** The completed clip's absolute path, after the ticket / Bearer check. */
  private async clipFile(id: string, ticket: unknown, req: Request): Promise<string> {
    await this.authorize(id, ticket, req.headers.authorization);
    const row = await this.recordings.findById(id);
    if (!row) throw new NotFoundException(`recording ${id} not found`);
    if (row.status !== 'completed') throw new NotFoundException(`recording ${id} is ${row.status}: no clip yet`);
    const abs = insideRoot(this.service.root, row.filePath);
    if (!abs || !(await stat(abs).catch(() => null))?.isFile()) throw new NotFoundException(`recording ${id} has no clip file`);
    return abs;
  }

  @Get(':id/download')
  @TicketAccess('media-ticket', ANY_ROLE)
  @ApiOperation({ operationId: 'downloadRecording', summary: 'The clip as an MP4 attachment (H.264, faststart; HTTP Range); needs ?ticket= or a Bearer token' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'ticket', required: false })
  @ApiProduces('video/mp4')
  @ApiOkResponse({ description: 'video/mp4', schema: { type: 'string', format: 'binary' } })
  @ApiUnauthorizedResponse({ description: 'No, an invalid or an expired ticket/token' })
  @ApiNotFoundResponse({ description: 'No such recording, or not completed' })
  async download(@Param('id', uuid) id: string, @Query('ticket') ticket: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.sendMedia(id, ticket, req, res, 'mp4', true);
  }

  @Get(':id/video')
  @TicketAccess('media-ticket', ANY_ROLE)
  @ApiOperation({ operationId: 'recordingVideo', summary: 'The clip inline for a <video> (HTTP Range); needs ?ticket= or a Bearer token' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'ticket', required: false })
  @ApiProduces('video/mp4')
  @ApiOkResponse({ description: 'video/mp4', schema: { type: 'string', format: 'binary' } })
  @ApiUnauthorizedResponse({ description: 'No, an invalid or an expired ticket/token' })
  @ApiNotFoundResponse({ description: 'No such recording, or not completed' })
  async video(@Param('id', uuid) id: string, @Query('ticket') ticket: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.sendMedia(id, ticket, req, res, 'mp4', false);
  }

  @Get(':id/thumbnail')
  @TicketAccess('media-ticket', ANY_ROLE)
  @ApiOperation({ operationId: 'recordingThumbnail', summary: 'The clip\'s 320 px JPEG thumbnail; needs ?ticket= or a Bearer token' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'ticket', required: false })
  @ApiProduces('image/jpeg')
  @ApiOkResponse({ description: 'image/jpeg', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ description: 'No such recording, or no thumbnail' })
  async thumbnail(@Param('id', uuid) id: string, @Query('ticket') ticket: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.sendMedia(id, ticket, req, res, 'jpg', false);
  }

  private async sendMedia(id: string, ticket: unknown, req: Request, res: Response, kind: 'mp4' | 'jpg', attachment: boolean): Promise<void> {
    await this.authorize(id, ticket, req.headers.authorization);
    const row = await this.recordings.findById(id);
    if (!row) throw new NotFoundException(`recording ${id} not found`);
    if (kind === 'mp4' && row.status !== 'completed') throw new NotFoundException(`recording ${id} is ${row.status}: no clip yet`);
    const abs = insideRoot(this.service.root, kind === 'mp4' ? row.filePath : row.thumbnailPath);
    if (!abs || !(await stat(abs).catch(() => null))?.isFile()) throw new NotFoundException(`recording ${id} has no ${kind === 'mp4' ? 'clip' : 'thumbnail'} file`);
    const name = `crowdsafe-${row.cameraId.slice(0, 8)}-${row.startTime.toISOString().replace(/[:.]/g, '-')}.${kind}`;
    if (attachment) res.attachment(name);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    await new Promise<void>((resolve, reject) => {
      // express' sendFile (the `send` module): Range / 206, If-Range, ETag; `root` confines it to the recordings folder.
      res.sendFile(abs.slice(this.service.root.length + 1), { root: this.service.root, dotfiles: 'deny', headers: { 'Content-Type': kind === 'mp4' ? 'video/mp4' : 'image/jpeg' } }, (err) => {
        if (err && !res.headersSent) reject(new NotFoundException(`recording ${id}: file unavailable`));
        else resolve();
      });
    });
  }

  /** A ticket for this recording, or a Bearer access token of any role. */
  private async authorize(id: string, ticket: unknown, authorization: string | undefined): Promise<void> {
    if (ticket !== undefined) return this.tickets.verify(ticket, id);
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!bearer) throw new UnauthorizedException('A ticket (?ticket= from POST /api/recordings/:id/ticket) or a Bearer token is required');
    if (!this.sessions) throw new UnauthorizedException('Bearer tokens are not accepted in this process; use a ticket');
    const user = await this.sessions.verifyAccessToken(bearer);
    if (!ANY_ROLE.includes(user.role)) throw new ForbiddenException(`Requires role: ${ANY_ROLE.join(' or ')}`);
    if (user.mustChangePassword) throw new ForbiddenException('Password change required');
  }
}
