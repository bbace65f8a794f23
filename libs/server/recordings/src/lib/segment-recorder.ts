import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { CameraRecordingOutputs, type CameraRunInfo, type ExtraFfmpegOutput } from '@crowdsafe/server-core';
import { LiveTranscoder } from './live-transcoder';
import { chooseHlsRendition, feedFormatOf, gopOf, hlsFeedOutputArgs, hlsOutputArgs, type HlsRendition } from './segment-plan';
import { SegmentStore } from './segment-store';

/** A camera's `settings.recording.continuous`, when it is a boolean. */
export function continuousOf(settings: unknown, fallback: boolean): boolean {
  const rec = (settings as { recording?: { continuous?: unknown } } | null | undefined)?.recording;
  return typeof rec?.continuous === 'boolean' ? rec.continuous : fallback;
}

/**
 * The camera pipeline's recording port: every ffmpeg run of every camera gets one more output, its video stream
 * copied into MPEG-TS segments (DATA_DIR/recordings/segments/<cameraId>/), indexed by the SegmentStore. No
 * dependencies but the config, so the camera supervisor can use it without a cycle.
 */
@Injectable()
export class SegmentRecorder extends CameraRecordingOutputs implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Recordings');
  readonly store: SegmentStore;
  readonly enabled: boolean;
  private readonly gops = new Map<string, number>();
  private readonly probing = new Set<string>();
  private readonly renditions = new Map<string, HlsRendition>();
  /** On-demand transcode of cameras whose live HLS is transcoded (null: LIVE_HLS off). */
  readonly transcoder: LiveTranscoder | null;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
    const r = config.recordings;
    this.enabled = r.enabled;
    this.store = new SegmentStore(join(r.dir, 'segments'), r.segmentS, (m) => this.logger.warn(m));
    const hls = r.hls;
    this.transcoder = hls
      ? new LiveTranscoder({ ffmpegPath: config.cameras.ffmpegPath, segmentS: hls.segmentS, lingerMs: hls.lingerMs, maxSessions: hls.maxTranscodes, liveDir: (id) => this.liveDir(id), log: (m) => this.logger.warn(m) })
      : null;
  }

  onModuleInit(): void {
    if (this.transcoder) {
      const t = this.transcoder;
      this.sweepTimer = setInterval(() => t.sweep(), 1_000);
      this.sweepTimer.unref();
    }
  }

  onModuleDestroy(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    this.transcoder?.stopAll();
  }

  outputsFor(run: CameraRunInfo): ExtraFfmpegOutput[] {
    const out: ExtraFfmpegOutput[] = [];
    if (this.enabled) out.push(this.store.newRun(run.cameraId, run.codec, continuousOf(run.settings, this.config.recordings.continuous)));
    const hls = this.config.recordings.hls;
    // LIVE_HLS_MODE: copy (copyable codecs only), transcode, or auto (copy when the measured GOP fits the segment).
    const rendition = hls ? chooseHlsRendition({ mode: hls.mode, codec: run.codec, gopS: this.gops.get(run.cameraId), segmentS: hls.segmentS, maxWidth: hls.maxWidth, maxHeight: hls.maxHeight, fps: hls.fps }) : null;
    const feedFormat = rendition?.kind === 'transcode' ? feedFormatOf(run.codec) : undefined;
    if (hls && rendition?.kind === 'transcode' && feedFormat && this.transcoder) {
      // Transcoded on demand: this run only copies its video into a loopback feed; the transcode starts with a viewer.
      const port = this.transcoder.feedOf(run.cameraId)?.port ?? feedPort();
      this.transcoder.setFeed(run.cameraId, { format: feedFormat, port, maxWidth: rendition.maxWidth, ...(rendition.maxHeight !== undefined ? { maxHeight: rendition.maxHeight } : {}), fps: rendition.fps });
      mkdirSync(this.liveDir(run.cameraId), { recursive: true });
      sweepLive(this.liveDir(run.cameraId), Date.now() - 30_000);
      this.renditions.set(run.cameraId, rendition);
      out.push(hlsFeedOutputArgs({ format: feedFormat, port }));
      return out;
    }
    this.transcoder?.dropFeed(run.cameraId);
    if (hls && rendition) {
      const dir = this.liveDir(run.cameraId);
      mkdirSync(dir, { recursive: true });
      sweepLive(dir, Date.now() - 30_000);
      this.renditions.set(run.cameraId, rendition);
      out.push(hlsOutputArgs({ segmentS: hls.segmentS, dir, runId: `${Date.now()}-${randomBytes(3).toString('hex')}`, rendition }));
    } else this.renditions.delete(run.cameraId);
    return out;
  }

  /** The live HLS rendition of a camera's current run (undefined: no live HLS). */
  hlsRendition(cameraId: string): HlsRendition | undefined {
    return this.renditions.get(cameraId);
  }

  /** The measured keyframe interval of a camera (s), once known. */
  gopOf(cameraId: string): number | undefined {
    return this.gops.get(cameraId);
  }

  /**
   * Measures the keyframe interval of cameras that have finished recording segments (ffprobe of one local segment:
   * packet flags only, no decoding), for LIVE_HLS_MODE=auto: the next run of a camera copies when it fits. Cheap; at
   * most one probe per camera in flight, a known GOP is not measured again.
   */
  async learnGops(): Promise<void> {
    if (this.config.recordings.hls?.mode !== 'auto') return;
    for (const cameraId of this.store.cameraIds()) {
      if (this.gops.has(cameraId) || this.probing.has(cameraId)) continue;
      const segs = this.store.segments(cameraId);
      const seg = segs[segs.length - 1];
      if (!seg) continue;
      this.probing.add(cameraId);
      try {
        const gop = await probeGop(this.config.cameras.ffprobePath, seg.path, (seg.endMs - seg.startMs) / 1000);
        if (gop !== undefined) this.gops.set(cameraId, gop);
      } catch (err) {
        this.logger.debug(`GOP of camera ${cameraId}: ${String(err)}`);
      } finally {
        this.probing.delete(cameraId);
      }
    }
  }

  /** DATA_DIR/recordings/live/<cameraId> (cameraId is a uuid from the database). */
  liveDir(cameraId: string): string {
    return join(this.config.recordings.dir, 'live', cameraId);
  }

  override runEnded(cameraId: string): void {
    this.store.runEnded(cameraId);
  }
}

/**
 * A loopback UDP port for a camera's feed, kept for the camera's lifetime in this process: random below Linux's
 * ephemeral range (32768+) so that it does not collide with the ports the kernel hands out.
 */
function feedPort(): number {
  return 20_000 + Math.floor(Math.random() * 12_000);
}

/** Segments left by an earlier (killed) run of the live HLS output: ffmpeg only deletes its own. */
function sweepLive(dir: string, olderThanMs: number): void {
  try {
    for (const name of readdirSync(dir)) {
      if (!/^\d+-[0-9a-f]{6}-\d+\.ts$/.test(name)) continue;
      const p = join(dir, name);
      if (statSync(p).mtimeMs < olderThanMs) unlinkSync(p);
    }
  } catch {
    // best effort
  }
}

/** The keyframe interval (s) of a local MPEG-TS segment from its packets' key flags (ffprobe, no decoding). */
export function probeGop(ffprobe: string, path: string, spanS: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    execFile(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', `file:${path}`], { timeout: 20_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) return reject(err);
      const keys: number[] = [];
      for (const line of String(stdout).split('\n')) {
        const [pts, flags] = line.trim().split(',');
        if (flags?.includes('K') && pts !== 'N/A') keys.push(Number(pts));
      }
      resolve(gopOf(keys, spanS));
    });
  });
}
