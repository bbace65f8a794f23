import { HttpException, HttpStatus, Injectable, Logger, type OnApplicationShutdown, ServiceUnavailableException } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { LiveFrameSink } from '../runtime/live-frame-encoder';

export const MJPEG_BOUNDARY = 'crowdsafe-frame';
/** Viewers per camera and in all, so open streams can never exhaust the process. */
export const MJPEG_MAX_VIEWERS_PER_CAMERA = 16;
export const MJPEG_MAX_VIEWERS = 64;
/**
 * Streams one viewer (a session, or a ticket without one) may hold on a camera and in all, so that one ticket or
 * one signed-in user cannot take every slot from the others (429 beyond). A console tab needs one per camera; the
 * margin covers an <img> reconnecting before the old stream has closed, and a video wall.
 */
export const MJPEG_MAX_VIEWERS_PER_SESSION_PER_CAMERA = 4;
export const MJPEG_MAX_VIEWERS_PER_SESSION = 16;
/** How often a stream re-checks that its viewer's session is still live (revoked/logged out -> stream ends). */
const SESSION_RECHECK_MS = 30_000;

export interface MjpegViewerStats {
  /** Parts handed to the socket. */
  written: number;
  /** Frames skipped because the viewer had not drained the previous one (slow or stalled reader). */
  dropped: number;
  /** Largest user-space backlog seen on this response, in bytes (bounded by about one frame). */
  maxBufferedBytes: number;
}

interface Viewer extends MjpegViewerStats {
  res: ServerResponse;
  /** Who holds the stream: session id, user id, or the ticket's digest (see LiveController). */
  owner?: string;
  stillAllowed?: () => Promise<boolean>;
}

/**
 * MJPEG live viewers (GET /api/cameras/:id/live.mjpeg). The camera runtime encodes the annotated frame once per
 * frame for all of a camera's viewers, and only while there is at least one (wantsFrames). Backpressure: a part is
 * written only to a response that has drained the previous one (`writableNeedDrain` false); otherwise the frame is
 * dropped for that viewer, so a slow client sees a lower frame rate and the server never buffers more than about one
 * frame per viewer.
 */
@Injectable()
export class LiveMjpegService extends LiveFrameSink implements OnApplicationShutdown {
  private readonly logger = new Logger('LiveMjpeg');
  private readonly viewers = new Map<string, Set<Viewer>>();
  private total = 0;
  private recheck?: NodeJS.Timeout;

  wantsFrames(cameraId: string): boolean {
    return (this.viewers.get(cameraId)?.size ?? 0) > 0;
  }

  /** Starts a multipart stream on `res` for the camera; ends it on the client's disconnect. 503 when full. */
  attach(cameraId: string, res: ServerResponse, stillAllowed?: () => Promise<boolean>, owner?: string): MjpegViewerStats {
    const set = this.viewers.get(cameraId) ?? new Set<Viewer>();
    if (owner !== undefined) {
      const here = [...set].filter((v) => v.owner === owner).length;
      if (here >= MJPEG_MAX_VIEWERS_PER_SESSION_PER_CAMERA) {
        throw new HttpException(`at most ${MJPEG_MAX_VIEWERS_PER_SESSION_PER_CAMERA} MJPEG live views of one camera per session; close another`, HttpStatus.TOO_MANY_REQUESTS);
      }
      let all = 0;
      for (const vs of this.viewers.values()) for (const v of vs) if (v.owner === owner) all++;
      if (all >= MJPEG_MAX_VIEWERS_PER_SESSION) {
        throw new HttpException(`at most ${MJPEG_MAX_VIEWERS_PER_SESSION} MJPEG live views per session; close another`, HttpStatus.TOO_MANY_REQUESTS);
      }
    }
    if (set.size >= MJPEG_MAX_VIEWERS_PER_CAMERA) throw new ServiceUnavailableException(`at most ${MJPEG_MAX_VIEWERS_PER_CAMERA} MJPEG viewers per camera; close another live view`);
    if (this.total >= MJPEG_MAX_VIEWERS) throw new ServiceUnavailableException(`at most ${MJPEG_MAX_VIEWERS} MJPEG viewers in all; close another live view`);
    const viewer: Viewer = { res, written: 0, dropped: 0, maxBufferedBytes: 0, ...(stillAllowed ? { stillAllowed } : {}), ...(owner !== undefined ? { owner } : {}) };
    res.writeHead(200, {
      'Content-Type': `multipart/x-mixed-replace; boundary=${MJPEG_BOUNDARY}`,
      'Cache-Control': 'no-store, no-cache, must-revalidate',
      Pragma: 'no-cache',
      Connection: 'close',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders(); // the client learns at once that the stream is open, before the first frame
    res.socket?.setNoDelay(true);
    set.add(viewer);
    this.viewers.set(cameraId, set);
    this.total++;
    this.ensureRecheck();
    res.on('close', () => this.detach(cameraId, viewer));
    return viewer;
  }

  publish(cameraId: string, frame: { seq: number; capturedAt: number; jpeg: Buffer }): void {
    const set = this.viewers.get(cameraId);
    if (!set?.size) return;
    const head = `--${MJPEG_BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${frame.jpeg.length}\r\nX-Frame-Seq: ${frame.seq}\r\nX-Captured-At: ${frame.capturedAt}\r\n\r\n`;
    const part = Buffer.concat([Buffer.from(head, 'latin1'), frame.jpeg, Buffer.from('\r\n', 'latin1')]);
    for (const v of set) {
      const res = v.res;
      if (res.destroyed || res.writableEnded) continue;
      if (res.writableNeedDrain || res.writableLength > 0) {
        v.dropped++;
        continue;
      }
      res.write(part);
      v.written++;
      if (res.writableLength > v.maxBufferedBytes) v.maxBufferedBytes = res.writableLength;
    }
  }

  /** Viewers of a camera and their counters (monitoring, tests). */
  stats(cameraId: string): MjpegViewerStats[] {
    return [...(this.viewers.get(cameraId) ?? [])].map(({ written, dropped, maxBufferedBytes }) => ({ written, dropped, maxBufferedBytes }));
  }

  viewerCount(): number {
    return this.total;
  }

  onApplicationShutdown(): void {
    if (this.recheck) clearInterval(this.recheck);
    for (const set of this.viewers.values()) for (const v of set) v.res.end();
    this.viewers.clear();
    this.total = 0;
  }

  private detach(cameraId: string, viewer: Viewer): void {
    const set = this.viewers.get(cameraId);
    if (!set?.delete(viewer)) return;
    this.total--;
    if (!set.size) this.viewers.delete(cameraId);
    if (!this.total && this.recheck) {
      clearInterval(this.recheck);
      this.recheck = undefined;
    }
  }

  private ensureRecheck(): void {
    if (this.recheck) return;
    this.recheck = setInterval(() => {
      for (const set of this.viewers.values())
        for (const v of set) {
          v.stillAllowed?.().then(
            (ok) => {
              if (!ok) v.res.destroy();
            },
            (err: unknown) => this.logger.warn(`live view session check failed: ${String(err)}`),
          );
        }
    }, SESSION_RECHECK_MS);
    this.recheck.unref();
  }
}
