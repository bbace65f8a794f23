import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BadRequestException, Controller, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiQuery, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import type { Response } from 'express';
import { ANY_ROLE, type AuthUser, CurrentUser, TicketAccess, ViewerAccess } from '@crowdsafe/server-core';
import { CameraRepository } from '@crowdsafe/server-database';
import { RecordingTicketService } from './recording-ticket.service';
import { SegmentRecorder } from './segment-recorder';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('cameraId must be a UUID') });
const FILE = /^(index\.m3u8|\d+-[0-9a-f]{6}-\d+\.ts)$/;
const WINDOW_MS = 10_000;
const MAX_VIEWERS_PER_CAMERA = 10_000;

export class LiveHlsTicketDto {
  @ApiProperty() ticket!: string;
  @ApiProperty() expiresIn!: number;
  @ApiProperty({ description: 'The live HLS playlist of the camera with the ticket (application/vnd.apple.mpegurl)' }) url!: string;
}

export class LiveHlsCameraStatsDto {
  @ApiProperty({ format: 'uuid' }) cameraId!: string;
  @ApiProperty({ description: 'Players that fetched the playlist or a segment in the last 10 s' }) viewers!: number;
  @ApiProperty({ description: 'Bytes/s served over the last 10 s' }) bytesPerS!: number;
  @ApiProperty({
    enum: ['running', 'idle', 'none'],
    description: 'On-demand transcode (LIVE_HLS_MODE transcode/auto): running while watched, idle when nobody watches; none: the stream is copied (or no HLS)',
  })
  transcode!: 'running' | 'idle' | 'none';
}

/** Who watches which camera over HLS, and how many bytes go out (bounded per camera, 10 s window). */
export class LiveHlsStats {
  private readonly viewers = new Map<string, Map<string, number>>();
  private readonly served = new Map<string, { at: number; bytes: number }[]>();

  record(cameraId: string, viewer: string, bytes: number, now = Date.now()): void {
    let v = this.viewers.get(cameraId);
    if (!v) this.viewers.set(cameraId, (v = new Map()));
    if (v.size >= MAX_VIEWERS_PER_CAMERA && !v.has(viewer)) this.prune(cameraId, now);
    if (v.size < MAX_VIEWERS_PER_CAMERA || v.has(viewer)) v.set(viewer, now);
    const s = this.served.get(cameraId) ?? [];
    s.push({ at: now, bytes });
    while (s.length && s[0].at < now - WINDOW_MS) s.shift();
    if (s.length > 100_000) s.splice(0, s.length - 100_000);
    this.served.set(cameraId, s);
  }

  /** Per camera seen by the stats or listed in `extraIds` (cameras with an on-demand transcode); `transcodeOf` its state. */
  snapshot(now = Date.now(), extraIds: readonly string[] = [], transcodeOf: (cameraId: string) => 'running' | 'idle' | undefined = () => undefined): LiveHlsCameraStatsDto[] {
    const ids = new Set([...this.viewers.keys(), ...this.served.keys(), ...extraIds]);
    return [...ids].map((cameraId) => {
      this.prune(cameraId, now);
      const bytes = (this.served.get(cameraId) ?? []).filter((x) => x.at >= now - WINDOW_MS).reduce((n, x) => n + x.bytes, 0);
      return { cameraId, viewers: this.viewers.get(cameraId)?.size ?? 0, bytesPerS: Math.round(bytes / (WINDOW_MS / 1000)), transcode: transcodeOf(cameraId) ?? 'none' };
    });
  }

  private prune(cameraId: string, now: number): void {
    const v = this.viewers.get(cameraId);
    if (v) for (const [k, at] of v) if (at < now - WINDOW_MS) v.delete(k);
  }
}

/**
 * Live video for many viewers (spec 6.3): each camera's ffmpeg also writes a sliding HLS playlist of the copied
 * stream; this serves it to video.js with a ticket (a player cannot send the Bearer token), rewriting segment URIs so
 * they carry the ticket, and counts viewers and bytes per camera (GET /api/live-hls/stats, for the System page).
 */
@ApiTags('live')
@Controller('live-hls')
export class LiveHlsController {
  readonly stats = new LiveHlsStats();

  constructor(
    private readonly recorder: SegmentRecorder,
    private readonly tickets: RecordingTicketService,
    private readonly cameras: CameraRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('stats')
  @ViewerAccess()
  @ApiOperation({ operationId: 'liveHlsStats', summary: 'HLS viewers and bytes/s per camera over the last 10 s' })
  @ApiOkResponse({ type: [LiveHlsCameraStatsDto] })
  viewerStats(): LiveHlsCameraStatsDto[] {
    const t = this.recorder.transcoder;
    return this.stats.snapshot(Date.now(), t?.cameraIds() ?? [], (id) => t?.state(id));
  }

  @Post(':cameraId/ticket')
  @HttpCode(200)
  @ViewerAccess()
  @ApiOperation({ operationId: 'createLiveHlsTicket', summary: 'A 1 h ticket and the URL of the live HLS playlist of a camera' })
  @ApiParam({ name: 'cameraId', format: 'uuid' })
  @ApiOkResponse({ type: LiveHlsTicketDto })
  @ApiNotFoundResponse({ description: 'No camera with this id' })
  async ticket(@Param('cameraId', uuid) cameraId: string, @CurrentUser() user: AuthUser | undefined): Promise<LiveHlsTicketDto> {
    if (!(await this.cameras.findById(cameraId))) throw new NotFoundException(`camera ${cameraId} not found`);
    const t = await this.tickets.issueLive(cameraId, user);
    return { ...t, url: `/api/live-hls/${cameraId}/index.m3u8?ticket=${encodeURIComponent(t.ticket)}` };
  }

  @Get(':cameraId/:file')
  @TicketAccess('media-ticket', ANY_ROLE, false)
  @ApiOperation({ operationId: 'liveHlsFile', summary: 'The live playlist (index.m3u8) or one of its segments; needs ?ticket=' })
  @ApiParam({ name: 'cameraId', format: 'uuid' })
  @ApiParam({ name: 'file', description: 'index.m3u8 or a segment name from it' })
  @ApiQuery({ name: 'ticket', required: true })
  @ApiOkResponse({ description: 'application/vnd.apple.mpegurl or video/mp2t', schema: { type: 'string', format: 'binary' } })
  @ApiBadRequestResponse({ description: 'Malformed camera id or file name' })
  @ApiNotFoundResponse({ description: 'No live HLS for this camera (not running here, or its codec cannot be copied)' })
  @ApiServiceUnavailableResponse({ description: 'The on-demand transcode is starting (first segment not there yet) or too many cameras transcode at once; retry after Retry-After seconds' })
  async file(@Param('cameraId', uuid) cameraId: string, @Param('file') file: string, @Query('ticket') ticket: unknown, @Res() res: Response): Promise<void> {
    if (!FILE.test(file)) throw new BadRequestException('file must be index.m3u8 or a segment name from it');
    await this.tickets.verifyLive(ticket, cameraId);
    const path = join(this.recorder.liveDir(cameraId), file);
    const viewer = createHash('sha1').update(String(ticket)).digest('hex').slice(0, 16);
    res.setHeader('Cache-Control', 'no-cache');
    await this.onDemand(cameraId, file === 'index.m3u8', res);
    if (file === 'index.m3u8') {
      const text = await readFile(path, 'utf8').catch(() => null);
      if (text === null) throw new NotFoundException(`camera ${cameraId} has no live HLS stream (not running in this process, or its codec cannot be copied)`);
      const q = `?ticket=${encodeURIComponent(String(ticket))}`;
      const body = text.split('\n').map((l) => (l && !l.startsWith('#') && FILE.test(l.trim()) ? `${l.trim()}${q}` : l)).join('\n');
      this.stats.record(cameraId, viewer, Buffer.byteLength(body));
      res.type('application/vnd.apple.mpegurl').send(body);
      return;
    }
    const st = await stat(path).catch(() => null);
    // the muxer may delete it between the stat and the read: both are a 404, not a 500
    const data = st?.isFile() ? await readFile(path).catch(() => null) : null;
    if (!data) throw new NotFoundException(`segment ${file} is gone (the playlist slides)`);
    this.stats.record(cameraId, viewer, data.length);
    res.type('video/mp2t').send(data);
  }

  /**
   * On-demand transcode: every request keeps the camera's transcode alive and the first one starts it; a playlist
   * request waits (at most LIVE_HLS_START_WAIT_MS) for its first segment, else 503 + Retry-After.
   */
  private async onDemand(cameraId: string, playlist: boolean, res: Response): Promise<void> {
    const t = this.recorder.transcoder;
    if (!t?.hasFeed(cameraId)) return;
    const r = t.touch(cameraId);
    const unavailable = (retryS: number, why: string) => {
      res.setHeader('Retry-After', String(retryS));
      return new ServiceUnavailableException(why);
    };
    if (r === 'busy') throw unavailable(10, `live HLS of camera ${cameraId}: ${this.config.recordings.hls?.maxTranscodes ?? 0} cameras already transcode (LIVE_HLS_MAX_TRANSCODES)`);
    if (!playlist || t.playlistReady(cameraId)) return;
    if (r === 'backoff') throw unavailable(2, `live HLS of camera ${cameraId} is restarting`);
    if (!(await t.waitReady(cameraId, this.config.recordings.hls?.startWaitMs ?? 0))) throw unavailable(2, `live HLS of camera ${cameraId} is starting (no segment yet)`);
  }
}
